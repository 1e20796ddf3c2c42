namespace OutlookCalendarSync.Authentication;

/// <summary>
/// Connects a user's Microsoft account from the user's own device as a public client, without the app's secret, the way
/// <c>az login</c> does: in the system browser with a loopback redirect (authorization code with PKCE), or with a device code
/// typed on another device's browser.
/// </summary>
/// <remarks>
/// <para>
/// Needs <see cref="MicrosoftAccountOptions.PublicClient"/> and an app registration with the platform <em>Mobile and desktop
/// applications</em> and the redirect URI <c>http://localhost</c> (any port is accepted for it); the device code flow also
/// needs Authentication &gt; Advanced settings &gt; <em>Allow public client flows</em>: Yes. Microsoft Entra refuses either flow
/// of a Web-only app (AADSTS7000218), which the result explains.
/// </para>
/// <para>
/// The tokens go to the same <see cref="Stores.ITokenStore"/> as the Web sign-in's, marked as a public client's, and the
/// sync refreshes them silently without the secret. The user's sync is activated as after the Web sign-in.
/// </para>
/// </remarks>
/// <threadsafety>All members are safe to call concurrently, for different users.</threadsafety>
public interface IPublicClientSignIn
{
    /// <summary>
    /// Signs the user in through the system browser: MSAL listens on the loopback redirect URI, opens the Microsoft sign-in
    /// page, and exchanges the code that comes back with its PKCE verifier.
    /// </summary>
    /// <param name="userId">The host's user id the account is connected to.</param>
    /// <param name="options">The redirect URI, the account to suggest and how to open the browser; null for the defaults.</param>
    /// <param name="cancellationToken">Stops waiting for the browser (a timeout, Ctrl+C).</param>
    /// <returns>What happened; never throws for a declined or failed sign-in.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SignInResult> SignInWithBrowserAsync(string userId, BrowserSignInOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Signs the user in with a device code: <paramref name="showPrompt"/> shows Microsoft's message (a URL and a code to enter
    /// there, on any device), then this polls until the user signs in, declines, or the code expires.
    /// </summary>
    /// <param name="userId">The host's user id the account is connected to.</param>
    /// <param name="showPrompt">Shows the user what to do; called once, before polling starts.</param>
    /// <param name="cancellationToken">Stops polling (a timeout, Ctrl+C).</param>
    /// <returns>
    /// What happened; never throws for a declined (<see cref="SignInStatus.Denied"/>, <c>authorization_declined</c>) or expired
    /// (<see cref="SignInStatus.Failed"/>, <c>expired_token</c>) code.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="showPrompt"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SignInResult> SignInWithDeviceCodeAsync(string userId, Func<DeviceCodePrompt, CancellationToken, Task> showPrompt, CancellationToken cancellationToken = default);
}
