using Microsoft.Graph.Models;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

public sealed class OutboxTests : EmulatorTestBase
{
    [Fact]
    public async Task PostEvent_WithAttendees_RecordsOneInvitationPerAttendee()
    {
        var request = Meeting("bob@example.com", "carol@example.com");

        var created = await Graph.Me.Events.PostAsync(request);

        Assert.Equal(2, Emulator.Outbox.Count);
        Assert.All(Emulator.Outbox, m =>
        {
            Assert.Equal(OutboxMessageKind.Invitation, m.Kind);
            Assert.Equal(Mailbox, m.Mailbox);
            Assert.Equal(created!.Id, m.EventId);
            Assert.Equal("Planning", m.Subject);
        });
        Assert.Equal(new[] { "bob@example.com", "carol@example.com" }, Emulator.Outbox.Select(m => m.Recipient).ToArray());
        var attendee = created!.Attendees![0];
        Assert.Equal(ResponseType.None, attendee.Status!.Response);
        Assert.Equal("alice@emulator.test", created.Organizer!.EmailAddress!.Address);
    }

    [Fact]
    public async Task PostEvent_WithoutAttendees_RecordsNothing()
    {
        await Graph.Me.Events.PostAsync(NewEvent("Focus time", new DateTime(2024, 5, 2, 9, 0, 0)));

        Assert.Empty(Emulator.Outbox);
    }

    [Fact]
    public async Task PatchEvent_AddedAttendee_SendsUpdateOnlyToTheAddedAttendee()
    {
        var created = await Graph.Me.Events.PostAsync(Meeting("bob@example.com"));
        Emulator.ClearOutbox();

        await Graph.Me.Events[created!.Id].PatchAsync(new Event { Attendees = [.. created.Attendees!, Attendee("dave@example.com")] });

        var message = Assert.Single(Emulator.Outbox);
        Assert.Equal(OutboxMessageKind.Update, message.Kind);
        Assert.Equal("dave@example.com", message.Recipient);
    }

    [Fact]
    public async Task PatchEvent_RemovedAttendee_SendsCancellationToThem()
    {
        var created = await Graph.Me.Events.PostAsync(Meeting("bob@example.com", "carol@example.com"));
        Emulator.ClearOutbox();

        await Graph.Me.Events[created!.Id].PatchAsync(new Event { Attendees = [Attendee("bob@example.com")] });

        var message = Assert.Single(Emulator.Outbox);
        Assert.Equal(OutboxMessageKind.Cancellation, message.Kind);
        Assert.Equal("carol@example.com", message.Recipient);
    }

    [Fact]
    public async Task PatchEvent_NoAttendeeOrScheduleChange_SendsNothing()
    {
        var created = await Graph.Me.Events.PostAsync(Meeting("bob@example.com"));
        Emulator.ClearOutbox();

        await Graph.Me.Events[created!.Id].PatchAsync(new Event { Categories = ["Blue category"] });

        Assert.Empty(Emulator.Outbox);
    }

    [Fact]
    public async Task DeleteEvent_MeetingAsOrganizer_SendsCancellationToEveryAttendee()
    {
        var created = await Graph.Me.Events.PostAsync(Meeting("bob@example.com", "carol@example.com"));
        Emulator.ClearOutbox();

        await Graph.Me.Events[created!.Id].DeleteAsync();

        Assert.Equal(2, Emulator.Outbox.Count);
        Assert.All(Emulator.Outbox, m => Assert.Equal(OutboxMessageKind.Cancellation, m.Kind));
    }

    [Fact]
    public void SeedingApi_MeetingCreatedAndDeleted_SendsNothing()
    {
        var seeded = Emulator.AddEvent(Mailbox, """
            {"subject":"Typed in Outlook","attendees":[{"emailAddress":{"address":"bob@example.com"}}],
             "start":{"dateTime":"2024-05-02T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-05-02T10:00:00","timeZone":"UTC"}}
            """);

        Assert.True(Emulator.DeleteEvent(Mailbox, seeded["id"]!.GetValue<string>()));
        Assert.Empty(Emulator.Outbox);
    }

    private static Event Meeting(params string[] attendees)
    {
        var meeting = NewEvent("Planning", new DateTime(2024, 5, 2, 9, 0, 0));
        meeting.Attendees = [.. attendees.Select(Attendee)];
        return meeting;
    }

    private static Attendee Attendee(string address) => new()
    {
        Type = AttendeeType.Required,
        EmailAddress = new EmailAddress { Address = address, Name = address },
    };
}
