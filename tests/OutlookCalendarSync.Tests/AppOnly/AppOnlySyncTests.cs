using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing.Emulator;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// App-only users synced end to end: the real MSAL confidential client gets client-credentials tokens from the emulator's identity
/// endpoints, and the real Graph adapter reads and writes <c>/users/{mailbox}</c>.
/// </summary>
public sealed class AppOnlySyncTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    [Fact]
    public async Task SyncAsync_AppOnlyUser_ReadsAndWritesOnlyThroughUsersRoutes()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        host.MapAppOnly("user-1", "alice@emulator.test");
        host.SeedRemote("alice", "From Outlook");
        host.Local.AddByUser("user-1", TestEvents.Meeting("From the host", day: 2) with { Id = null });

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.True(result.Status == SyncRunStatus.Synced, result.Message + "\n" + string.Join("\n", host.Emulator.RequestLog.Select(e => $"{e.Method} {e.Path} {e.StatusCode} {e.InBatch}")));
        Assert.Contains(host.Local.GetAll("user-1"), e => e.Subject == "From Outlook");
        Assert.Contains(host.Emulator.GetEvents("alice"), e => (string?)e["subject"] == "From the host");
        var graphRequests = host.Emulator.RequestLog.Where(e => e.Path.StartsWith("/v1.0/", StringComparison.Ordinal) && e.Path != "/v1.0/$batch").ToList();
        Assert.Contains(graphRequests, e => e.InBatch);
        Assert.All(graphRequests, e => Assert.StartsWith("/v1.0/users/alice@emulator.test/", e.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_ManyUsersOfOneTenant_OneTokenRequest()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        foreach (string name in new[] { "alice", "bob", "carol" })
        {
            host.MapAppOnly("user-" + name, name + "@emulator.test");
            host.SeedRemote(name, name + "'s meeting");
        }

        SyncResult[] results = await Task.WhenAll(new[] { "alice", "bob", "carol" }.Select(n => host.Engine.SyncAsync("user-" + n)));

        Assert.All(results, r => Assert.Equal(SyncRunStatus.Synced, r.Status));
        Assert.Equal(1, host.TokenRequests());
        Assert.Equal(TenantConsentStatus.Consented, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task SyncAsync_CertificateCredential_Syncs()
    {
        using RSA key = RSA.Create(2048);
        using X509Certificate2 certificate = new CertificateRequest("CN=app-only", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now, certificate);
        host.Emulator.RegisterApplication(AppOnlyTestHost.ClientId, certificate: certificate);
        host.Emulator.GrantAdminConsent(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        host.MapAppOnly("user-1", "alice");
        host.SeedRemote("alice", "Signed");

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Equal("Signed", Assert.Single(host.Local.GetAll("user-1")).Subject);
    }

    [Fact]
    public async Task SyncAsync_MailboxOutsideAccessPolicy_MailboxUnavailableForThatUserOnly()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        host.Emulator.SetApplicationAccessPolicy(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId, ["alice"]);
        host.MapAppOnly("user-1", "alice@emulator.test");
        host.MapAppOnly("user-2", "bob@emulator.test");
        host.SeedRemote("alice", "Alice's");
        host.SeedRemote("bob", "Bob's");

        SyncResult bob = await host.Engine.SyncAsync("user-2");
        SyncResult alice = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.MailboxUnavailable, bob.Status);
        Assert.Equal(MailboxUnavailableReason.AccessDenied, bob.MailboxUnavailableReason);
        Assert.Contains("application access policy", bob.Message, StringComparison.Ordinal);
        Assert.Contains("Access to OData is disabled", bob.Message, StringComparison.Ordinal);
        Assert.Equal(Now + Duration.FromHours(1), bob.RetryAfter);
        var header = (await host.Engine.GetStatusAsync("user-2"))!;
        Assert.Equal(bob.Message, header.LastError);
        Assert.Equal(Now + Duration.FromHours(1), header.NextSyncAt);
        Assert.Empty(host.Local.GetAll("user-2"));
        Assert.Equal(SyncRunStatus.Synced, alice.Status);
        Assert.Equal("Alice's", Assert.Single(host.Local.GetAll("user-1")).Subject);
    }

    [Theory]
    [InlineData(MailboxAvailability.NoMailbox, MailboxUnavailableReason.NoMailbox, "Exchange Online license")]
    [InlineData(MailboxAvailability.UserNotFound, MailboxUnavailableReason.UserNotFound, "fix the mapping")]
    public async Task SyncAsync_MailboxMissing_ReasonSaysWhatToDo(MailboxAvailability availability, MailboxUnavailableReason reason, string advice)
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now, configure: o => o.MailboxRecheckInterval = Duration.FromMinutes(10));
        host.RegisterConsentedApp();
        host.Emulator.SetMailboxAvailability("guest", availability);
        host.MapAppOnly("user-1", "guest@emulator.test");

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.MailboxUnavailable, result.Status);
        Assert.Equal(reason, result.MailboxUnavailableReason);
        Assert.Contains(advice, result.Message, StringComparison.Ordinal);
        Assert.Equal(Now + Duration.FromMinutes(10), result.RetryAfter);
    }

    [Fact]
    public async Task SyncAsync_DisabledAccountWithMailbox_StillSyncsAppOnly()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        host.Emulator.SetMailboxAvailability("shared", MailboxAvailability.AccountDisabled);
        host.MapAppOnly("user-1", "shared@emulator.test");
        host.SeedRemote("shared", "Room booking");

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.Synced, result.Status);
    }

    [Fact]
    public async Task SyncAsync_ConsentRevoked_AdminConsentRequiredAndTenantLeftAloneUntilRecheck()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        host.Emulator.RevokeAdminConsent(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        host.MapAppOnly("user-1", "alice");
        host.MapAppOnly("user-2", "bob");
        host.SeedRemote("alice", "Alice's");

        SyncResult first = await host.Engine.SyncAsync("user-1");
        SyncResult second = await host.Engine.SyncAsync("user-2");
        int graphRequests = host.Emulator.RequestLog.Count(e => e.Path.StartsWith("/v1.0/", StringComparison.Ordinal));

        Assert.Equal(SyncRunStatus.AdminConsentRequired, first.Status);
        Assert.Contains("no Calendars.ReadWrite application permission", first.Message, StringComparison.Ordinal);
        Assert.Equal(Now + Duration.FromMinutes(15), first.RetryAfter);
        Assert.Equal(SyncRunStatus.AdminConsentRequired, second.Status);
        Assert.Equal(1, host.TokenRequests());
        Assert.Equal(0, graphRequests);
        TenantConsent tenant = host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant);
        Assert.Equal(TenantConsentStatus.ConsentRevoked, tenant.Status);
        Assert.Equal(Now + Duration.FromMinutes(15), tenant.NextCheckAt);

        host.Emulator.GrantAdminConsent(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        host.Clock.Advance(Duration.FromMinutes(15));
        SyncResult after = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.Synced, after.Status);
        Assert.Equal(2, host.TokenRequests());
    }

    [Fact]
    public async Task SyncAsync_NeverConsented_AdminConsentRequired()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.Emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        host.MapAppOnly("user-1", "alice");

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.AdminConsentRequired, result.Status);
        Assert.Contains("AADSTS700016", result.Message, StringComparison.Ordinal);
        Assert.Equal(TenantConsentStatus.ConsentRevoked, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task SyncAsync_WrongSecret_TenantMisconfiguredAndSecretNeverInMessagesOrLogs()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now, secret: "a-wrong-secret");
        host.RegisterConsentedApp();
        host.MapAppOnly("user-1", "alice");

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.AdminConsentRequired, result.Status);
        Assert.Equal(TenantConsentStatus.Misconfigured, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
        Assert.Contains("Fix AppOnlyOptions", result.Message, StringComparison.Ordinal);
        string logs = string.Join("\n", host.Logs.Lines);
        Assert.Contains("contoso.onmicrosoft.com", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("a-wrong-secret", logs + result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAsync_DelegatedAndAppOnlyUsersInOneHost_EachThroughItsOwnRoute()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        host.RegisterConsentedApp();
        Assert.True((await host.ConnectDelegatedAsync("user-delegated", "dora")).IsConnected);
        host.MapAppOnly("user-apponly", "alice");
        host.SeedRemote("dora", "Dora's");
        host.SeedRemote("alice", "Alice's");
        host.Emulator.ResetRequestLog();

        SyncResult delegated = await host.Engine.SyncAsync("user-delegated");
        SyncResult appOnly = await host.Engine.SyncAsync("user-apponly");

        Assert.Equal(SyncRunStatus.Synced, delegated.Status);
        Assert.Equal(SyncRunStatus.Synced, appOnly.Status);
        Assert.Equal("Dora's", Assert.Single(host.Local.GetAll("user-delegated")).Subject);
        Assert.Equal("Alice's", Assert.Single(host.Local.GetAll("user-apponly")).Subject);
        var graph = host.Emulator.RequestLog.Where(e => e.Path.StartsWith("/v1.0/", StringComparison.Ordinal) && e.Path != "/v1.0/$batch").ToList();
        Assert.All(graph.Where(e => e.Mailbox == "dora"), e => Assert.StartsWith("/v1.0/me/", e.Path, StringComparison.Ordinal));
        Assert.All(graph.Where(e => e.Mailbox != "dora"), e => Assert.StartsWith("/v1.0/users/alice/", e.Path, StringComparison.Ordinal));
        Assert.Contains(graph, e => e.Mailbox == "dora");
        Assert.Contains(graph, e => e.Mailbox != "dora");
    }
}
