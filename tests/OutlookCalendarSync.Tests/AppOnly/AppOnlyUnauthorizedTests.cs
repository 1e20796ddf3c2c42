using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// Graph's 401 for an app-only user: the tenant's token is dropped, a new one issued and the request sent once more; only a
/// second 401 (or Entra refusing the new token) sets the tenant's status. Never NeedsReauthorization: there is no user to ask.
/// </summary>
public sealed class AppOnlyUnauthorizedTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    [Fact]
    public async Task SyncAsync_TokenRevokedInGraph_NewTokenAndTheRunSyncs()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        host.MapAppOnly("user-1", "alice");
        host.SeedRemote("alice", "Before");
        Assert.Equal(SyncRunStatus.Synced, (await host.Engine.SyncAsync("user-1")).Status);
        host.Emulator.RevokeApplicationTokens(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        host.SeedRemote("alice", "After");

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.True(result.Status == SyncRunStatus.Synced, result.Message);
        Assert.Contains(host.Local.GetAll("user-1"), e => e.Subject == "After");
        Assert.Equal(2, host.TokenRequests());
        Assert.Single(host.Emulator.RequestLog, e => e.StatusCode == 401);
        Assert.Equal(SyncStatus.Active, (await host.Engine.GetStatusAsync("user-1")).Status);
        Assert.Equal(TenantConsentStatus.Consented, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task SyncAsync_TokenExpiredForGraphBeforeMsalThinksSo_NewTokenAndTheRunSyncs()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        host.MapAppOnly("user-1", "alice");
        Assert.Equal(SyncRunStatus.NothingNew, (await host.Engine.SyncAsync("user-1")).Status);

        // Graph's clock is past the token's expiry while MSAL's cache (on the machine's clock) still holds it: a real 401.
        host.Clock.Advance(Duration.FromHours(2));
        host.SeedRemote("alice", "Later");
        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.True(result.Status == SyncRunStatus.Synced, result.Message);
        Assert.Equal(2, host.TokenRequests());
        Assert.Contains(host.Emulator.RequestLog, e => e.StatusCode == 401);
    }

    [Fact]
    public async Task SyncAsync_GraphRefusesEvenANewToken_TenantMisconfiguredNotNeedsReauthorization()
    {
        // A scope of another resource: Entra issues the token, Graph refuses every one (401 invalid audience).
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now, configure: o => o.GraphScope = "https://outlook.office.com/.default");
        host.RegisterConsentedApp();
        host.MapAppOnly("user-1", "alice");
        host.MapAppOnly("user-2", "bob");

        SyncResult first = await host.Engine.SyncAsync("user-1");
        int requests = host.Emulator.RequestLog.Count;
        SyncResult second = await host.Engine.SyncAsync("user-2");

        Assert.Equal(SyncRunStatus.AdminConsentRequired, first.Status);
        Assert.Contains("GraphScope", first.Message, StringComparison.Ordinal);
        Assert.Equal(2, host.TokenRequests());
        Assert.Equal(2, host.Emulator.RequestLog.Count(e => e.StatusCode == 401));
        TenantConsent tenant = host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant);
        Assert.Equal(TenantConsentStatus.Misconfigured, tenant.Status);
        Assert.Equal(Now + Duration.FromMinutes(15), tenant.NextCheckAt);
        Assert.Equal(first.RetryAfter, tenant.NextCheckAt);
        Assert.Equal(SyncStatus.Active, (await host.Engine.GetStatusAsync("user-1")).Status);

        // The tenant's other users end at once, without a request.
        Assert.Equal(SyncRunStatus.AdminConsentRequired, second.Status);
        Assert.Equal(requests, host.Emulator.RequestLog.Count);
    }

    [Fact]
    public async Task Batch_EnvelopeRefused_IsSentAgainWithANewToken()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        host.SeedRemote("alice", "Listed");
        await using AsyncServiceScope scope = host.Services.CreateAsyncScope();
        var mailboxes = scope.ServiceProvider.GetRequiredService<AppOnlyMailboxes>();
        GraphServiceClient client = mailboxes.CreateClient(new AppOnlyMailbox(AppOnlyTestHost.Tenant, "alice"), new HttpClient(), host.Emulator.GraphBaseUrl.ToString().TrimEnd('/'), host.Emulator.GraphBaseUrl.Host);
        Assert.Single((await client.Me.Events.GetAsync())!.Value!);
        host.Emulator.RevokeApplicationTokens(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        host.Emulator.ResetRequestLog();

        var batch = new BatchRequestContentCollection(client);
        string step = await batch.AddBatchRequestStepAsync(client.Me.Events.ToGetRequestInformation());
        BatchResponseContentCollection response = await client.Batch.PostAsync(batch);
        EventCollectionResponse? events = await response.GetResponseByIdAsync<EventCollectionResponse>(step);

        Assert.Equal("Listed", Assert.Single(events!.Value!).Subject);
        Assert.Equal(new[] { 401, 200 }, host.Emulator.RequestLog.Where(e => e.Path == "/v1.0/$batch").Select(e => e.StatusCode));
        Assert.Equal(1, host.TokenRequests()); // the new token: the log was reset after the first

    }
}
