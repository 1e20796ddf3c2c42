using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Authentication;

/// <summary>
/// The whole stack as a host app wires it: <c>UseMicrosoftAccount</c> + <c>UseMicrosoftGraph</c> over the emulator, which
/// accepts only the access tokens its identity endpoints issued. The test plays the user's browser.
/// </summary>
internal sealed class MicrosoftAccountTestHost : IAsyncDisposable
{
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "emulator-client-secret-value";
    public static readonly Uri PublicBaseUrl = new("https://calendar.example.test/");

    private readonly HttpClient _browser;

    private MicrosoftAccountTestHost(GraphEmulator emulator, FakeClock clock, ServiceProvider services, CapturingLoggerProvider logs)
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

    public InMemoryTokenStore TokenStore => Services.GetRequiredService<InMemoryTokenStore>();

    public InMemorySyncStateStore StateStore => Services.GetRequiredService<InMemorySyncStateStore>();

    public InMemoryCalendarStore Local => Services.GetRequiredService<InMemoryCalendarStore>();

    public IMicrosoftAccountAuthorization Authorization => Services.GetRequiredService<IMicrosoftAccountAuthorization>();

    public IPublicClientSignIn PublicClientSignIn => Services.GetRequiredService<IPublicClientSignIn>();

    public ISyncEngine Engine => Services.GetRequiredService<ISyncEngine>();

    public static async Task<MicrosoftAccountTestHost> StartAsync(
        Instant now, TimeSpan? accessTokenLifetime = null, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null, int? maxPendingSignIns = null,
        OutlookCalendarSync.Stores.IPendingSignInStore? pendingSignInStore = null, PublicClientSetup publicClient = PublicClientSetup.None)
    {
        var clock = new FakeClock(now);
        GraphEmulator emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Clock = clock,
            RequireIssuedAccessTokens = true,
            AccessTokenLifetime = accessTokenLifetime ?? TimeSpan.FromHours(1),
            DeviceCodePollingInterval = TimeSpan.FromSeconds(1),
        });
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IClock>(clock);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        var tokens = new InMemoryTokenStore();
        var states = new InMemorySyncStateStore(clock);
        var local = new InMemoryCalendarStore(clock);
        services.AddSingleton(tokens);
        services.AddSingleton(states);
        services.AddSingleton(local);
        OutlookCalendarSync.DependencyInjection.OutlookCalendarSyncBuilder builder = services.AddOutlookCalendarSync();
        if (pendingSignInStore is not null)
        {
            builder.UsePendingSignInStore(pendingSignInStore);
        }

        builder
            .UseCalendarStore(local)
            .UseSyncStateStore(states)
            .UseTokenStore(tokens)
            .UseMicrosoftGraph(o =>
            {
                o.GraphBaseUrl = emulator.GraphBaseUrl;
                o.DefaultRetryDelay = TimeSpan.Zero;
            })
            .UseMicrosoftAccount(o =>
            {
                o.ClientId = ClientId;
                o.ClientSecret = clientCertificate is null && publicClient != PublicClientSetup.PublicOnly ? ClientSecret : null;
                o.PublicClient = publicClient != PublicClientSetup.None;
                o.ClientCertificate = clientCertificate;
                o.PublicBaseUrl = publicClient == PublicClientSetup.PublicOnly ? null : PublicBaseUrl;
                o.AuthorityHost = emulator.AuthorityHost;
                o.HttpClientFactory = emulator.MsalHttpClientFactory;
                o.MaxPendingSignIns = maxPendingSignIns ?? o.MaxPendingSignIns;
            });
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new MicrosoftAccountTestHost(emulator, clock, provider, logs);
    }

    /// <summary>Follows the sign-in URL as the mailbox's user would and returns the query Microsoft redirects back with.</summary>
    public async Task<Dictionary<string, string>> SignInAsync(Uri signInUrl, string mailbox)
    {
        using HttpResponseMessage response = await _browser.GetAsync(QueryHelpers.AddQueryString(signInUrl.ToString(), "login_hint", mailbox));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Uri location = response.Headers.Location!;
        Assert.StartsWith(PublicBaseUrl + "microsoft_account/authentication", location.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>Connects the user's account through the whole flow.</summary>
    public async Task<SignInResult> ConnectAsync(string userId, string mailbox)
    {
        Uri url = await Authorization.BuildSignInUrlAsync(userId);
        return await Authorization.CompleteSignInAsync(await SignInAsync(url, mailbox), userId);
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>How the test host's app is registered for sign-ins on the user's device.</summary>
internal enum PublicClientSetup
{
    /// <summary>A confidential Web app only (the client secret).</summary>
    None,

    /// <summary>A public client only: no secret, no Web redirect URI.</summary>
    PublicOnly,

    /// <summary>Both: the Web sign-in with the secret, and public-client sign-ins.</summary>
    PublicAndWeb,
}
