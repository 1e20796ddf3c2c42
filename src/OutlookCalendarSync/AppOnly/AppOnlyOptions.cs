using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;
using NodaTime;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// The app registration app-only users are synced through (client-credentials tokens, one per tenant), set with
/// <c>.UseAppOnly(o =&gt; ...)</c> and validated when the app starts.
/// </summary>
/// <remarks>
/// Register an app in Microsoft Entra ID (it may be the one users connect through), add the Microsoft Graph <em>application</em>
/// permission <c>Calendars.ReadWrite</c>, upload a certificate (preferred) or create a client secret, and have each tenant's
/// admin consent (<see cref="IAppOnlyAuthorization.BuildAdminConsentUrl"/>). See docs/app-only.md.
/// </remarks>
public sealed class AppOnlyOptions
{
    /// <summary>The path of the admin-consent callback that <c>MapOutlookCalendarSyncAdminConsent()</c> maps.</summary>
    public const string AdminConsentCallbackPath = "/microsoft_account/admin_consent";

    /// <summary>The scope of an app-only Graph token in the global Microsoft cloud.</summary>
    public const string DefaultGraphScope = "https://graph.microsoft.com/.default";

    /// <summary>
    /// Gets or sets the app's Application (client) ID.
    /// <value>No default: required.</value>
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Gets or sets a certificate with its private key, whose public part is uploaded to the app registration: MSAL signs a client
    /// assertion with it. Preferred over <see cref="ClientSecret"/>, which is used only when this is null.
    /// <value>No default: set this or <see cref="ClientSecret"/>.</value>
    /// </summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// Gets or sets the client secret's value. Never logged.
    /// <value>No default: set this or <see cref="ClientCertificate"/>.</value>
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Gets or sets the Microsoft Entra authority host: a national cloud, or the <c>GraphEmulator</c>'s <c>AuthorityHost</c> in
    /// tests. It must use HTTPS.
    /// <value>Default: <c>https://login.microsoftonline.com/</c>.</value>
    /// </summary>
    public Uri AuthorityHost { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>
    /// Gets or sets the scope of app-only tokens: the Graph resource followed by <c>/.default</c> (every application permission
    /// the admin granted). A national cloud uses its own, such as <c>https://graph.microsoft.us/.default</c>.
    /// <value>Default: <c>https://graph.microsoft.com/.default</c>.</value>
    /// </summary>
    public string GraphScope { get; set; } = DefaultGraphScope;

    /// <summary>
    /// Gets or sets the redirect URI of the admin-consent callback, registered under the app's Web redirect URIs, such as
    /// <c>https://calendar.example.com/microsoft_account/admin_consent</c>.
    /// <value>Default: <see langword="null"/>: <see cref="IAppOnlyAuthorization.BuildAdminConsentUrl"/> then throws; tenants
    /// may still consent in the Entra admin center.</value>
    /// </summary>
    public Uri? AdminConsentRedirectUri { get; set; }

    /// <summary>
    /// Gets or sets how long an admin-consent URL's <c>state</c> stays usable.
    /// <value>Default: 30 minutes.</value>
    /// </summary>
    public Duration AdminConsentLifetime { get; set; } = Duration.FromMinutes(30);

    /// <summary>
    /// Gets or sets how long a tenant without consent, or with wrong credentials, is left alone before a token is asked for again.
    /// Until then its app-only users end their runs at once with <c>AdminConsentRequired</c> and no request to Microsoft; an
    /// admin-consent callback ends the wait at once. From 1 minute to 1 day.
    /// <value>Default: 15 minutes.</value>
    /// </summary>
    public Duration ConsentRecheckInterval { get; set; } = Duration.FromMinutes(15);

    /// <summary>
    /// Gets or sets how long a user whose mailbox Graph refused (access policy, no mailbox, unknown user) waits before the next
    /// try. Exchange applies application access policy changes within about an hour. From 1 minute to 7 days.
    /// <value>Default: 1 hour.</value>
    /// </summary>
    public Duration MailboxRecheckInterval { get; set; } = Duration.FromHours(1);

    /// <summary>
    /// Gets or sets the HTTP client factory MSAL sends its requests through; the <c>GraphEmulator</c>'s in tests.
    /// <value>Default: <see langword="null"/> (MSAL's own).</value>
    /// </summary>
    public IMsalHttpClientFactory? HttpClientFactory { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"{nameof(ClientId)} is required: the Application (client) ID of the app registration.";
        }

        if (ClientCertificate is null && string.IsNullOrEmpty(ClientSecret))
        {
            yield return $"Set {nameof(ClientCertificate)} (preferred) or {nameof(ClientSecret)}: app-only tokens need the app's credential.";
        }
        else if (ClientCertificate is { HasPrivateKey: false })
        {
            yield return $"{nameof(ClientCertificate)} must include its private key: MSAL signs the client assertion with it.";
        }

        if (AuthorityHost is null || !AuthorityHost.IsAbsoluteUri || AuthorityHost.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"{nameof(AuthorityHost)} must be an absolute https URL such as https://login.microsoftonline.com/ (it is '{AuthorityHost}').";
        }

        if (string.IsNullOrWhiteSpace(GraphScope) || !GraphScope.EndsWith("/.default", StringComparison.Ordinal))
        {
            yield return $"{nameof(GraphScope)} must be the Graph resource followed by /.default, such as {DefaultGraphScope} (it is '{GraphScope}').";
        }

        if (AdminConsentRedirectUri is { } redirect && (!redirect.IsAbsoluteUri || (redirect.Scheme != Uri.UriSchemeHttps && !redirect.IsLoopback)))
        {
            yield return $"{nameof(AdminConsentRedirectUri)} must be an absolute https URL (http only on a loopback address) (it is '{redirect}').";
        }

        if (AdminConsentLifetime < Duration.FromMinutes(1) || AdminConsentLifetime > Duration.FromDays(1))
        {
            yield return $"{nameof(AdminConsentLifetime)} must be from 1 minute to 1 day (it is {AdminConsentLifetime}).";
        }

        if (ConsentRecheckInterval < Duration.FromMinutes(1) || ConsentRecheckInterval > Duration.FromDays(1))
        {
            yield return $"{nameof(ConsentRecheckInterval)} must be from 1 minute to 1 day (it is {ConsentRecheckInterval}).";
        }

        if (MailboxRecheckInterval < Duration.FromMinutes(1) || MailboxRecheckInterval > Duration.FromDays(7))
        {
            yield return $"{nameof(MailboxRecheckInterval)} must be from 1 minute to 7 days (it is {MailboxRecheckInterval}).";
        }
    }
}
