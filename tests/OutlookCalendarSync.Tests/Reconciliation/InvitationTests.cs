using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using static OutlookCalendarSync.Tests.Support.TestEvents;

namespace OutlookCalendarSync.Tests.Reconciliation;

/// <summary>
/// Invitations someone else organizes: the organizer's fields are never written to the owner's Outlook copy; the owner's own
/// fields (answer, reminder, show-as, categories) are.
/// </summary>
public sealed class InvitationTests
{
    private static readonly EmailAddress Bob = new("bob@example.com", "Bob");

    [Fact]
    public void Reconcile_HostRenamesAnInvitation_WritesNothingToOutlookAndPutsOutlooksSubjectBackWithANote()
    {
        (CalendarEvent l0, CalendarEvent r0, LinkCollection links) = Linked();

        SyncPlan plan = Reconcile(links, Changed(l0.Edited(subject: "My own title")), SideChanges.None);

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Null(change.RemoteWrite);
        EventUpdate hostWrite = Assert.IsType<EventUpdate>(change.LocalWrite);
        Assert.Equal(WriteKind.Update, hostWrite.Kind);
        Assert.Equal(EventFields.Subject, hostWrite.Fields);
        Assert.Equal(r0.Subject, hostWrite.Content.Subject);
        Assert.Equal(r0.Subject, change.NewBase!.Subject);
        SyncNote note = Assert.Single(plan.Notes);
        Assert.Equal(SyncSide.Host, note.Side);
        Assert.Equal("L1", note.EventId);
        Assert.Contains("Bob <bob@example.com>", note.Reason, StringComparison.Ordinal);
        Assert.Contains("Subject", note.Reason, StringComparison.Ordinal);
        Assert.Equal(0, plan.EstimateInvitationEmails());
    }

