using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// Two servers of a farm (two DI containers) over one SQLite database and one emulator: a tenant's consent status recorded by one
/// is acted on by the other, through <see cref="ITenantConsentStore"/>.
/// </summary>
public sealed class SharedTenantConsentTests : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private readonly FakeClock _clock = new(Now);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"ocs-consent-{Guid.NewGuid():N}.db");
    private GraphEmulator _emulator = null!;
    private ServiceProvider _serverA = null!;
    private ServiceProvider _serverB = null!;

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = _clock, RequireIssuedAccessTokens = true });
        _emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        _serverA = Server();
        _serverB = Server();
    }

    public async Task DisposeAsync()
    {
        await _serverA.DisposeAsync();
        await _serverB.DisposeAsync();
        await _emulator.DisposeAsync();
        foreach (string file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ConsentThroughServerA_IsSeenByServerB_AndRevocationSeenByA_StopsB()
    {
        _emulator.AddEvent("alice", """{"subject":"Alice's","start":{"dateTime":"2026-11-25T14:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-25T15:00:00","timeZone":"UTC"}}""");

        // B finds the tenant without consent: it waits ConsentRecheckInterval (15 minutes) before asking Entra again.
        SyncResult refused = await Engine(_serverB).SyncAsync("user-1");
        Assert.Equal(SyncRunStatus.AdminConsentRequired, refused.Status);

        // The admin consents through A's callback.
        _clock.Advance(Duration.FromSeconds(10));
        IAppOnlyAuthorization a = _serverA.GetRequiredService<IAppOnlyAuthorization>();
        AdminConsentResult consent = await a.CompleteAdminConsentAsync(await FollowAsync(a.BuildAdminConsentUrl(AppOnlyTestHost.Tenant)), default);
        Assert.Equal(AdminConsentStatus.Consented, consent.Status);

        // B acts on it once its copy is a minute old, long before its own recheck was due.
        _clock.Advance(Duration.FromSeconds(61));
        IAppOnlyAuthorization b = _serverB.GetRequiredService<IAppOnlyAuthorization>();
        Assert.Equal(TenantConsentStatus.Consented, (await b.GetSharedTenantConsentAsync(AppOnlyTestHost.Tenant, default)).Status);
        SyncResult synced = await Engine(_serverB).SyncAsync("user-1");
        Assert.True(synced.Status == SyncRunStatus.Synced, synced.Message);

        // The admin revokes; A finds out. B still holds a token with the role, yet stops the tenant's runs without a request.
        _emulator.RevokeAdminConsent(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        _clock.Advance(Duration.FromSeconds(10));
        Assert.Equal(TenantConsentStatus.ConsentRevoked, (await a.CheckTenantAsync(AppOnlyTestHost.Tenant, default)).Status);
        _clock.Advance(Duration.FromSeconds(61));
        _emulator.ResetRequestLog();
        SyncResult stopped = await Engine(_serverB).SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.AdminConsentRequired, stopped.Status);
        Assert.Equal(TenantConsentStatus.ConsentRevoked, b.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
        Assert.DoesNotContain(_emulator.RequestLog, e => e.Path.StartsWith("/v1.0/", StringComparison.Ordinal));
    }

    private static ISyncEngine Engine(ServiceProvider server) => server.GetRequiredService<ISyncEngine>();

    private ServiceProvider Server()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(_clock);
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
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
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
