using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Tests.Notifications;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// Delegated and app-only users in one host and one scheduler, with change notifications, end to end over HTTP: the emulator
/// issues every token (authorization code and client credentials) and calls the host's notification endpoints.
/// </summary>
public sealed class AppOnlySchedulerTests
{
    private const string Fabrikam = "fabrikam.onmicrosoft.com";
    private const string Delta = "GET /me/calendarView/delta";
    private static readonly Duration NoPeriodicRun = Duration.FromHours(1);

    [Fact]
    public async Task Scheduler_MixedUsers_EachSyncsOrIsReportedAlone()
    {
        await using MixedSchedulerHost host = await MixedSchedulerHost.StartAsync(NoPeriodicRun);
        host.Emulator.GrantAdminConsent(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        host.Emulator.SetApplicationAccessPolicy(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId, ["alice", "bob"]);
        foreach (string mailbox in new[] { "dora", "alice", "bob", "carol", "erin" })
        {
            host.AddInOutlook(mailbox, mailbox + "'s meeting");
        }

        // Fabrikam never consented; carol is outside Contoso's access policy.
        host.AddAppOnly("user-erin", "erin", Fabrikam);
        host.AddAppOnly("user-carol", "carol");
        host.AddAppOnly("user-alice", "alice");
        host.AddAppOnly("user-bob", "bob");
        Assert.True((await host.ConnectDelegatedAsync("user-dora", "dora")).IsConnected);

        ScheduledUser? erin = await host.WaitForStatusAsync("user-erin", SyncRunStatus.AdminConsentRequired);
        ScheduledUser? carol = await host.WaitForStatusAsync("user-carol", SyncRunStatus.MailboxUnavailable);
        foreach (string name in new[] { "dora", "alice", "bob" })
        {
            await host.WaitForHostEventAsync("user-" + name, name + "'s meeting");
            await host.WaitForStatusAsync("user-" + name, SyncRunStatus.Synced);
        }

        Assert.Contains(Fabrikam, erin!.LastMessage, StringComparison.Ordinal);
        Assert.True(erin.NextRunAt > SystemClock.Instance.GetCurrentInstant() + Duration.FromMinutes(10), $"{erin.NextRunAt}");
        Assert.Contains("access policy", carol!.LastMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(host.Calendar.GetAll("user-erin"));
        Assert.Empty(host.Calendar.GetAll("user-carol"));
    }

    [Fact]
    public async Task Notifications_AppOnlyUser_SubscribesOnUsersResource_AndAnOutlookEditReachesTheHost()
    {
        await using MixedSchedulerHost host = await MixedSchedulerHost.StartAsync(NoPeriodicRun);
        host.Emulator.GrantAdminConsent(AppOnlyTestHost.Tenant, AppOnlyTestHost.ClientId);
        host.AddAppOnly("user-alice", "alice@emulator.test");
        NotificationSubscription? subscription = await NotificationHost.WaitForAsync(() => host.Subscriptions.GetAsync("user-alice", default), s => s is not null, "alice's subscription");

        string id = host.AddInOutlook("alice", "Moved in Outlook");

        await host.WaitForHostEventAsync("user-alice", "Moved in Outlook");
        JsonObject graphSide = Assert.Single(host.Emulator.GetSubscriptions("alice"));
        Assert.Equal(subscription!.SubscriptionId, (string?)graphSide["id"]);
        Assert.Equal("users/alice@emulator.test/events", (string?)graphSide["resource"]);
        Assert.Contains(host.Emulator.NotificationDeliveries, d => d.EventId == id && d.SubscriptionId == subscription.SubscriptionId && d.StatusCode == 202);
        Assert.DoesNotContain(host.Emulator.RequestLog, e => e.Path.StartsWith("/v1.0/me", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disconnect_DeletesTheSubscriptionInGraph_AndLaterNotificationsRunNothing()
    {
        await using MixedSchedulerHost host = await MixedSchedulerHost.StartAsync(NoPeriodicRun);
        Assert.True((await host.ConnectDelegatedAsync("user-dora", "dora")).IsConnected);
        NotificationSubscription? subscription = await NotificationHost.WaitForAsync(() => host.Subscriptions.GetAsync("user-dora", default), s => s is not null, "dora's subscription");
        await NotificationHost.WaitForAsync(() => Task.FromResult(host.Scheduler.GetUser("user-dora")), u => u?.State == ScheduledUserState.Idle, "the first run to end");
        Assert.Single(host.Emulator.GetSubscriptions("dora"));

        await host.App.Services.GetRequiredService<IMicrosoftAccountAuthorization>().DisconnectAsync("user-dora");
        int runsBefore = host.Emulator.CountRequests(Delta);
        string id = host.AddInOutlook("dora", "After disconnecting");
        using var http = new HttpClient();
        using HttpResponseMessage late = await http.PostAsJsonAsync(host.NotificationUrl, new JsonObject
        {
            ["value"] = new JsonArray(new JsonObject
            {
                ["subscriptionId"] = subscription!.SubscriptionId,
                ["clientState"] = subscription.ClientState,
                ["changeType"] = "created",
                ["resource"] = $"Users/dora/Events/{id}",
            }),
        });
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Empty(host.Emulator.GetSubscriptions("dora"));
        Assert.Null(await host.Subscriptions.GetAsync("user-dora", default));
        Assert.Equal(HttpStatusCode.Accepted, late.StatusCode);
        Assert.DoesNotContain(host.Emulator.NotificationDeliveries, d => d.EventId == id);
        Assert.Equal(runsBefore, host.Emulator.CountRequests(Delta));
        Assert.DoesNotContain(host.Calendar.GetAll("user-dora"), e => e.Subject == "After disconnecting");
    }
}
