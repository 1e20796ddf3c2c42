using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// The admin-consent <c>state</c> in a farm: two servers (two DI containers) over one SQLite database and one Data Protection key
/// ring folder, driven through the emulator's admin-consent page; a URL built on one completes on the other.
/// </summary>
public sealed class AdminConsentFarmTests : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 30, 8, 0);
    private readonly FakeClock _clock = new(Now);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"ocs-consent-farm-{Guid.NewGuid():N}.db");
    private readonly string _keyRing = Path.Combine(Path.GetTempPath(), $"ocs-consent-keys-{Guid.NewGuid():N}");
    private readonly List<ServiceProvider> _servers = [];
    private GraphEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = _clock, RequireIssuedAccessTokens = true });
        _emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
    }

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider server in _servers)
        {
            await server.DisposeAsync();
        }

        await _emulator.DisposeAsync();
        foreach (string file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }

        if (Directory.Exists(_keyRing))
        {
            Directory.Delete(_keyRing, recursive: true);
        }
    }

    [Fact]
    public async Task UrlBuiltOnServerA_CompletesOnServerB_AndItsReplayOnB_IsInvalidState()
    {
        IAppOnlyAuthorization a = Server(sharedKeyRing: true).GetRequiredService<IAppOnlyAuthorization>();
        IAppOnlyAuthorization b = Server(sharedKeyRing: true).GetRequiredService<IAppOnlyAuthorization>();
        Dictionary<string, string> answer = await FollowAsync(a.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));

        AdminConsentResult completed = await b.CompleteAdminConsentAsync(answer, default);
        _emulator.ResetRequestLog();
        AdminConsentResult replayed = await b.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.Consented, completed.Status);
        Assert.Equal(AppOnlyTestHost.Tenant, completed.TenantId);
        Assert.Equal(AdminConsentStatus.InvalidState, replayed.Status);
        Assert.Empty(_emulator.RequestLog);

        // A finds what B recorded in the shared store, without asking Microsoft.
        Assert.Equal(TenantConsentStatus.Consented, (await a.GetSharedTenantConsentAsync(AppOnlyTestHost.Tenant, default)).Status);
        Assert.Empty(_emulator.RequestLog);
    }

    [Fact]
    public async Task UrlBuiltOnServerA_ExpiredWhenItReachesServerB_InvalidStateAndNoTokenRequest()
    {
        IAppOnlyAuthorization a = Server(sharedKeyRing: true).GetRequiredService<IAppOnlyAuthorization>();
        IAppOnlyAuthorization b = Server(sharedKeyRing: true).GetRequiredService<IAppOnlyAuthorization>();
        Dictionary<string, string> answer = await FollowAsync(a.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));
        _clock.Advance(Duration.FromMinutes(30));
        _emulator.ResetRequestLog();

        AdminConsentResult result = await b.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.InvalidState, result.Status);
        Assert.Empty(_emulator.RequestLog);
        Assert.Equal(TenantConsentStatus.Unknown, (await b.GetSharedTenantConsentAsync(AppOnlyTestHost.Tenant, default)).Status);
    }

    [Fact]
    public async Task ServerWithoutTheSharedKeyRing_CannotReadAnotherServersState_InvalidState()
    {
        IAppOnlyAuthorization a = Server(sharedKeyRing: true).GetRequiredService<IAppOnlyAuthorization>();
        IAppOnlyAuthorization alone = Server(sharedKeyRing: false).GetRequiredService<IAppOnlyAuthorization>();
        Dictionary<string, string> answer = await FollowAsync(a.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));
        _emulator.ResetRequestLog();

        AdminConsentResult result = await alone.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.InvalidState, result.Status);
        Assert.Empty(_emulator.RequestLog);

        // The state is still good where the key ring is shared: the failed attempt did not use it up.
        Assert.Equal(AdminConsentStatus.Consented, (await a.CompleteAdminConsentAsync(answer, default)).Status);
    }

    [Fact]
    public async Task TamperedState_InvalidState()
    {
        IAppOnlyAuthorization a = Server(sharedKeyRing: true).GetRequiredService<IAppOnlyAuthorization>();
        Dictionary<string, string> answer = await FollowAsync(a.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));
        string state = answer["state"];
        answer["state"] = state[..^2] + (state[^2] == 'A' ? 'B' : 'A') + state[^1];
        _emulator.ResetRequestLog();

        AdminConsentResult result = await a.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.InvalidState, result.Status);
        Assert.Empty(_emulator.RequestLog);
    }

    private ServiceProvider Server(bool sharedKeyRing)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(_clock);
        if (sharedKeyRing)
        {
            services.AddDataProtection().SetApplicationName("ocs-consent-farm").PersistKeysToFileSystem(new DirectoryInfo(_keyRing));
        }

        services.AddOutlookCalendarSync()
            .UseSqliteStores(o => o.DatabasePath = _database)
            .UseMicrosoftGraph(o =>
            {
                o.GraphBaseUrl = _emulator.GraphBaseUrl;
                o.DefaultRetryDelay = TimeSpan.Zero;
            })
            .UseAppOnly(o =>
            {
                o.ClientId = AppOnlyTestHost.ClientId;
                o.ClientSecret = AppOnlyTestHost.ClientSecret;
                o.AuthorityHost = _emulator.AuthorityHost;
                o.HttpClientFactory = _emulator.MsalHttpClientFactory;
                o.AdminConsentRedirectUri = AppOnlyTestHost.ConsentRedirect;
            })
            .UseMailboxDirectory((userId, _) => ValueTask.FromResult<AppOnlyMailbox?>(userId == "user-1" ? new AppOnlyMailbox(AppOnlyTestHost.Tenant, "alice") : null));
        ServiceProvider server = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _servers.Add(server);
        return server;
    }

    /// <summary>Follows the admin-consent URL as the admin's browser and returns the query of the redirect back.</summary>
    private async Task<Dictionary<string, string>> FollowAsync(Uri url)
    {
        using var browser = new HttpClient(_emulator.CreateHttpsHandler());
        using HttpResponseMessage response = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return QueryHelpers.ParseQuery(response.Headers.Location!.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }
}
