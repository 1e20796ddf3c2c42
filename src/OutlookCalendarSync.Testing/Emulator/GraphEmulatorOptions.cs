using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Authentication;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>Settings for <see cref="GraphEmulator.StartAsync(GraphEmulatorOptions, CancellationToken)"/>.</summary>
public sealed class GraphEmulatorOptions
{
    /// <summary>Gets or sets the clock that stamps <c>createdDateTime</c>, <c>lastModifiedDateTime</c> and error dates.</summary>
    /// <value><see cref="SystemClock.Instance"/> by default; tests pass a <c>FakeClock</c>.</value>
    public IClock Clock { get; set; } = SystemClock.Instance;

    /// <summary>
    /// Gets or sets how a bearer token maps to a mailbox: the function gets the token (without <c>Bearer </c>) and
    /// returns the mailbox name, or <see langword="null"/> to answer 401 <c>InvalidAuthenticationToken</c>.
    /// </summary>
    /// <value>By default the token is the mailbox name (<c>Authorization: Bearer alice</c> is mailbox <c>alice</c>).</value>
    public Func<string, string?> ResolveMailbox { get; set; } = static token => token;

    /// <summary>
    /// Gets or sets whether Graph routes accept only access tokens the emulator's identity endpoints issued, unexpired by
    /// <see cref="Clock"/>; <see cref="ResolveMailbox"/> is then not used.
    /// </summary>
    /// <value><see langword="false"/> by default (the token is resolved by <see cref="ResolveMailbox"/>).</value>
    public bool RequireIssuedAccessTokens { get; set; }

    /// <summary>Gets or sets the lifetime of access tokens the identity endpoints issue (<c>expires_in</c>).</summary>
    /// <value>One hour by default. MSAL refreshes a token that expires within five minutes, so a shorter lifetime makes every
    /// silent token request refresh.</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a device code stays usable (<c>expires_in</c> of <c>/oauth2/v2.0/devicecode</c>), by <see cref="Clock"/>.</summary>
    /// <value>15 minutes by default, as Microsoft Entra answers.</value>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets how long a device code client waits between polls of the token endpoint (<c>interval</c>, whole seconds).
    /// </summary>
    /// <value>5 seconds by default, as Microsoft Entra answers; tests shorten it (MSAL waits this long after each pending answer).</value>
    public TimeSpan DeviceCodePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the directory (tenant) id the identity endpoints put in tokens (<c>tid</c>, <c>utid</c>).</summary>
    /// <value>A fixed made-up GUID by default.</value>
    public string TenantId { get; set; } = "5e3f1c2a-0b1d-4e6f-9a8b-7c6d5e4f3a2b";

    /// <summary>
    /// Gets the redirect URIs registered on each app, by client id, as App registrations &gt; Authentication lists them (the Web
    /// and the "Mobile and desktop applications" platforms together). An app not named here has <see cref="DefaultRedirectUris"/>.
    /// </summary>
    /// <value>Empty by default.</value>
    /// <remarks>
    /// <para>
    /// The authorize and admin-consent pages refuse a <c>redirect_uri</c> the app does not list, as Microsoft Entra does: an error
    /// page (status 400) with <c>AADSTS50011: The redirect URI '…' specified in the request does not match the redirect URIs
    /// configured for the application '…'.</c>, and no redirect, since the URI is not trusted. The token endpoint answers a code
    /// redemption whose <c>redirect_uri</c> the app does not list with 401 <c>invalid_client</c> AADSTS50011, and one whose
    /// <c>redirect_uri</c> is not the one of the authorize request with 401 <c>invalid_client</c> AADSTS500112.
    /// </para>
    /// <para>
    /// URIs match as Entra matches them: scheme, host, path and query exactly (paths are case-sensitive), and the port except on
    /// <c>localhost</c> and <c>127.0.0.1</c>, whose port is ignored, so <c>http://localhost</c> admits MSAL's
    /// <c>http://localhost:{any port}</c>.
    /// </para>
    /// </remarks>
    /// <example><c>new GraphEmulatorOptions { RedirectUris = { ["my-client-id"] = [new Uri("https://app.example.test/signin")] } }</c></example>
    public IDictionary<string, IList<Uri>> RedirectUris { get; } = new Dictionary<string, IList<Uri>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the redirect URIs of every app <see cref="RedirectUris"/> does not name.</summary>
    /// <value>
    /// The library's callbacks (<see cref="MicrosoftAccountOptions.CallbackPath"/> and
    /// <see cref="AppOnlyOptions.AdminConsentCallbackPath"/>) on <c>https://calendar.example.test</c> (the public base URL of this
    /// repository's test hosts), on <c>http://localhost</c> and on <c>http://127.0.0.1</c> (any port: the command-line tool, the
    /// sample host, a test host on a free port), and <c>http://localhost</c> itself (any port: MSAL's public-client sign-in in the
    /// system browser).
    /// </value>
    public IList<Uri> DefaultRedirectUris { get; } =
    [
        new("http://localhost"),
        new("https://calendar.example.test" + MicrosoftAccountOptions.CallbackPath),
        new("http://localhost" + MicrosoftAccountOptions.CallbackPath),
        new("http://127.0.0.1" + MicrosoftAccountOptions.CallbackPath),
        new("https://calendar.example.test" + AppOnlyOptions.AdminConsentCallbackPath),
        new("http://localhost" + AppOnlyOptions.AdminConsentCallbackPath),
        new("http://127.0.0.1" + AppOnlyOptions.AdminConsentCallbackPath),
    ];

    /// <summary>Gets or sets the domain of mailbox addresses for mailbox names that contain no <c>@</c>.</summary>
    /// <value><c>emulator.test</c> by default, so mailbox <c>alice</c> is <c>alice@emulator.test</c>.</value>
    public string MailboxDomain { get; set; } = "emulator.test";

    /// <summary>Gets or sets the latency added to every HTTP request (not to each request inside a <c>$batch</c>).</summary>
    /// <value><see cref="TimeSpan.Zero"/> by default; can also be changed later through <see cref="GraphEmulator.Latency"/>.</value>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Gets or sets the time Outlook takes to carry out each request, each request inside a <c>$batch</c> included, during which
    /// the request holds one of the mailbox's 4 concurrent slots (a batch's independent requests run 4 at a time, chained ones
    /// one after another). Unlike <see cref="Latency"/>, which is time on the wire, this time counts against Outlook's
    /// concurrency limit: a request that finds 4 slots held is answered 429 <c>ApplicationThrottled</c> with <c>Retry-After</c>.
    /// </summary>
    /// <value><see cref="TimeSpan.Zero"/> by default: requests hold their slots only while the emulator answers them.</value>
    public TimeSpan ServiceTime { get; set; }

    /// <summary>Gets or sets the page size of <c>calendarView/delta</c> when the client sends no <c>Prefer: odata.maxpagesize</c>.</summary>
    /// <value>50 by default.</value>
    public int DefaultDeltaPageSize { get; set; } = 50;

    /// <summary>
    /// Gets or sets whether a create carrying a <c>transactionId</c> the mailbox has seen returns the event first created with it
    /// instead of creating another.
    /// </summary>
    /// <value><see langword="true"/> by default.</value>
    /// <remarks>
    /// Graph documents <c>transactionId</c> as a way "to avoid redundant POST operations in case of client retries", but not how
    /// long or how reliably a repeat is recognised; set <see langword="false"/> to prove a client is safe when it is not.
    /// Either way the event keeps its <c>transactionId</c> and Graph returns it on reads.
    /// </remarks>
    public bool DeduplicatesTransactionIds { get; set; } = true;
}
