using System.Net;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Me.Events.Item.Cancel;

namespace OutlookCalendarSync.Emulator.Tests;

public sealed class EventCrudTests : EmulatorTestBase
{
    [Fact]
    public async Task PostEvent_NewEvent_ReturnsGraphShapedEvent()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Standup", new DateTime(2024, 5, 2, 9, 0, 0)));

        Assert.NotNull(created);
        Assert.False(string.IsNullOrEmpty(created!.Id));
        Assert.False(string.IsNullOrEmpty(created.ChangeKey));
        Assert.Equal($"W/\"{created.ChangeKey}\"", created.AdditionalData["@odata.etag"]?.ToString());
        Assert.Equal("Standup", created.Subject);
        Assert.Equal("2024-05-02T09:00:00.0000000", created.Start!.DateTime);
        Assert.Equal("UTC", created.Start.TimeZone);
        Assert.Equal("UTC", created.OriginalStartTimeZone);
        Assert.Equal(EventType.SingleInstance, created.Type);
        Assert.Null(created.SeriesMasterId);
        Assert.True(created.IsOrganizer);
        Assert.Equal(FreeBusyStatus.Busy, created.ShowAs);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 0, 0, TimeSpan.Zero), created.CreatedDateTime);
        Assert.False(string.IsNullOrEmpty(created.ICalUId));
        Assert.Null(created.TransactionId);
    }

    [Fact]
    public async Task GetEvent_AfterCreate_ReturnsSameEvent()
    {
        var created = await Graph.Me.Calendar.Events.PostAsync(NewEvent("Review", new DateTime(2024, 5, 2, 9, 0, 0)));

        var read = await Graph.Me.Events[created!.Id].GetAsync();

        Assert.Equal(created.Id, read!.Id);
        Assert.Equal(created.ChangeKey, read.ChangeKey);
        Assert.Equal("Review", read.Subject);
    }

    [Fact]
    public async Task PatchEvent_Subject_ChangesChangeKeyAndLastModified()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Draft", new DateTime(2024, 5, 2, 9, 0, 0)));
        Clock.AdvanceMinutes(5);

        var updated = await Graph.Me.Events[created!.Id].PatchAsync(new Event { Subject = "Final" });

        Assert.Equal("Final", updated!.Subject);
        Assert.NotEqual(created.ChangeKey, updated.ChangeKey);
        Assert.Equal(created.Start!.DateTime, updated.Start!.DateTime);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 5, 0, TimeSpan.Zero), updated.LastModifiedDateTime);
    }

    [Fact]
    public async Task PatchEvent_StaleIfMatch_Throws412IrresolvableConflict()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Draft", new DateTime(2024, 5, 2, 9, 0, 0)));
        var staleTag = $"W/\"{created!.ChangeKey}\"";
        await Graph.Me.Events[created.Id].PatchAsync(new Event { Subject = "Changed elsewhere" });

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            Graph.Me.Events[created.Id].PatchAsync(new Event { Subject = "Mine" }, c => c.Headers.Add("If-Match", staleTag)));

        Assert.Equal(412, error.ResponseStatusCode);
        Assert.Equal("ErrorIrresolvableConflict", error.Error!.Code);
        Assert.Equal("Changed elsewhere", Emulator.GetEvent(Mailbox, created.Id!)!["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchEvent_CurrentIfMatch_Succeeds()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Draft", new DateTime(2024, 5, 2, 9, 0, 0)));

        var updated = await Graph.Me.Events[created!.Id].PatchAsync(new Event { Subject = "Mine" }, c => c.Headers.Add("If-Match", $"W/\"{created.ChangeKey}\""));

        Assert.Equal("Mine", updated!.Subject);
    }

    [Fact]
    public async Task DeleteEvent_Existing_ThenGetThrowsItemNotFound()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Gone", new DateTime(2024, 5, 2, 9, 0, 0)));

        await Graph.Me.Events[created!.Id].DeleteAsync(c => c.Headers.Add("If-Match", $"W/\"{created.ChangeKey}\""));

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[created.Id].GetAsync());
        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("ErrorItemNotFound", error.Error!.Code);
        Assert.Empty(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task PostEvent_SameTransactionIdTwice_ReturnsExistingEvent()
    {
        var first = NewEvent("Once", new DateTime(2024, 5, 2, 9, 0, 0));
        first.TransactionId = "tx-1";
        var second = NewEvent("Once", new DateTime(2024, 5, 2, 9, 0, 0));
        second.TransactionId = "tx-1";

        var a = await Graph.Me.Events.PostAsync(first);
        var b = await Graph.Me.Events.PostAsync(second);

        Assert.Equal(a!.Id, b!.Id);
        Assert.Equal("tx-1", b.TransactionId);
        Assert.Single(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task PostEvent_ExtendedProperty_ReturnedOnlyWhenExpanded()
    {
        const string PropertyId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HostEventId";
        var request = NewEvent("Linked", new DateTime(2024, 5, 2, 9, 0, 0));
        request.SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = PropertyId, Value = "host-42" }];
        var created = await Graph.Me.Events.PostAsync(request);

        var plain = await Graph.Me.Events[created!.Id].GetAsync();
        var expanded = await Graph.Me.Events[created.Id].GetAsync(c => c.QueryParameters.Expand = [$"singleValueExtendedProperties($filter=id eq '{PropertyId}')"]);
        var otherFilter = await Graph.Me.Events[created.Id].GetAsync(c => c.QueryParameters.Expand = ["singleValueExtendedProperties($filter=id eq 'String {00000000-0000-0000-0000-000000000000} Name Other')"]);

        Assert.Null(plain!.SingleValueExtendedProperties);
        var property = Assert.Single(expanded!.SingleValueExtendedProperties!);
        Assert.Equal(PropertyId, property.Id);
        Assert.Equal("host-42", property.Value);
        Assert.Null(otherFilter!.SingleValueExtendedProperties);
    }

    [Fact]
    public async Task PatchEvent_ExtendedProperty_IsListedWithExpandOnEventsButNeverOnCalendarView()
    {
        const string PropertyId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HostEventId";
        string expand = $"singleValueExtendedProperties($filter=id eq '{PropertyId}')";
        var created = await Graph.Me.Events.PostAsync(NewEvent("Later linked", new DateTime(2024, 5, 2, 9, 0, 0)));
        await Graph.Me.Events[created!.Id].PatchAsync(new Event { SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = PropertyId, Value = "host-7" }] });

        var view = await Graph.Me.CalendarView.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-05-03T00:00:00Z";
            c.QueryParameters.Expand = [expand];
        });
        var listed = await Graph.Me.Events.GetAsync(c => c.QueryParameters.Expand = [expand]);

        Assert.Null(Assert.Single(view!.Value!).SingleValueExtendedProperties);
        Assert.Equal("host-7", Assert.Single(Assert.Single(listed!.Value!).SingleValueExtendedProperties!).Value);
    }

    [Fact]
    public async Task ListEvents_FilterOnExtendedPropertyValue_ReturnsOnlyThoseEvents()
    {
        const string PropertyId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HostEventId";
        foreach (var (subject, hostId) in new[] { ("First", "host-1"), ("Second", "host-2"), ("Quoted", "host-'3'") })
        {
            var request = NewEvent(subject, new DateTime(2024, 5, 2, 9, 0, 0));
            request.SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = PropertyId, Value = hostId }];
            await Graph.Me.Events.PostAsync(request);
        }

        await Graph.Me.Events.PostAsync(NewEvent("Unstamped", new DateTime(2024, 5, 2, 9, 0, 0)));

        var second = await Graph.Me.Events.GetAsync(c => c.QueryParameters.Filter = $"singleValueExtendedProperties/any(ep: ep/id eq '{PropertyId}' and ep/value eq 'host-2')");
        var quoted = await Graph.Me.Events.GetAsync(c => c.QueryParameters.Filter = $"singleValueExtendedProperties/any(ep: ep/id eq '{PropertyId}' and ep/value eq 'host-''3''')");
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events.GetAsync(c => c.QueryParameters.Filter = "subject eq 'First'"));

        Assert.Equal("Second", Assert.Single(second!.Value!).Subject);
        Assert.Equal("Quoted", Assert.Single(quoted!.Value!).Subject);
        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task PostEvent_TransactionId_ReturnedOnEveryReadAndNotOnEventsWithout()
    {
        var request = NewEvent("Created once", new DateTime(2024, 5, 2, 9, 0, 0));
        request.TransactionId = "7f8e0c1a-0000-4000-8000-000000000002";
        var created = await Graph.Me.Events.PostAsync(request);
        var plain = await Graph.Me.Events.PostAsync(NewEvent("Plain", new DateTime(2024, 5, 2, 9, 0, 0)));

        var read = await Graph.Me.Events[created!.Id].GetAsync();
        var view = await Graph.Me.CalendarView.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-05-03T00:00:00Z";
        });

        Assert.Equal(request.TransactionId, created.TransactionId);
        Assert.Equal(request.TransactionId, read!.TransactionId);
        Assert.Equal(request.TransactionId, view!.Value!.Single(e => e.Id == created.Id).TransactionId);
        Assert.Null(view.Value!.Single(e => e.Id == plain!.Id).TransactionId);
    }

    [Fact]
    public async Task CalendarView_Window_ReturnsOnlyOverlappingEventsInStartOrder()
    {
        await Graph.Me.Events.PostAsync(NewEvent("Later", new DateTime(2024, 5, 2, 15, 0, 0)));
        await Graph.Me.Events.PostAsync(NewEvent("Outside", new DateTime(2024, 6, 2, 9, 0, 0)));
        await Graph.Me.Events.PostAsync(NewEvent("Earlier", new DateTime(2024, 5, 2, 9, 0, 0)));

        var view = await Graph.Me.CalendarView.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-05-31T00:00:00Z";
        });

        Assert.Equal(new[] { "Earlier", "Later" }, view!.Value!.Select(e => e.Subject ?? string.Empty).ToArray());
    }

    [Fact]
    public async Task ListEvents_MoreThanPageSize_FollowsNextLink()
    {
        for (var i = 0; i < 3; i++)
        {
            await Graph.Me.Events.PostAsync(NewEvent($"E{i}", new DateTime(2024, 5, 2, 9 + i, 0, 0)));
        }

        var first = await Graph.Me.Events.GetAsync(c => c.QueryParameters.Top = 2);
        var second = await Graph.Me.Events.WithUrl(first!.OdataNextLink!).GetAsync();

        Assert.Equal(2, first.Value!.Count);
        Assert.Single(second!.Value!);
        Assert.Null(second.OdataNextLink);
    }

    [Fact]
    public async Task Instances_SingleInstance_ReturnsTheEventItself()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Single", new DateTime(2024, 5, 2, 9, 0, 0)));

        var instances = await Graph.Me.Events[created!.Id].Instances.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-05-03T00:00:00Z";
        });

        Assert.Equal(created.Id, Assert.Single(instances!.Value!).Id);
    }

    [Fact]
    public async Task Cancel_AsOrganizer_RemovesEventAndSendsCancellations()
    {
        var request = NewEvent("Meeting", new DateTime(2024, 5, 2, 9, 0, 0));
        request.Attendees = [new Attendee { EmailAddress = new EmailAddress { Address = "bob@example.com" }, Type = AttendeeType.Required }];
        var created = await Graph.Me.Events.PostAsync(request);
        Emulator.ClearOutbox();

        await Graph.Me.Events[created!.Id].Cancel.PostAsync(new CancelPostRequestBody { Comment = "Sorry" });

        Assert.Empty(Emulator.GetEvents(Mailbox));
        var message = Assert.Single(Emulator.Outbox);
        Assert.Equal(OutlookCalendarSync.Testing.Emulator.OutboxMessageKind.Cancellation, message.Kind);
        Assert.Equal("bob@example.com", message.Recipient);
    }

    [Fact]
    public async Task Cancel_NotOrganizer_Throws400()
    {
        var seeded = Emulator.AddEvent(Mailbox, """
            {"subject":"Their meeting","isOrganizer":false,
             "organizer":{"emailAddress":{"name":"Carol","address":"carol@example.com"}},
             "start":{"dateTime":"2024-05-02T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-05-02T10:00:00","timeZone":"UTC"}}
            """);

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[seeded["id"]!.GetValue<string>()].Cancel.PostAsync(new CancelPostRequestBody()));

        Assert.Equal((int)HttpStatusCode.BadRequest, error.ResponseStatusCode);
        Assert.Single(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task UsersRoute_OtherMailbox_ReadsThatMailbox()
    {
        Emulator.AddEvent("bob", SeedJson("Bob's", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));

        var events = await Graph.Users["bob"].Events.GetAsync();

        Assert.Equal("Bob's", Assert.Single(events!.Value!).Subject);
        Assert.Empty((await Graph.Me.Events.GetAsync())!.Value!);
    }

    [Fact]
    public async Task RequestLog_AfterCalls_CountsPerRoute()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Counted", new DateTime(2024, 5, 2, 9, 0, 0)));
        await Graph.Me.Events[created!.Id].GetAsync();
        await Graph.Me.Events[created.Id].GetAsync();

        var counts = Emulator.RequestCountsByRoute();

        Assert.Equal(1, counts["POST /me/events"]);
        Assert.Equal(2, counts["GET /me/events/{id}"]);
        Assert.All(Emulator.RequestLog, e => Assert.Equal(Mailbox, e.Mailbox));
        Emulator.ResetRequestLog();
        Assert.Empty(Emulator.RequestLog);
    }
}
