using Microsoft.Graph.Models;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>Attendee copies of meetings: delivered, updated and cancelled by their organizer as Exchange does.</summary>
public sealed class InvitationDeliveryTests : EmulatorTestBase
{
    [Fact]
    public async Task AddInvitation_ExternalOrganizer_IsAnAttendeeCopyAsGraphRendersIt()
    {
        var seeded = Emulator.AddInvitation(Mailbox, SeedJson("Budget review", "2024-05-02T09:00:00", "2024-05-02T10:00:00"), "bob@example.com", "Bob");

        var copy = await Graph.Me.Events[seeded["id"]!.GetValue<string>()].GetAsync();

        Assert.False(copy!.IsOrganizer);
        Assert.Equal("bob@example.com", copy.Organizer!.EmailAddress!.Address);
        Assert.Equal("Bob", copy.Organizer.EmailAddress.Name);
        Assert.Equal(ResponseType.NotResponded, copy.ResponseStatus!.Response);
        Assert.True(copy.ResponseRequested);
        Assert.Equal(FreeBusyStatus.Tentative, copy.ShowAs);
        Assert.Equal("alice@emulator.test", Assert.Single(copy.Attendees!).EmailAddress!.Address);
        Assert.False(string.IsNullOrEmpty(copy.ICalUId));
        Assert.Empty(Emulator.Outbox);
    }

    [Fact]
    public async Task PostEvent_AnotherEmulatorMailboxInvited_ItsCalendarGetsTheCopyAndUpdatesKeepItsOwnFields()
    {
        var bob = CreateClient("bob");
        var meeting = NewEvent("Roadmap", new DateTime(2024, 5, 2, 9, 0, 0));
        meeting.Attendees = [new Attendee { Type = AttendeeType.Required, EmailAddress = new EmailAddress { Address = "alice@emulator.test", Name = "Alice" } }];
        var created = await bob.Me.Events.PostAsync(meeting);

        var copy = Assert.Single(Emulator.GetEvents(Mailbox));
        Assert.False(copy["isOrganizer"]!.GetValue<bool>());
        Assert.Equal("bob@emulator.test", copy["organizer"]!["emailAddress"]!["address"]!.GetValue<string>());
        Assert.Equal(created!.ICalUId, copy["iCalUId"]!.GetValue<string>());
        string copyId = copy["id"]!.GetValue<string>();
        await Graph.Me.Events[copyId].PatchAsync(new Event { Categories = ["Customer"], ReminderMinutesBeforeStart = 5 });

        await bob.Me.Events[created.Id].PatchAsync(new Event { Subject = "Roadmap (room 2)" });

        var updated = await Graph.Me.Events[copyId].GetAsync();
        Assert.Equal("Roadmap (room 2)", updated!.Subject);
        Assert.Equal("Customer", Assert.Single(updated.Categories!));
        Assert.Equal(5, updated.ReminderMinutesBeforeStart);
        Assert.Equal(ResponseType.NotResponded, updated.ResponseStatus!.Response);

        await bob.Me.Events[created.Id].DeleteAsync();

        var cancelled = await Graph.Me.Events[copyId].GetAsync();
        Assert.True(cancelled!.IsCancelled);
        Assert.Equal("Canceled: Roadmap (room 2)", cancelled.Subject);
    }

    [Fact]
    public async Task PatchEvent_AttendeeRenamesTheirCopy_KeptInTheCopyOnlyAndNothingIsSent()
    {
        var seeded = Emulator.AddInvitation(Mailbox, SeedJson("Budget review", "2024-05-02T09:00:00", "2024-05-02T10:00:00"), "bob@example.com");
        string id = seeded["id"]!.GetValue<string>();

        var patched = await Graph.Me.Events[id].PatchAsync(new Event { Subject = "My title", Start = new DateTimeTimeZone { DateTime = "2024-05-02T11:00:00", TimeZone = "UTC" }, End = new DateTimeTimeZone { DateTime = "2024-05-02T12:00:00", TimeZone = "UTC" } });

        Assert.Equal("My title", patched!.Subject);
        Assert.False(patched.IsOrganizer);
        Assert.Empty(Emulator.Outbox);
    }
}
