namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>Public clients: apps on the user's own device that sign in without a client secret.</summary>
/// <remarks>
/// <para>
/// A token request without <c>client_secret</c> or <c>client_assertion</c> is accepted only from an app given to
/// <see cref="RegisterPublicClient"/>: a code issued to a loopback redirect URI (<c>http://localhost:{any port}</c>, the
/// "Mobile and desktop applications" platform; a code issued to a Web redirect URI still needs the secret), a refresh token issued without a secret, and, when "Allow public client flows"
/// is on, the device code grant. Any other client (the default for a client id the emulator was not told about) is a
/// confidential Web app: a secret-less request answers 401 <c>invalid_client</c> AADSTS7000218 "The request body must contain
/// the following parameter: 'client_assertion' or 'client_secret'.", as Microsoft Entra answers.
/// </para>
/// <para>
/// With <c>response_mode=form_post</c> (which MSAL's system-browser sign-in sends), the authorize endpoint answers with a page
/// whose form posts <c>code</c> and <c>state</c> (or <c>error</c>) to the redirect URI; <see cref="EmulatorBrowser.CompleteSignInAsync"/>
/// plays that browser.
/// </para>
/// <para>
/// The device authorization grant follows Microsoft's "OAuth 2.0 device authorization grant" page: <c>POST
/// /{tenant}/oauth2/v2.0/devicecode</c> (<c>client_id</c>, <c>scope</c>) answers <c>device_code</c>, <c>user_code</c>,
/// <c>verification_uri</c>, <c>expires_in</c>, <c>interval</c> and <c>message</c>; the token endpoint's
/// <c>urn:ietf:params:oauth:grant-type:device_code</c> grant answers 400 <c>authorization_pending</c> until the test approves the
/// code (<see cref="ApproveDeviceCode"/>) and then tokens once, or <c>authorization_declined</c> (<see cref="DeclineDeviceCode"/>),
/// <c>expired_token</c> (after <see cref="GraphEmulatorOptions.DeviceCodeLifetime"/> or <see cref="ExpireDeviceCode"/>) or
/// <c>bad_verification_code</c> (an unknown device code, or one the emulator forgot: once its client was given tokens, the decline or
/// the expiry, or once it has been expired for a further <see cref="GraphEmulatorOptions.DeviceCodeLifetime"/>).
/// </para>
/// </remarks>
public sealed partial class GraphEmulator
{
    /// <summary>
    /// Registers an app as a public client, as an admin does with Authentication &gt; Add a platform &gt; Mobile and desktop
    /// applications (redirect URI <c>http://localhost</c>) and, for the device code flow, Advanced settings &gt; Allow public
    /// client flows: Yes.
    /// </summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="allowPublicClientFlows">
    /// Whether "Allow public client flows" is on; when it is off the device code grant answers AADSTS7000218 without a secret.
    /// </param>
    public void RegisterPublicClient(string clientId, bool allowPublicClientFlows = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        identity.RegisterPublicClient(clientId, allowPublicClientFlows);
    }

    /// <summary>
    /// Waits for the next device code the devicecode endpoint issues to any client, and returns its user code: what the user reads
    /// on the device's screen. Each issued code is returned once, by this method or <see cref="WaitForDeviceCodeAsync(string, CancellationToken)"/>,
    /// in the order they were issued; a code whose client was already given its final answer is not returned.
    /// </summary>
    /// <remarks>
    /// When sign-ins of several apps run at once on one emulator, wait with the app's client id instead. The device authorization
    /// request names no user (only <c>client_id</c> and <c>scope</c>), so two sign-ins of one app at once are told apart by the
    /// prompt each shows (<c>DeviceCodeResult.UserCode</c> in MSAL), not by waiting here.
    /// </remarks>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The user code.</returns>
    public Task<string> WaitForDeviceCodeAsync(CancellationToken cancellationToken = default) =>
        identity.NextUserCodeAsync(null, cancellationToken);

    /// <summary>
    /// Waits for the next device code the devicecode endpoint issues to one app, and returns its user code; codes issued to other
    /// apps are left to their own waiters.
    /// </summary>
    /// <param name="clientId">The client id of the app whose sign-in is awaited.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The user code.</returns>
    public Task<string> WaitForDeviceCodeAsync(string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        return identity.NextUserCodeAsync(clientId, cancellationToken);
    }

    /// <summary>Signs the mailbox's user in on the verification page with the user code: the client's next poll gets tokens.</summary>
    /// <param name="userCode">The user code the devicecode endpoint issued.</param>
    /// <param name="mailbox">The mailbox to sign in as.</param>
    /// <exception cref="ArgumentException">
    /// No outstanding device code has that user code: it was never issued, or its client was already given tokens, the decline or
    /// the expiry (the emulator then forgets it, as it does a code expired for a further <see cref="GraphEmulatorOptions.DeviceCodeLifetime"/>).
    /// </exception>
    /// <exception cref="InvalidOperationException">The code was already approved or declined.</exception>
    public void ApproveDeviceCode(string userCode, string mailbox)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        identity.ApproveDeviceCode(userCode, mailbox);
    }

    /// <summary>Makes the user decline the sign-in on the verification page: the client's next poll gets <c>authorization_declined</c>.</summary>
    /// <param name="userCode">The user code the devicecode endpoint issued.</param>
    /// <exception cref="ArgumentException">No outstanding device code has that user code.</exception>
    /// <exception cref="InvalidOperationException">The code was already approved or declined.</exception>
    public void DeclineDeviceCode(string userCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userCode);
        identity.DeclineDeviceCode(userCode);
    }

    /// <summary>Expires a device code now, as if its <c>expires_in</c> had passed: the client's next poll gets <c>expired_token</c>.</summary>
    /// <param name="userCode">The user code the devicecode endpoint issued.</param>
    /// <exception cref="ArgumentException">No outstanding device code has that user code.</exception>
    public void ExpireDeviceCode(string userCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userCode);
        identity.ExpireDeviceCode(userCode);
    }
}
