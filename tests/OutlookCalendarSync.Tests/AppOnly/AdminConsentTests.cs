using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>The admin-consent URL, its callback, and how a tenant's consent reaches its users' runs.</summary>
public sealed class AdminConsentTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    [Fact]
    public async Task BuildAdminConsentUrl_HasTheV2EndpointAndEveryParameter()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);

        Uri url = host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant);

        Assert.Equal(new Uri(host.Emulator.AuthorityHost, AppOnlyTestHost.Tenant + "/v2.0/adminconsent").ToString(), url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(AppOnlyTestHost.ClientId, query["client_id"].ToString());
        Assert.Equal("https://graph.microsoft.com/.default", query["scope"].ToString());
        Assert.Equal(AppOnlyTestHost.ConsentRedirect.ToString(), query["redirect_uri"].ToString());
        Assert.True(query["state"].ToString().Length >= 40);
        Assert.NotEqual(query["state"].ToString(), QueryHelpers.ParseQuery(host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant).Query)["state"].ToString());
    }

    [Fact]
    public async Task CompleteAdminConsentAsync_AdminConsents_TenantConsentedAndItsUsersSyncAtOnce()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.Emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        host.MapAppOnly("user-1", "alice");
        host.SeedRemote("alice", "After consent");
        SyncResult before = await host.Engine.SyncAsync("user-1");

        var answer = await host.FollowAsync(host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));
        AdminConsentResult consent = await host.Authorization.CompleteAdminConsentAsync(answer, default);
        SyncResult after = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.AdminConsentRequired, before.Status);
        Assert.Equal("True", answer["admin_consent"]);
        Assert.Equal(AdminConsentStatus.Consented, consent.Status);
        Assert.Equal(AppOnlyTestHost.Tenant, consent.TenantId);
        Assert.Equal(TenantConsentStatus.Consented, consent.Tenant!.Status);
        Assert.Equal(SyncRunStatus.Synced, after.Status);
    }

    [Fact]
    public async Task CompleteAdminConsentAsync_SameAnswerTwice_SecondIsInvalidState()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.Emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        var answer = await host.FollowAsync(host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));

        AdminConsentResult first = await host.Authorization.CompleteAdminConsentAsync(answer, default);
        AdminConsentResult second = await host.Authorization.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.Consented, first.Status);
        Assert.Equal(AdminConsentStatus.InvalidState, second.Status);
    }

    [Fact]
    public async Task CompleteAdminConsentAsync_ConsentStoreFailsWhileRecording_NotEffectiveWithTheReason()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(
            Now,
            configureServices: s => s.Replace(ServiceDescriptor.Singleton<ITenantConsentStore>(new FailingConsentStore())));
        host.RegisterConsentedApp();
        var answer = await host.FollowAsync(host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));

        AdminConsentResult result = await host.Authorization.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.NotEffective, result.Status);
        Assert.Contains("consent store is down", result.Message, StringComparison.Ordinal);
    }

    private sealed class FailingConsentStore : ITenantConsentStore
    {
        public Task<TenantConsent?> GetAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult<TenantConsent?>(null);

        public Task SaveAsync(TenantConsent consent, CancellationToken cancellationToken) => throw new InvalidOperationException("The consent store is down.");
    }

    [Fact]
    public async Task CompleteAdminConsentAsync_StateExpired_InvalidStateAndNoTokenRequest()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.Emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        var answer = await host.FollowAsync(host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));
        host.Clock.Advance(Duration.FromMinutes(31));

        AdminConsentResult result = await host.Authorization.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.InvalidState, result.Status);
        Assert.Equal(0, host.TokenRequests());
    }

    [Fact]
    public async Task CompleteAdminConsentAsync_AdminDeclines_DeniedAndTenantUnchanged()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.Emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        host.Emulator.DeclineAdminConsent(AppOnlyTestHost.Tenant);

        var answer = await host.FollowAsync(host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));
        AdminConsentResult result = await host.Authorization.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.Denied, result.Status);
        Assert.Contains("access_denied", result.Message, StringComparison.Ordinal);
        Assert.Equal(TenantConsentStatus.Unknown, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task CompleteAdminConsentAsync_ConsentedButGrantRevoked_NotEffective()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.Emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        var answer = await host.FollowAsync(host.Authorization.BuildAdminConsentUrl(AppOnlyTestHost.Tenant));
        host.Emulator.RevokeAdminConsent(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);

        AdminConsentResult result = await host.Authorization.CompleteAdminConsentAsync(answer, default);

        Assert.Equal(AdminConsentStatus.NotEffective, result.Status);
        Assert.Equal(TenantConsentStatus.ConsentRevoked, result.Tenant!.Status);
    }
}