    [Fact]
    public void Reconcile_HostMovesAnInvitationAndDropsItsAttendees_WritesNothingToOutlook()
    {
        (CalendarEvent l0, _, LinkCollection links) = Linked();
        CalendarEvent moved = l0.Edited() with
        {
            Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 2, 14, 0), new LocalDateTime(2026, 12, 2, 15, 0), "Europe/Berlin"),
            Attendees = [],
        };

        SyncPlan plan = Reconcile(links, Changed(moved), SideChanges.None);

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Null(change.RemoteWrite);
        Assert.Equal(EventFields.Timing | EventFields.Attendees, Assert.IsType<EventUpdate>(change.LocalWrite).Fields);
        Assert.Equal(l0.Timing, Assert.IsType<EventUpdate>(change.LocalWrite).Content.Timing);
        Assert.Equal(2, Assert.IsType<EventUpdate>(change.LocalWrite).Content.Attendees.Count);
        Assert.Single(plan.Notes);
    }

    [Fact]
    public void Reconcile_HostChangesTheOwnersFieldsOfAnInvitation_WritesThemToOutlook()
    {
        (CalendarEvent l0, _, LinkCollection links) = Linked();
        CalendarEvent edited = l0.Edited() with
        {
            ReminderMinutesBeforeStart = 30,
            Categories = ["Customer"],
            ShowAs = ShowAs.Free,
            MyResponse = ResponseStatus.Accepted,
        };

        SyncPlan plan = Reconcile(links, Changed(edited), SideChanges.None);

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Null(change.LocalWrite);
        EventUpdate write = Assert.IsType<EventUpdate>(change.RemoteWrite);
        Assert.Equal(EventFields.Reminder | EventFields.Categories | EventFields.ShowAs | EventFields.MyResponse, write.Fields);
        Assert.Equal(30, write.Content.ReminderMinutesBeforeStart);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void Reconcile_HostChangesSubjectAndReminderOfAnInvitation_WritesOnlyTheReminder()
    {
        (CalendarEvent l0, CalendarEvent r0, LinkCollection links) = Linked();

        SyncPlan plan = Reconcile(links, Changed(l0.Edited(subject: "Renamed") with { ReminderMinutesBeforeStart = 5 }), SideChanges.None);

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(EventFields.Reminder, Assert.IsType<EventUpdate>(change.RemoteWrite).Fields);
        Assert.Equal(EventFields.Subject, Assert.IsType<EventUpdate>(change.LocalWrite).Fields);
        Assert.Equal(r0.Subject, change.NewBase!.Subject);
        Assert.Equal(5, change.NewBase.ReminderMinutesBeforeStart);
    }

    [Fact]
    public void Reconcile_FirstLinkOfAnInvitationWithANewerHostCopy_WritesNoOrganizerFieldToOutlook()
    {
        CalendarEvent remote = Invitation(Remote()) with { ICalUId = "uid-meeting", LastModified = Now - Duration.FromDays(2) };
        CalendarEvent local = Local(subject: "Planning (my notes)", hour: 11) with
        {
            ICalUId = "uid-meeting",
            Attendees = [],
            ReminderMinutesBeforeStart = 45,
            LastModified = Now,
        };

        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(local), Changed(remote));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(EventFields.Reminder, Assert.IsType<EventUpdate>(change.RemoteWrite).Fields);
        Assert.Equal(EventFields.Subject | EventFields.Timing | EventFields.Attendees | EventFields.Organizer, Assert.IsType<EventUpdate>(change.LocalWrite).Fields);
        Assert.Equal(remote.Subject, change.NewBase!.Subject);
        Assert.Equal(remote.Timing, change.NewBase.Timing);
        Assert.Equal(45, change.NewBase.ReminderMinutesBeforeStart);
        Assert.Contains("Bob", Assert.Single(plan.Notes).Reason, StringComparison.Ordinal);
        Assert.Equal(0, plan.EstimateInvitationEmails());
    }

    [Fact]
    public void Reconcile_InvitationChangedOnBothSides_OrganizerFieldsStayAsOutlookHasThem()
    {
        (CalendarEvent l0, CalendarEvent r0, LinkCollection links) = Linked();
        CalendarEvent local = l0.Edited(subject: "Host title", modified: Now) with { Categories = ["Mine"] };
        CalendarEvent remote = r0.Edited(location: "Room 7", modified: Now - Duration.FromMinutes(5));

        SyncPlan plan = Reconcile(links, Changed(local), Changed(remote));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(EventFields.Categories, Assert.IsType<EventUpdate>(change.RemoteWrite).Fields);
        Assert.Equal(EventFields.Subject | EventFields.Location, Assert.IsType<EventUpdate>(change.LocalWrite).Fields);
        Assert.Equal(r0.Subject, change.NewBase!.Subject);
        Assert.Equal("Room 7", change.NewBase.Location);
        Assert.Equal(ConflictWinner.Merged, change.Conflict!.Winner);
        Assert.Contains("Subject", Assert.Single(plan.Notes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconcile_ResolverThatLetsTheHostWinAnInvitation_StillWritesNoOrganizerField()
    {
        (CalendarEvent l0, CalendarEvent r0, LinkCollection links) = Linked();
        CalendarEvent local = l0.Edited(subject: "Host title");
        CalendarEvent remote = r0.Edited(location: "Room 7");

        SyncPlan plan = Reconcile(links, Changed(local), Changed(remote), resolver: new HostAlwaysWins());

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Null(change.RemoteWrite);
        Assert.Equal(EventFields.Subject | EventFields.Location, Assert.IsType<EventUpdate>(change.LocalWrite).Fields);
        Assert.Equal(ConflictWinner.Outlook, change.Conflict!.Winner);
    }

    [Theory]
    [InlineData(DeleteVersusChange.DeleteWins)]
    [InlineData(DeleteVersusChange.ChangeWins)]
    public void Reconcile_InvitationRemovedFromOutlookAndChangedInHost_IsNeverCreatedInOutlookAgain(DeleteVersusChange rule)
    {
        (CalendarEvent l0, _, LinkCollection links) = Linked();

        SyncPlan plan = Reconcile(links, Changed(l0.Edited(subject: "Host title")), Deleted("R1"), Options(deleteVersusChange: rule));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Null(change.RemoteWrite);
        Assert.Equal(WriteKind.Delete, change.LocalWrite!.Kind);
        Assert.Equal(0, plan.EstimateInvitationEmails());
    }

    [Fact]
    public void Reconcile_InvitationRemovedFromOutlookToOutlookOnly_UnlinksWithoutWriting()
    {
        (CalendarEvent l0, _, LinkCollection links) = Linked();

        SyncPlan plan = Reconcile(links, Changed(l0.Edited(subject: "Host title")), Deleted("R1"), Options(SyncDirection.ToOutlookOnly));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeKind.Unlink, change.Kind);
        Assert.Null(change.RemoteWrite);
        Assert.Null(change.LocalWrite);
        Assert.Single(plan.Notes);
    }

    [Fact]
    public void Reconcile_HostRenamesAnInvitationToOutlookOnly_WritesNeitherSide()
    {
        (CalendarEvent l0, CalendarEvent r0, LinkCollection links) = Linked();

        SyncPlan plan = Reconcile(links, Changed(l0.Edited(subject: "Host title")), SideChanges.None, Options(SyncDirection.ToOutlookOnly));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeKind.Acknowledge, change.Kind);
        Assert.Null(change.RemoteWrite);
        Assert.Null(change.LocalWrite);
        Assert.Equal(r0.Subject, change.NewBase!.Subject);
        Assert.Contains("does not write it", Assert.Single(plan.Notes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconcile_OrganizerUpdatesTheInvitation_HostGetsTheNewValues()
    {
        (_, CalendarEvent r0, LinkCollection links) = Linked();

        SyncPlan plan = Reconcile(links, SideChanges.None, Changed(r0.Edited(subject: "Planning (moved by Bob)")));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Null(change.RemoteWrite);
        Assert.Equal(EventFields.Subject, Assert.IsType<EventUpdate>(change.LocalWrite).Fields);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void Resolve_InvitationHostRenamedLast_OutlooksSubjectStaysAndTheExplanationSaysWhy()
    {
        CalendarEvent @base = Invitation(Meeting());
        CalendarEvent local = @base with { Subject = "Host title", LastModified = Now };
        CalendarEvent remote = @base with { Subject = "Bob's title", LastModified = Now - Duration.FromHours(1) };

        ConflictResolution resolution = new ThreeWayMergeResolver().Resolve(new SyncConflict(@base, local, remote, DeleteVersusChange.DeleteWins));

        Assert.Equal("Bob's title", resolution.Result!.Subject);
        Assert.Equal(ConflictWinner.Outlook, resolution.Winner);
        Assert.Contains("invitation", resolution.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_InvitationRemovedFromOutlookWithChangeWins_DeletesAnyway()
    {
        CalendarEvent @base = Invitation(Meeting());

        ConflictResolution resolution = new ThreeWayMergeResolver().Resolve(new SyncConflict(@base, @base with { Subject = "Host title" }, null, DeleteVersusChange.ChangeWins));

        Assert.Null(resolution.Result);
        Assert.Equal(ConflictWinner.Deleted, resolution.Winner);
    }

    private static CalendarEvent Invitation(CalendarEvent e) => e with
    {
        Organizer = Bob,
        Attendees = [Attendee.Create("alice@example.com", "Alice"), Attendee.Create("carol@example.com", "Carol")],
    };

    private static (CalendarEvent Local, CalendarEvent Remote, LinkCollection Links) Linked()
    {
        CalendarEvent l0 = Invitation(Local());
        CalendarEvent r0 = Invitation(Remote());
        return (l0, r0, LinkCollection.Create([Link(l0, r0)]));
    }

    private sealed class HostAlwaysWins : IConflictResolver
    {
        public ConflictResolution Resolve(SyncConflict conflict)
            => conflict.Host is { } local ? ConflictResolution.Keep(local, ConflictWinner.Host, "the host always wins") : ConflictResolution.Delete("deleted in the host");
    }
}
