using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Notifications;

/// <summary>
/// Change notifications end to end over HTTP: the emulator subscribes and notifies a real Kestrel host, whose endpoints record
/// sync requests that the scheduler runs with the real Graph SDK.
/// </summary>
public sealed class ChangeNotificationEndToEndTests
{
    private const string Delta = "GET /me/calendarView/delta";
    private static readonly Duration NoPeriodicRun = Duration.FromHours(1);

    [Fact]
    public async Task OutlookEdit_NotificationRequestsARun_HostStoreHasIt()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun);
        NotificationSubscription subscription = await host.ConnectAsync("alice");

        string id = host.AddInOutlook("alice", "Moved in Outlook");

        Assert.NotNull(await host.WaitForHostEventAsync("alice", "Moved in Outlook"));
        Assert.Contains(host.Emulator.NotificationDeliveries, d => d.EventId == id && d.SubscriptionId == subscription.SubscriptionId && d.StatusCode == 202);
        JsonObject graphSide = Assert.Single(host.Emulator.GetSubscriptions("alice"));
        Assert.Equal(subscription.SubscriptionId, (string?)graphSide["id"]);
        Assert.Equal("created,updated,deleted", (string?)graphSide["changeType"]);
        Assert.Equal(host.NotificationUrl.ToString(), (string?)graphSide["notificationUrl"]);
        Assert.Equal(43, subscription.ClientState.Length);
    }

    [Fact]
    public async Task LostNotification_ThePeriodicRunStillBringsTheChange()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(Duration.FromSeconds(3));
        await host.ConnectAsync("alice");
        using IDisposable lose = host.Emulator.InjectNotificationFault(new NotificationFault(NotificationFaultKind.Lose));

        string id = host.AddInOutlook("alice", "Never notified");

        Assert.NotNull(await host.WaitForHostEventAsync("alice", "Never notified"));
        Assert.DoesNotContain(host.Emulator.NotificationDeliveries, d => d.EventId == id);
    }

    [Fact]
    public async Task DuplicatedNotifications_CauseOneRun()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun);
        await host.ConnectAsync("alice");
        await NotificationHost.WaitForAsync(() => Task.FromResult(host.Scheduler.GetUser("alice")), u => u?.State == ScheduledUserState.Idle, "the first run to end");
        int runsBefore = host.Emulator.CountRequests(Delta);
        using IDisposable twice = host.Emulator.InjectNotificationFault(new NotificationFault(NotificationFaultKind.Duplicate));

        string id = host.AddInOutlook("alice", "Notified twice");

        Assert.NotNull(await host.WaitForHostEventAsync("alice", "Notified twice"));
        await NotificationHost.WaitForAsync(() => Task.FromResult(host.Emulator.NotificationDeliveries.Count(d => d.EventId == id)), n => n == 2, "both copies");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(runsBefore + 1, host.Emulator.CountRequests(Delta));
    }

    [Fact]
    public async Task ForgedNotifications_AreAnswered202AndRunNothing()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun);
        NotificationSubscription subscription = await host.ConnectAsync("alice");
        await NotificationHost.WaitForAsync(() => Task.FromResult(host.Scheduler.GetUser("alice")), u => u?.State == ScheduledUserState.Idle, "the first run to end");
        int runsBefore = host.Emulator.CountRequests(Delta);
        using var http = new HttpClient();

        using HttpResponseMessage wrongState = await http.PostAsJsonAsync(host.NotificationUrl, Body(subscription.SubscriptionId, "guessed"));
        using HttpResponseMessage unknown = await http.PostAsJsonAsync(host.NotificationUrl, Body("no-such-subscription", subscription.ClientState));
        using HttpResponseMessage missing = await http.PostAsJsonAsync(host.NotificationUrl, Body(subscription.SubscriptionId, null));
        using HttpResponseMessage garbage = await http.PostAsync(host.NotificationUrl, new StringContent("not json"));

        Assert.Equal(HttpStatusCode.Accepted, wrongState.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(runsBefore, host.Emulator.CountRequests(Delta));
        Assert.Equal(ScheduledUserState.Idle, host.Scheduler.GetUser("alice")!.State);
    }

    [Fact]
    public async Task ValidationHandshake_EchoesTheDecodedTokenAsPlainText()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun);
        using var http = new HttpClient();

        using HttpResponseMessage notification = await http.PostAsync(new Uri(host.NotificationUrl, "?validationToken=Validation%3A%20a%20%3Cb%3E"), null);
        using HttpResponseMessage lifecycle = await http.PostAsync(new Uri(host.BaseUrl, "graph/lifecycle?validationToken=x%2By"), null);

        Assert.Equal(HttpStatusCode.OK, notification.StatusCode);
        Assert.Equal("text/plain", notification.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Validation: a <b>", await notification.Content.ReadAsStringAsync());
        Assert.Equal("x+y", await lifecycle.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpiredSubscription_IsCreatedAgainByTheRenewal()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun, renewalCheckInterval: Duration.FromSeconds(1));
        NotificationSubscription first = await host.ConnectAsync("alice");

        // Renewals failed long enough for Graph to drop the subscription: the row says it is about to expire, Graph has it no more.
        host.Emulator.ExpireSubscription(first.SubscriptionId);
        await host.Subscriptions.SaveAsync(first with { ExpiresAt = SystemClock.Instance.GetCurrentInstant() }, default);
        NotificationSubscription? second = await NotificationHost.WaitForAsync(() => host.Subscriptions.GetAsync("alice", default), s => s!.SubscriptionId != first.SubscriptionId, "a new subscription");

        Assert.NotEqual(first.ClientState, second!.ClientState);
        Assert.Equal(second.SubscriptionId, (string?)Assert.Single(host.Emulator.GetSubscriptions("alice"))["id"]);
        host.AddInOutlook("alice", "After the new subscription");
        Assert.NotNull(await host.WaitForHostEventAsync("alice", "After the new subscription"));
    }

    [Fact]
    public async Task SubscriptionRemoved_IsCreatedAgain_AndMissedRequestsARun()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun);
        NotificationSubscription first = await host.ConnectAsync("alice");

        host.Emulator.SendLifecycleNotification(first.SubscriptionId, SubscriptionLifecycleEvent.SubscriptionRemoved);
        NotificationSubscription? second = await NotificationHost.WaitForAsync(() => host.Subscriptions.GetAsync("alice", default), s => s!.SubscriptionId != first.SubscriptionId, "a new subscription");
        using (host.Emulator.InjectNotificationFault(new NotificationFault(NotificationFaultKind.Lose)))
        {
            host.AddInOutlook("alice", "Missed");
        }

        host.Emulator.SendLifecycleNotification(second!.SubscriptionId, SubscriptionLifecycleEvent.Missed);

        Assert.NotNull(await host.WaitForHostEventAsync("alice", "Missed"));
    }

    [Fact]
    public async Task ReauthorizationRequired_RenewsTheSubscription()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun);
        NotificationSubscription first = await host.ConnectAsync("alice");
        await Task.Delay(TimeSpan.FromMilliseconds(50));

        host.Emulator.SendLifecycleNotification(first.SubscriptionId, SubscriptionLifecycleEvent.ReauthorizationRequired);

        NotificationSubscription? renewed = await NotificationHost.WaitForAsync(() => host.Subscriptions.GetAsync("alice", default), s => s!.ExpiresAt > first.ExpiresAt, "the renewal");
        Assert.Equal(first.SubscriptionId, renewed!.SubscriptionId);
        Assert.Equal(1, host.Emulator.CountRequests("PATCH /subscriptions/{id}"));
    }

    [Fact]
    public async Task StopAndReset_DeleteTheSubscription()
    {
        await using NotificationHost host = await NotificationHost.StartAsync(NoPeriodicRun);
        await host.ConnectAsync("alice");
        await host.ConnectAsync("bob");

        await host.Engine.StopAsync("alice");
        await host.Engine.ResetAsync("bob", new ResetOptions());

        Assert.Empty(host.Emulator.GetSubscriptions("alice"));
        Assert.Empty(host.Emulator.GetSubscriptions("bob"));
        Assert.Null(await host.Subscriptions.GetAsync("alice", default));
        Assert.Null(await host.Subscriptions.GetAsync("bob", default));
    }

    private static JsonObject Body(string subscriptionId, string? clientState) => new()
    {
        ["value"] = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = subscriptionId,
            ["clientState"] = clientState,
            ["changeType"] = "updated",
            ["resource"] = "Users/alice/Events/AAMk",
        }),
    };
}
