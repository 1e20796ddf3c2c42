using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

public sealed class SubscriptionTests : EmulatorTestBase
{
    private NotificationReceiver receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        receiver = await NotificationReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Create_ValidatesBothUrlsThenNotifiesEachChangeWithTheClientState()
    {
        var created = await SubscribeAsync();

        Assert.Equal(2, receiver.ValidationTokens.Count);
        Assert.All(receiver.ValidationTokens, t => Assert.StartsWith("Validation: ", t, StringComparison.Ordinal));
        Assert.Equal("created,updated,deleted", created.ChangeType);
        Assert.Equal("secret-state", created.ClientState);
        var seeded = Emulator.AddEvent(Mailbox, SeedJson("Dentist", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        var (path, item) = await receiver.NextAsync();
        Assert.Equal("/notify", path);
        Assert.Equal(created.Id, (string?)item["subscriptionId"]);
        Assert.Equal("created", (string?)item["changeType"]);
        Assert.Equal("secret-state", (string?)item["clientState"]);
        Assert.Equal((string?)seeded["id"], (string?)item["resourceData"]!["id"]);

        await Graph.Me.Events[(string)seeded["id"]!].PatchAsync(new Event { Subject = "Moved" });
        Assert.Equal("updated", (string?)(await receiver.NextAsync()).Item["changeType"]);
        await Graph.Me.Events[(string)seeded["id"]!].DeleteAsync();
        Assert.Equal("deleted", (string?)(await receiver.NextAsync()).Item["changeType"]);
    }

    [Fact]
    public async Task Create_EndpointThatDoesNotEchoTheToken_IsRefusedWithValidationError()
    {
        receiver.EchoValidation = false;

        var error = await Assert.ThrowsAsync<ODataError>(() => SubscribeAsync());

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("ValidationError", error.Error!.Code);
        Assert.Empty(Emulator.GetSubscriptions(Mailbox));
    }

    [Theory]
    [InlineData(4231, "http://127.0.0.1:1/notify", "ExtensionError")]
    [InlineData(60, "https://example.com/notify", "InvalidRequest")]
    public async Task Create_TooLongOrNotLoopback_IsRefused(int minutes, string url, string code)
    {
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Subscriptions.PostAsync(new Subscription
        {
            ChangeType = "updated",
            NotificationUrl = url,
            Resource = "me/events",
            ExpirationDateTime = Clock.GetCurrentInstant().ToDateTimeOffset().AddMinutes(minutes),
        }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal(code, error.Error!.Code);
    }

    [Fact]
    public async Task Renew_ExtendsTheExpiration_AndALapsedSubscriptionIsGone()
    {
        var created = await SubscribeAsync();
        var later = Clock.GetCurrentInstant().ToDateTimeOffset().AddMinutes(4000);

        var renewed = await Graph.Subscriptions[created.Id].PatchAsync(new Subscription { ExpirationDateTime = later });

        Assert.Equal(later, renewed!.ExpirationDateTime);
        Emulator.ExpireSubscription(created.Id!);
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Subscriptions[created.Id].PatchAsync(new Subscription { ExpirationDateTime = later }));
        Assert.Equal(404, error.ResponseStatusCode);
        Emulator.AddEvent(Mailbox, SeedJson("Unheard", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        Assert.False(await receiver.AnyWithinAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Delete_StopsNotifications_AndOtherMailboxesCannotSeeIt()
    {
        var created = await SubscribeAsync();

        var foreign = await Assert.ThrowsAsync<ODataError>(() => CreateClient("bob").Subscriptions[created.Id].DeleteAsync());
        await Graph.Subscriptions[created.Id].DeleteAsync();

        Assert.Equal(404, foreign.ResponseStatusCode);
        Assert.Empty(Emulator.GetSubscriptions(Mailbox));
        Emulator.AddEvent(Mailbox, SeedJson("Unheard", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        Assert.False(await receiver.AnyWithinAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Theory]
    [InlineData(SubscriptionLifecycleEvent.ReauthorizationRequired, "reauthorizationRequired", 1)]
    [InlineData(SubscriptionLifecycleEvent.Missed, "missed", 1)]
    [InlineData(SubscriptionLifecycleEvent.SubscriptionRemoved, "subscriptionRemoved", 0)]
    public async Task Lifecycle_IsPostedToTheLifecycleUrl(SubscriptionLifecycleEvent lifecycle, string name, int left)
    {
        var created = await SubscribeAsync();

        Emulator.SendLifecycleNotification(created.Id!, lifecycle);

        var (path, item) = await receiver.NextAsync();
        Assert.Equal("/lifecycle", path);
        Assert.Equal(name, (string?)item["lifecycleEvent"]);
        Assert.Equal("secret-state", (string?)item["clientState"]);
        Assert.Equal(left, Emulator.GetSubscriptions(Mailbox).Count);
    }

    [Fact]
    public async Task Faults_LoseDuplicateAndDelayNotifications()
    {
        await SubscribeAsync();

        using (Emulator.InjectNotificationFault(new NotificationFault(NotificationFaultKind.Lose) { Times = 1 }))
        {
            Emulator.AddEvent(Mailbox, SeedJson("Lost", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
            Assert.False(await receiver.AnyWithinAsync(TimeSpan.FromMilliseconds(500)));
        }

        using (Emulator.InjectNotificationFault(new NotificationFault(NotificationFaultKind.Duplicate) { Times = 1 }))
        {
            var twice = Emulator.AddEvent(Mailbox, SeedJson("Twice", "2024-05-02T11:00:00", "2024-05-02T12:00:00"));
            Assert.Equal((string?)twice["id"], (string?)(await receiver.NextAsync()).Item["resourceData"]!["id"]);
            Assert.Equal((string?)twice["id"], (string?)(await receiver.NextAsync()).Item["resourceData"]!["id"]);
        }

        using (Emulator.InjectNotificationFault(new NotificationFault(NotificationFaultKind.Delay) { Times = 1, Delay = TimeSpan.FromSeconds(1) }))
        {
            var late = Emulator.AddEvent(Mailbox, SeedJson("Late", "2024-05-02T13:00:00", "2024-05-02T14:00:00"));
            var early = Emulator.AddEvent(Mailbox, SeedJson("Early", "2024-05-02T15:00:00", "2024-05-02T16:00:00"));
            Assert.Equal((string?)early["id"], (string?)(await receiver.NextAsync()).Item["resourceData"]!["id"]);
            Assert.Equal((string?)late["id"], (string?)(await receiver.NextAsync()).Item["resourceData"]!["id"]);
        }
    }

    [Fact]
    public async Task Delivery_AnswerOtherThan2xx_IsRetried()
    {
        var created = await SubscribeAsync();
        receiver.RejectNotifications = true;

        var seeded = Emulator.AddEvent(Mailbox, SeedJson("Retried", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        for (var i = 0; i < 50 && Emulator.NotificationDeliveries.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        receiver.RejectNotifications = false;
        var (_, item) = await receiver.NextAsync();
        for (var i = 0; i < 50 && Emulator.NotificationDeliveries.Count < 2; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal((string?)seeded["id"], (string?)item["resourceData"]!["id"]);
        Assert.Equal([500, 202], Emulator.NotificationDeliveries.Select(d => d.StatusCode));
        Assert.All(Emulator.NotificationDeliveries, d => Assert.Equal(created.Id, d.SubscriptionId));
    }

    private async Task<Subscription> SubscribeAsync() =>
        (await Graph.Subscriptions.PostAsync(new Subscription
        {
            ChangeType = "created,updated,deleted",
            NotificationUrl = receiver.NotificationUrl.ToString(),
            LifecycleNotificationUrl = receiver.LifecycleUrl.ToString(),
            Resource = "me/events",
            ExpirationDateTime = Clock.GetCurrentInstant().ToDateTimeOffset().AddMinutes(4230),
            ClientState = "secret-state",
        }))!;
}
