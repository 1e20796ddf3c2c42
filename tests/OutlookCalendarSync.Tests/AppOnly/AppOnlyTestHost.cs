using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;
using OutlookCalendarSync.Tests.Authentication;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// A host that syncs mapped users with application permissions (<c>UseAppOnly</c> + <c>UseMailboxDirectory</c>), and connected
/// users with their own sign-in (<c>UseMicrosoftAccount</c>), over the emulator, which accepts only the tokens it issued.
/// </summary>
internal sealed class AppOnlyTestHost : IAsyncDisposable
{
    public const string Tenant = "contoso.onmicrosoft.com";
    public const string ClientId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    public const string ClientSecret = "app-only-secret-value";
    public static readonly Uri ConsentRedirect = new("https://calendar.example.test/microsoft_account/admin_consent");

    private readonly HttpClient _browser;

    private AppOnlyTestHost(GraphEmulator emulator, FakeClock clock, ServiceProvider services, CapturingLoggerProvider logs)
    {
        Emulator = emulator;
        Clock = clock;
        Services = services;
        Logs = logs;
        _browser = new HttpClient(emulator.CreateHttpsHandler());
    }

    public GraphEmulator Emulator { get; }

    public FakeClock Clock { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>The host's mapping: user id to tenant and mailbox; users not in it are delegated.</summary>
    public ConcurrentDictionary<string, AppOnlyMailbox> Mailboxes { get; } = new(StringComparer.Ordinal);

    public InMemorySyncStateStore StateStore => Services.GetRequiredService<InMemorySyncStateStore>();

    public InMemoryCalendarStore Local => Services.GetRequiredService<InMemoryCalendarStore>();

    public ISyncEngine Engine => Services.GetRequiredService<ISyncEngine>();

    public IAppOnlyAuthorization Authorization => Services.GetRequiredService<IAppOnlyAuthorization>();

    public static async Task<AppOnlyTestHost> StartAsync(Instant now, X509Certificate2? certificate = null, string? secret = ClientSecret, Action<AppOnlyOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var clock = new FakeClock(now);
        GraphEmulator emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = clock, RequireIssuedAccessTokens = true });
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IClock>(clock);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        var states = new InMemorySyncStateStore(clock);
        var local = new InMemoryCalendarStore(clock);
        services.AddSingleton(states);
        services.AddSingleton(local);
        AppOnlyTestHost? host = null;
        services.AddOutlookCalendarSync()
            .UseCalendarStore(local)
            .UseSyncStateStore(states)
            .UseTokenStore(new InMemoryTokenStore())
            .UseMicrosoftGraph(o =>
            {
                o.GraphBaseUrl = emulator.GraphBaseUrl;
                o.DefaultRetryDelay = TimeSpan.Zero;
            })
            .UseMicrosoftAccount(o =>
            {
                o.ClientId = ClientId;
                o.ClientSecret = ClientSecret;
                o.PublicBaseUrl = new Uri("https://calendar.example.test/");
                o.AuthorityHost = emulator.AuthorityHost;
                o.HttpClientFactory = emulator.MsalHttpClientFactory;
            })
            .UseAppOnly(o =>
            {
                o.ClientId = ClientId;
                o.ClientCertificate = certificate;
                o.ClientSecret = certificate is null ? secret : null;
                o.AuthorityHost = emulator.AuthorityHost;
                o.HttpClientFactory = emulator.MsalHttpClientFactory;
                o.AdminConsentRedirectUri = ConsentRedirect;
                configure?.Invoke(o);
            })
            .UseMailboxDirectory((userId, _) => ValueTask.FromResult(host!.Mailboxes.TryGetValue(userId, out AppOnlyMailbox? found) ? found : null));
        configureServices?.Invoke(services);
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        host = new AppOnlyTestHost(emulator, clock, provider, logs);
        return host;
    }

    /// <summary>Registers the app in the emulator with the secret (and certificate), consented in <see cref="Tenant"/>.</summary>
    public void RegisterConsentedApp(X509Certificate2? certificate = null)
    {
        Emulator.RegisterApplication(ClientId, ClientSecret, certificate);
        Emulator.GrantAdminConsent(Tenant, ClientId);
    }

    public void MapAppOnly(string userId, string mailbox, string tenant = Tenant) => Mailboxes[userId] = new AppOnlyMailbox(tenant, mailbox);

    public void SeedRemote(string mailbox, string subject) =>
        Emulator.AddEvent(mailbox, $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"2026-11-25T14:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-25T15:00:00","timeZone":"W. Europe Standard Time"}}""");

    public int TokenRequests() => Emulator.CountRequests("POST /{tenant}/oauth2/v2.0/token");

    /// <summary>Follows a URL on the identity endpoints as the admin's browser and returns the query of the redirect back.</summary>
    public async Task<Dictionary<string, string>> FollowAsync(Uri url)
    {
        using HttpResponseMessage response = await _browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Uri location = response.Headers.Location!;
        Assert.Equal(ConsentRedirect.ToString(), location.GetLeftPart(UriPartial.Path));
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>Connects a delegated user through the sign-in flow as their browser would.</summary>
    public async Task<SignInResult> ConnectDelegatedAsync(string userId, string mailbox)
    {
        IMicrosoftAccountAuthorization authorization = Services.GetRequiredService<IMicrosoftAccountAuthorization>();
        Uri url = await authorization.BuildSignInUrlAsync(userId);
        using HttpResponseMessage response = await _browser.GetAsync(QueryHelpers.AddQueryString(url.ToString(), "login_hint", mailbox));
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        return await authorization.CompleteSignInAsync(query, userId);
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
