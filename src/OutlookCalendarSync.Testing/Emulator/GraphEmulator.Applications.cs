using System.Security.Cryptography.X509Certificates;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>Application (app-only) access: app registrations, admin consent, access policies and mailbox availability.</summary>
/// <remarks>
/// <para>
/// <c>POST /{tenant}/oauth2/v2.0/token</c> with <c>grant_type=client_credentials</c> and a <c>/.default</c> scope issues an app-only
/// token to an app given to <see cref="RegisterApplication"/>, authenticated by its secret or by a client assertion signed with its
/// certificate (RS256 or PS256, <c>x5t</c> or <c>x5t#S256</c>, the token endpoint as audience), in a tenant where an admin
/// consented (<see cref="GrantAdminConsent"/> or the <c>/{tenant}/v2.0/adminconsent</c> page). In a tenant that never consented the
/// grant answers 400 <c>unauthorized_client</c> (AADSTS700016), as Entra does when the app has no service principal there; a bad
/// secret or assertion answers 401 <c>invalid_client</c>. The token is a JWT with <c>tid</c>, <c>appid</c> and, while consent
/// stands, <c>roles: ["Calendars.ReadWrite"]</c>, and the scope's resource as its audience: Graph answers 401
/// <c>InvalidAuthenticationToken</c> to a token for another resource, an expired one, or one given to
/// <see cref="RevokeApplicationTokens"/>.
/// </para>
/// <para>
/// With such a token, <c>/v1.0/users/{name or address}/…</c> reaches any mailbox of the emulator, <c>/v1.0/me/…</c> answers 400
/// (<c>/me</c> needs a signed-in user), a token without the role answers 403 <c>ErrorAccessDenied</c> "Access is denied. Check
/// credentials and try again.", and a mailbox outside the app's access policy (<see cref="SetApplicationAccessPolicy"/>) answers
/// 403 <c>ErrorAccessDenied</c> "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy
/// settings.". <c>$batch</c> items are checked the same way.
/// </para>
/// </remarks>
public sealed partial class GraphEmulator
{
    /// <summary>Registers an app that may use the client-credentials grant, with a secret, a certificate, or both.</summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">Its client secret, or null.</param>
    /// <param name="certificate">Its certificate (the public part is enough), or null.</param>
    /// <exception cref="ArgumentException">Neither a secret nor a certificate is given.</exception>
    public void RegisterApplication(string clientId, string? clientSecret = null, X509Certificate2? certificate = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        if (clientSecret is null && certificate is null)
        {
            throw new ArgumentException("Give the app a client secret, a certificate, or both.", nameof(clientSecret));
        }

        applications.Register(clientId, clientSecret, certificate);
    }

    /// <summary>Grants the app's application permissions in a tenant, as its admin does on the admin-consent page.</summary>
    /// <param name="tenantId">The tenant id (or domain) the app asks tokens of.</param>
    /// <param name="clientId">The app's client id.</param>
    public void GrantAdminConsent(string tenantId, string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        applications.SetConsent(tenantId, clientId, granted: true);
    }

    /// <summary>
    /// Removes the app's application permissions in a tenant, as an admin does in Enterprise applications &gt; Permissions: the
    /// token endpoint goes on issuing tokens, without the <c>Calendars.ReadWrite</c> role, so Graph answers 403. Tokens issued
    /// before keep their role until they expire, as in Entra.
    /// </summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="clientId">The app's client id.</param>
    public void RevokeAdminConsent(string tenantId, string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        applications.SetConsent(tenantId, clientId, granted: false);
    }

    /// <summary>
    /// Makes Graph refuse every app-only access token issued so far to the app in the tenant, as after Entra revoked them (or
    /// a token whose lifetime Graph judges over before the client does): Graph answers 401 <c>InvalidAuthenticationToken</c>,
    /// a <c>$batch</c> as a whole. Tokens the token endpoint issues afterwards are accepted.
    /// </summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="clientId">The app's client id.</param>
    public void RevokeApplicationTokens(string tenantId, string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        applications.RevokeTokens(tenantId, clientId);
    }

    /// <summary>Makes the admin of a tenant decline on the admin-consent page: it redirects back with <c>error=access_denied</c>.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="decline"><see langword="false"/> to let the admin consent again.</param>
    public void DeclineAdminConsent(string tenantId, bool decline = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        applications.DeclineAdminConsent(tenantId, decline);
    }

    /// <summary>
    /// Scopes an app to some mailboxes of a tenant, as an Exchange application access policy (or RBAC for Applications) does:
    /// the others answer 403 <c>ErrorAccessDenied</c> "Access to OData is disabled".
    /// </summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="allowedMailboxes">The mailbox names the app may reach; null removes the policy (every mailbox).</param>
    public void SetApplicationAccessPolicy(string tenantId, string clientId, IEnumerable<string>? allowedMailboxes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        applications.SetPolicy(tenantId, clientId, allowedMailboxes);
    }

    /// <summary>Sets what a user's mailbox is like: there, without a mailbox, not a user, or with its account disabled.</summary>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="availability">What Graph and the token endpoint answer for it; see <see cref="MailboxAvailability"/>.</param>
    public void SetMailboxAvailability(string mailbox, MailboxAvailability availability)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        applications.SetAvailability(backend.MailboxNameFromPath(mailbox), availability);
    }
}
