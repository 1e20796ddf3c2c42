using Microsoft.Identity.Client;
using NodaTime;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// The Azure app registration users connect their Microsoft account through, set with <c>.UseMicrosoftAccount(o =&gt; ...)</c>
/// and validated when the app starts.
/// </summary>
/// <remarks>
/// Register one app in the Azure portal (Microsoft Entra ID &gt; App registrations): platform <em>Web</em>, the redirect URI
/// <c>{PublicBaseUrl}/microsoft_account/authentication</c>, a client secret, and the delegated Microsoft Graph permissions
/// <c>User.Read</c> and <c>Calendars.ReadWrite</c>.
/// </remarks>
public sealed class MicrosoftAccountOptions
{
    /// <summary>The path of the redirect URI under <see cref="PublicBaseUrl"/>.</summary>
    public const string CallbackPath = "/microsoft_account/authentication";

    /// <summary>The authority host of the global Microsoft cloud.</summary>
    public static readonly Uri DefaultAuthorityHost = new("https://login.microsoftonline.com/");

    /// <summary>
    /// Gets or sets the app's Application (client) ID, from the app registration's Overview page.
    /// <value>No default: required.</value>
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Gets or sets the client secret's value, from Certificates &amp; secrets &gt; Client secrets. Never logged.
    /// <value>No default: set this or <see cref="ClientCertificate"/>.</value>
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Gets or sets a certificate with its private key, whose public part is uploaded under Certificates &amp; secrets &gt;
    /// Certificates, used instead of a client secret (MSAL signs a client assertion with it).
    /// <value>No default: set this or <see cref="ClientSecret"/>.</value>
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// Gets or sets whether users may connect as a public client, on their own device and without the app's secret, through
    /// <see cref="IPublicClientSignIn"/> (the system browser with a loopback redirect, or a device code), as command-line tools do.
    /// The app registration then needs the platform <em>Mobile and desktop applications</em> with the redirect URI
    /// <c>http://localhost</c> and, for device codes, Authentication &gt; Advanced settings &gt; <em>Allow public client flows</em>: Yes.
    /// <value>Default: <see langword="false"/> (a confidential Web app: <see cref="ClientSecret"/> or <see cref="ClientCertificate"/> is required).</value>
    /// </summary>
    /// <remarks>
    /// With this set, <see cref="ClientSecret"/>, <see cref="ClientCertificate"/>, <see cref="PublicBaseUrl"/> and
    /// <see cref="RedirectUri"/> may be left unset; <see cref="IMicrosoftAccountAuthorization.BuildSignInUrlAsync"/> (the Web
    /// sign-in) then throws, since it needs the secret. Each connected account remembers how it was connected and is refreshed the
    /// same way: an account connected as a public client never sends the secret, even when one is set.
    /// </remarks>
    public bool PublicClient { get; set; }

    /// <summary>
    /// Gets or sets who may connect: <c>common</c> (work, school and personal accounts), <c>organizations</c>,
    /// <c>consumers</c>, or one directory's tenant id (a GUID or a domain such as <c>contoso.onmicrosoft.com</c>).
    /// <value>Default: <c>common</c>.</value>
    /// </summary>
    public string TenantId { get; set; } = "common";

    /// <summary>
    /// Gets or sets the public root URL of the host app, such as <c>https://calendar.example.com/</c>; the redirect URI is
    /// <c>{PublicBaseUrl}/microsoft_account/authentication</c> unless <see cref="RedirectUri"/> is set.
    /// <value>No default: this or <see cref="RedirectUri"/> is required.</value>
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Gets or sets an explicit redirect URI, when the callback is not at <c>{PublicBaseUrl}/microsoft_account/authentication</c>.
    /// It must be registered exactly so under Authentication &gt; Web &gt; Redirect URIs.
    /// <value>Default: <see langword="null"/> (made from <see cref="PublicBaseUrl"/>).</value>
    /// </summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>
    /// Gets the scopes asked for at sign-in.
    /// <value>Default: <c>offline_access openid User.Read Calendars.ReadWrite</c>.</value>
    /// </summary>
    /// <remarks>MSAL adds <c>openid</c>, <c>profile</c> and <c>offline_access</c> itself; the others are the Graph permissions.</remarks>
    public IList<string> Scopes { get; } = ["offline_access", "openid", "User.Read", "Calendars.ReadWrite"];

    /// <summary>
    /// Gets or sets the Microsoft Entra authority host: a national cloud (<c>https://login.microsoftonline.us/</c>) or the
    /// <c>GraphEmulator</c>'s <c>AuthorityHost</c> in tests. It must use HTTPS.
    /// <value>Default: <c>https://login.microsoftonline.com/</c>.</value>
    /// </summary>
    public Uri AuthorityHost { get; set; } = DefaultAuthorityHost;

    /// <summary>
    /// Gets or sets how long a sign-in URL stays usable.
    /// <value>Default: 10 minutes.</value>
    /// </summary>
    public Duration SignInLifetime { get; set; } = Duration.FromMinutes(10);

    /// <summary>
    /// Gets or sets how many sign-ins may be pending at once in the default in-memory pending-sign-in store; when it is full, the
    /// oldest pending sign-in is dropped (its user starts again). Each user has at most one, so this is how many users may be
    /// between the connect link and the callback within one <see cref="SignInLifetime"/>. The SQLite and
    /// PostgreSQL stores keep one row per user and delete expired rows, and ignore this setting.
    /// <value>Default: 10,000.</value>
    /// </summary>
    public int MaxPendingSignIns { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets a folder for the ASP.NET Core Data Protection key ring that encrypts the token caches, used when the host
    /// registers no <c>IDataProtectionProvider</c> (<c>services.AddDataProtection()</c>).
    /// <value>Default: <see langword="null"/> (the host's provider is required).</value>
    /// </summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>
    /// Gets or sets the HTTP client factory MSAL sends its requests through; the <c>GraphEmulator</c>'s in tests.
    /// <value>Default: <see langword="null"/> (MSAL's own).</value>
    /// </summary>
    public IMsalHttpClientFactory? HttpClientFactory { get; set; }

    /// <summary>Gets the redirect URI: <see cref="RedirectUri"/>, or the one made from <see cref="PublicBaseUrl"/>.</summary>
    /// <returns>The redirect URI, or <see langword="null"/> when neither is set.</returns>
    internal Uri? GetRedirectUri() =>
        RedirectUri ?? (PublicBaseUrl is null ? null : new Uri(PublicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + CallbackPath));
}
