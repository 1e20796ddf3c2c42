using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using static OutlookCalendarSync.Tests.Support.TestEvents;

namespace OutlookCalendarSync.Tests.Reconciliation;

public sealed class MatchingAndCreationTests
{
    [Fact]
    public void Reconcile_NewLocalEvent_CreatesItInOutlookStampedWithTheHostId()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(Local()), SideChanges.None);

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeKind.Create, change.Kind);
        EventCreate create = Assert.IsType<EventCreate>(change.RemoteWrite);
        Assert.Equal("L1", create.Event.CounterpartId);
        Assert.Null(create.Event.Id);
        Assert.Null(change.LocalWrite);
    }

    [Fact]
    public void Reconcile_NewRemoteEvent_CreatesItLocallyWithItsICalUId()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, SideChanges.None, Changed(Remote() with { ICalUId = "uid-7" }));

        EventCreate write = Assert.IsType<EventCreate>(Assert.Single(plan.Changes).LocalWrite);
        Assert.Equal("uid-7", write.Event.ICalUId);
        Assert.Equal("R1", write.Event.CounterpartId);
    }

    [Fact]
    public void Reconcile_RemoteEventStampedWithHostId_LinksInsteadOfDuplicating()
    {
        CalendarEvent local = Local(subject: "Planning");
        CalendarEvent remote = Remote(subject: "Planning (renamed since)") with { CounterpartId = "L1" };

        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(local), Changed(remote));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.NotEqual(WriteKind.Create, change.RemoteWrite?.Kind);
        Assert.NotEqual(WriteKind.Create, change.LocalWrite?.Kind);
        Assert.Equal("L1", change.LocalId);
        Assert.Equal("R1", change.RemoteId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Reconcile_BlankICalUIdOnBothSides_NeverLinksUnrelatedEvents(string blank)
    {
        SyncPlan plan = Reconcile(
            LinkCollection.Empty,
            Changed(Local(subject: "Dentist") with { ICalUId = blank }),
            Changed(Remote(subject: "Board meeting", hour: 15) with { ICalUId = blank }));

        Assert.Equal(2, plan.Changes.Count);
        Assert.All(plan.Changes, c => Assert.Equal(ChangeKind.Create, c.Kind));
    }

    [Fact]
    public void Reconcile_SameICalUId_Links()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(Local() with { ICalUId = "u1" }), Changed(Remote(hour: 15) with { ICalUId = "u1" }));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal("L1", change.LocalId);
        Assert.Equal("R1", change.RemoteId);
        Assert.NotEqual(WriteKind.Create, change.RemoteWrite?.Kind);
    }

    [Fact]
    public void Reconcile_IdenticalUnlinkedEventsWithUniqueSubjectAndTime_LinkWithoutWrites()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(Local()), Changed(Remote()));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeKind.Link, change.Kind);
        Assert.Null(change.RemoteWrite);
        Assert.Null(change.LocalWrite);
    }

    [Fact]
    public void Reconcile_AmbiguousSubjectAndTime_DoesNotGuessAMatch()
    {
        SyncPlan plan = Reconcile(
            LinkCollection.Empty,
            Changed(Local(id: "L1"), Local(id: "L2")),
            Changed(Remote(id: "R1")));

        Assert.Equal(3, plan.Changes.Count);
        Assert.All(plan.Changes, c => Assert.Equal(ChangeKind.Create, c.Kind));
    }

    [Fact]
    public void Reconcile_PastLocalEvent_IsNotPushedByDefault()
    {
        CalendarEvent past = Local() with { Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 2, 9, 0), new LocalDateTime(2026, 11, 2, 10, 0), "Europe/Berlin") };

        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(past), SideChanges.None);

        Assert.Empty(plan.Changes);
        SyncNote note = Assert.Single(plan.Notes);
        Assert.Contains("past events are not created in Outlook", note.Reason);
        Assert.False(note.WillRetry);
    }

    [Fact]
    public void Reconcile_PastLocalEventWithPushPastEvents_IsPushed()
    {
        CalendarEvent past = Local() with { Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 2, 9, 0), new LocalDateTime(2026, 11, 2, 10, 0), "Europe/Berlin") };

        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(past), SideChanges.None, Options() with { PushPastEvents = true });

        Assert.Equal(WriteKind.Create, Assert.Single(plan.Changes).RemoteWrite!.Kind);
    }

    [Fact]
    public void Reconcile_PastRemoteEvent_IsStillBroughtToTheHost()
    {
        CalendarEvent past = Remote() with { Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 2, 9, 0), new LocalDateTime(2026, 11, 2, 10, 0), "Europe/Berlin") };

        SyncPlan plan = Reconcile(LinkCollection.Empty, SideChanges.None, Changed(past));

        Assert.Equal(WriteKind.Create, Assert.Single(plan.Changes).LocalWrite!.Kind);
    }

    [Fact]
    public void Reconcile_NewEventOutsideTheWindow_IsNotCreated()
    {
        CalendarEvent farAway = Remote() with { Timing = EventTiming.AllDay(new LocalDate(2031, 1, 1), new LocalDate(2031, 1, 2)) };

        SyncPlan plan = Reconcile(LinkCollection.Empty, SideChanges.None, Changed(farAway));

        Assert.Empty(plan.Changes);
        Assert.Contains("outside the sync window", Assert.Single(plan.Notes).Reason);
    }

    [Fact]
    public void Reconcile_ToOutlookOnly_IgnoresNewAndChangedOutlookEvents()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(
            LinkCollection.Create([Link(l0, r0)]),
            SideChanges.None,
            Changed(r0.Edited(subject: "Outlook edit"), Remote(id: "R2", subject: "Outlook only", day: 3)),
            Options(SyncDirection.ToOutlookOnly));

        Assert.All(plan.Changes, c => Assert.Null(c.LocalWrite));
        Assert.All(plan.Changes, c => Assert.Null(c.RemoteWrite));
    }

    [Fact]
    public void Reconcile_FromOutlookOnly_DoesNotPushHostEvents()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(Local()), SideChanges.None, Options(SyncDirection.FromOutlookOnly));

        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void Reconcile_FromOutlookOnlyConflict_OutlookWins()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(
            LinkCollection.Create([Link(l0, r0)]),
            Changed(l0.Edited(subject: "Host", modified: Now)),
            Changed(r0.Edited(subject: "Outlook", modified: Now - Duration.FromDays(1))),
            Options(SyncDirection.FromOutlookOnly));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal("Outlook", Assert.IsType<EventUpdate>(change.LocalWrite).Content.Subject);
        Assert.Null(change.RemoteWrite);
    }

    [Fact]
    public void Reconcile_CancelledOutlookEvent_IsNotCreatedLocally()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, SideChanges.None, Changed(Remote() with { IsCancelled = true }));

        Assert.Empty(plan.Changes);
        Assert.Contains("cancelled", Assert.Single(plan.Notes).Reason);
    }

    [Fact]
    public void Reconcile_ExceptionOfUnsyncedSeries_WaitsForTheSeries()
    {
        CalendarEvent exception = Remote(id: "R-ex") with { SeriesMasterId = "R-master", OriginalStart = Now };

        SyncPlan plan = Reconcile(LinkCollection.Empty, SideChanges.None, Changed(exception));

        Assert.Empty(plan.Changes);
        Assert.True(Assert.Single(plan.Notes).WillRetry);
    }

    [Fact]
    public void Reconcile_ExceptionOfSyncedSeries_TranslatesTheSeriesId()
    {
        CalendarEvent masterLocal = Local(id: "L-master");
        CalendarEvent masterRemote = Remote(id: "R-master");
        CalendarEvent exception = Remote(id: "R-ex", day: 2) with { SeriesMasterId = "R-master", OriginalStart = Now };

        SyncPlan plan = Reconcile(LinkCollection.Create([Link(masterLocal, masterRemote)]), SideChanges.None, Changed(exception));

        Assert.Equal("L-master", Assert.IsType<EventCreate>(Assert.Single(plan.Changes).LocalWrite).Event.SeriesMasterId);
    }

    [Fact]
    public void Reconcile_FullLocalSnapshotMissingALinkedEvent_DeletesItInOutlook()
    {
        CalendarEvent l1 = Local(id: "L1");
        CalendarEvent r1 = Remote(id: "R1");
        CalendarEvent l2 = Local(id: "L2", day: 2);
        CalendarEvent r2 = Remote(id: "R2", day: 2);

        SyncPlan plan = Reconcile(LinkCollection.Create([Link(l1, r1), Link(l2, r2)]), new SideChanges([l1], [], isFullSnapshot: true), SideChanges.None);

        PlannedChange change = Assert.Single(plan.Changes, c => c.RemoteWrite is not null);
        Assert.Equal("R2", Assert.IsType<EventDelete>(change.RemoteWrite).EventId);
    }

    [Fact]
    public void Reconcile_FullSnapshotMissingALinkedEventOutsideTheWindow_DeletesNothing()
    {
        CalendarEvent old = Local(id: "L-old") with { Timing = EventTiming.AllDay(new LocalDate(2020, 1, 1), new LocalDate(2020, 1, 2)) };
        CalendarEvent oldRemote = Remote(id: "R-old") with { Timing = old.Timing };

        SyncPlan plan = Reconcile(LinkCollection.Create([Link(old, oldRemote)]), new SideChanges([], [], isFullSnapshot: true), SideChanges.None);

        Assert.Empty(plan.Changes);
    }
}
