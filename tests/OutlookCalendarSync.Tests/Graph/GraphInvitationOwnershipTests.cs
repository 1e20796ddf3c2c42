using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Invitations belong to their organizer (issue 10 item 2): through the real SDK against the emulator's attendee copies, the
/// library never writes an organizer's field into the owner's copy, writes the owner's own fields, and sends no email.
/// </summary>
public sealed class GraphInvitationOwnershipTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Organizer = "bob@example.com";
    private const string PatchRoute = "PATCH /me/events/{id}";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private GraphTestHost _host = null!;
    private ServiceProvider _provider = null!;

    private GraphEmulator Emulator => _host.Emulator;

    private InMemoryCalendarStore Local { get; set; } = null!;

    private ISyncEngine Engine { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await GraphTestHost.StartAsync(Now);
        Local = new InMemoryCalendarStore(_host.Clock);
        _provider = _host.BuildSyncServices(Local, new InMemorySyncStateStore(_host.Clock));
        Engine = _provider.GetRequiredService<ISyncEngine>();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task SyncAsync_FirstLinkOfAnInvitationWithANewerHostCopy_WritesOnlyTheOwnersFieldsAndNoEmail()
    {
        JsonObject invitation = DeliverInvitation("Budget review");
        string remoteId = invitation["id"]!.GetValue<string>();
        _host.Clock.Advance(Duration.FromHours(1));
        Local.Seed(User, new CalendarEvent
        {
            Subject = "Budget review (my copy)",
            ICalUId = invitation["iCalUId"]!.GetValue<string>(),
            Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 26, 16, 0), new LocalDateTime(2026, 11, 26, 17, 0), "Europe/Berlin"),
            ReminderMinutesBeforeStart = 30,
        });
        Emulator.ResetRequestLog();

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(0, result.Outlook.Created);
        JsonObject outlook = Emulator.GetEvent(User, remoteId)!;
        Assert.Equal("Budget review", outlook["subject"]!.GetValue<string>());
        Assert.Equal("2026-11-26T13:00:00.0000000", outlook["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal(2, outlook["attendees"]!.AsArray().Count);
        Assert.Equal(30, outlook["reminderMinutesBeforeStart"]!.GetValue<int>());
        Assert.Empty(Emulator.Outbox);
        CalendarEvent local = Assert.Single(Local.GetAll(User));
        Assert.Equal("Budget review", local.Subject);
        Assert.Equal(Organizer, local.Organizer?.Address);
        Assert.Equal(2, local.Attendees.Count);
        Assert.Equal(30, local.ReminderMinutesBeforeStart);
        Assert.Contains(result.Notes, n => n.Reason.Contains(Organizer, StringComparison.Ordinal));
        Assert.Equal(0, (await Engine.SyncAsync(User)).TotalWrites);
    }

    [Theory]
    [InlineData("Subject")]
    [InlineData("Timing")]
    [InlineData("Attendees")]
    public async Task SyncAsync_HostEditsAnOrganizersFieldOfAnInvitation_PatchesNothingAndTheHostGetsOutlooksValueBack(string field)
    {
        string remoteId = DeliverInvitation("Budget review")["id"]!.GetValue<string>();
        await Engine.SyncAsync(User);
        CalendarEvent before = Assert.Single(Local.GetAll(User));
        _host.Clock.Advance(Duration.FromMinutes(5));
        Local.UpdateByUser(User, before.Id!, e => field switch
        {
            "Subject" => e with { Subject = "Budget review (renamed in the host)" },
            "Timing" => e with { Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 27, 9, 0), new LocalDateTime(2026, 11, 27, 10, 0), "Europe/Berlin") },
            _ => e with { Attendees = [] },
        });
        JsonObject outlookBefore = Emulator.GetEvent(User, remoteId)!;
        Emulator.ResetRequestLog();
        Emulator.ClearOutbox();

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(0, Emulator.CountRequests(PatchRoute));
        Assert.Equal(0, result.Outlook.Updated);
        Assert.Equal(1, result.Host.Updated);
        Assert.Empty(Emulator.Outbox);
        Assert.Equal(outlookBefore["changeKey"]!.GetValue<string>(), Emulator.GetEvent(User, remoteId)!["changeKey"]!.GetValue<string>());
        CalendarEvent after = Assert.Single(Local.GetAll(User));
        Assert.Equal(EventFields.None, after.DiffersFrom(before));
        SyncNote note = Assert.Single(result.Notes);
        Assert.Equal(SyncSide.Host, note.Side);
        Assert.Contains(Organizer, note.Reason, StringComparison.Ordinal);
        Assert.Contains(field, note.Reason, StringComparison.Ordinal);
        Assert.Equal(0, (await Engine.SyncAsync(User)).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_HostChangesTheOwnersFieldsOfAnInvitation_PatchesThemAndSendsNothing()
    {
        string remoteId = DeliverInvitation("Budget review")["id"]!.GetValue<string>();
        await Engine.SyncAsync(User);
        CalendarEvent local = Assert.Single(Local.GetAll(User));
        _host.Clock.Advance(Duration.FromMinutes(5));
        Local.UpdateByUser(User, local.Id!, e => e with { ReminderMinutesBeforeStart = 5, Categories = ["Customer"], ShowAs = ShowAs.Free });
        Emulator.ResetRequestLog();
        Emulator.ClearOutbox();

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Empty(result.Notes);
        Assert.Equal(1, Emulator.CountRequests(PatchRoute));
        JsonObject outlook = Emulator.GetEvent(User, remoteId)!;
        Assert.Equal(5, outlook["reminderMinutesBeforeStart"]!.GetValue<int>());
        Assert.Equal("free", outlook["showAs"]!.GetValue<string>());
        Assert.Equal("Customer", Assert.Single(outlook["categories"]!.AsArray())!.GetValue<string>());
        Assert.Equal("Budget review", outlook["subject"]!.GetValue<string>());
        Assert.Empty(Emulator.Outbox);
        Assert.Equal(0, (await Engine.SyncAsync(User)).TotalWrites);
    }

    [Fact]
    public async Task PreviewAsync_HostRenamedAnInvitation_ShowsNoOutlookWriteNoEmailAndTheNote()
    {
        DeliverInvitation("Budget review");
        await Engine.SyncAsync(User);
        CalendarEvent local = Assert.Single(Local.GetAll(User));
        _host.Clock.Advance(Duration.FromMinutes(5));
        Local.UpdateByUser(User, local.Id!, e => e with { Subject = "Renamed", ReminderMinutesBeforeStart = 10 });

        SyncPreview preview = await Engine.PreviewAsync(User);

        Assert.Equal(1, preview.Outlook.Updated);
        Assert.Equal(1, preview.Host.Updated);
        Assert.Equal(0, preview.InvitationEmails);
        Assert.Contains(Organizer, Assert.Single(preview.Notes).Reason, StringComparison.Ordinal);
        PreviewedChange change = Assert.Single(preview.Changes);
        Assert.Contains("organizer", change.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAsync_OrganizerInAnotherMailboxCreatesAndRenamesTheMeeting_HostFollowsWithoutWritingOutlook()
    {
        IReadOnlyList<EventWriteResult> created = await _host.Calendar.WriteAsync("bob", [EventWrite.Create(new CalendarEvent
        {
            Subject = "Roadmap",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 27, 10, 0), new LocalDateTime(2026, 11, 27, 11, 0), "Europe/Berlin"),
            Attendees = [Attendee.Create("alice@emulator.test", "Alice")],
        })], CancellationToken.None);
        CalendarEvent meeting = Assert.Single(created).Event!;
        await Engine.SyncAsync(User);
        CalendarEvent local = Assert.Single(Local.GetAll(User));
        Assert.Equal("bob@emulator.test", local.Organizer?.Address);
        Assert.Equal(ResponseStatus.NotResponded, local.MyResponse);
        _host.Clock.Advance(Duration.FromMinutes(5));
        await _host.Calendar.WriteAsync("bob", [EventWrite.Update(meeting.Id!, meeting.Version, meeting with { Subject = "Roadmap (moved room)" }, EventFields.Subject)], CancellationToken.None);
        Emulator.ResetRequestLog();

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal("Roadmap (moved room)", Assert.Single(Local.GetAll(User)).Subject);
        Assert.Equal(0, result.Outlook.Updated);
        Assert.Equal(0, Emulator.CountRequests(PatchRoute));
    }

    private JsonObject DeliverInvitation(string subject) =>
        Emulator.AddInvitation(User, $$$"""
            {"subject":"{{{subject}}}",
             "start":{"dateTime":"2026-11-26T14:00:00","timeZone":"W. Europe Standard Time"},
             "end":{"dateTime":"2026-11-26T15:00:00","timeZone":"W. Europe Standard Time"},
             "attendees":[{"type":"required","emailAddress":{"address":"carol@example.com","name":"Carol"}}]}
            """, Organizer, "Bob");
}
