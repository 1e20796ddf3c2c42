using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using static OutlookCalendarSync.Tests.Support.TestEvents;

namespace OutlookCalendarSync.Tests.Reconciliation;

/// <summary>One test per cell of the linked-pair table: local state × remote state.</summary>
public sealed class DecisionTableTests
{
    public enum Side
    {
        NotInFeed,
        UnchangedInFeed,
        Changed,
        Deleted,
    }

    public static TheoryData<Side, Side, ChangeKind?, WriteKind?, WriteKind?> Cells() => new()
    {
        // local, remote, change, remote write, local write
        { Side.NotInFeed, Side.NotInFeed, null, null, null },
        { Side.NotInFeed, Side.UnchangedInFeed, ChangeKind.Acknowledge, null, null },
        { Side.NotInFeed, Side.Changed, ChangeKind.Update, null, WriteKind.Update },
        { Side.NotInFeed, Side.Deleted, ChangeKind.Delete, null, WriteKind.Delete },
        { Side.UnchangedInFeed, Side.NotInFeed, ChangeKind.Acknowledge, null, null },
        { Side.UnchangedInFeed, Side.UnchangedInFeed, ChangeKind.Acknowledge, null, null },
        { Side.UnchangedInFeed, Side.Changed, ChangeKind.Update, null, WriteKind.Update },
        { Side.UnchangedInFeed, Side.Deleted, ChangeKind.Delete, null, WriteKind.Delete },
        { Side.Changed, Side.NotInFeed, ChangeKind.Update, WriteKind.Update, null },
        { Side.Changed, Side.UnchangedInFeed, ChangeKind.Update, WriteKind.Update, null },
        { Side.Changed, Side.Changed, ChangeKind.Update, WriteKind.Update, WriteKind.Update },
        { Side.Changed, Side.Deleted, ChangeKind.Delete, null, WriteKind.Delete },
        { Side.Deleted, Side.NotInFeed, ChangeKind.Delete, WriteKind.Delete, null },
        { Side.Deleted, Side.UnchangedInFeed, ChangeKind.Delete, WriteKind.Delete, null },
        { Side.Deleted, Side.Changed, ChangeKind.Delete, WriteKind.Delete, null },
        { Side.Deleted, Side.Deleted, ChangeKind.Unlink, null, null },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Reconcile_LinkedPairCell_PlansExpectedWrites(Side local, Side remote, ChangeKind? expectedChange, WriteKind? expectedRemoteWrite, WriteKind? expectedLocalWrite)
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        var links = LinkCollection.Create([Link(l0, r0)]);

        // Both sides change different fields, so the "changed on both" cell writes to both.
        SyncPlan plan = Reconcile(
            links,
            Feed(local, l0, e => e.Edited(subject: "Planning (moved)")),
            Feed(remote, r0, e => e.Edited(location: "Room 2")));

        Assert.Empty(plan.Failures);
        if (expectedChange is null)
        {
            Assert.Empty(plan.Changes);
            return;
        }

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(expectedChange, change.Kind);
        Assert.Equal(expectedRemoteWrite, change.RemoteWrite?.Kind);
        Assert.Equal(expectedLocalWrite, change.LocalWrite?.Kind);
    }

    [Fact]
    public void Reconcile_LocalChangeOnly_PatchesOnlyTheChangedFieldsInOutlook()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(LinkCollection.Create([Link(l0, r0)]), Changed(l0.Edited(subject: "Renamed")), SideChanges.None);

        EventUpdate write = Assert.IsType<EventUpdate>(Assert.Single(plan.Changes).RemoteWrite);
        Assert.Equal(EventFields.Subject, write.Fields);
        Assert.Equal("R1", write.EventId);
        Assert.Equal("ck1", write.ExpectedVersion);
        Assert.Equal("Renamed", write.Content.Subject);
    }

    [Fact]
    public void Reconcile_RemoteChangeOnly_PatchesOnlyTheChangedFieldsLocally()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(LinkCollection.Create([Link(l0, r0)]), SideChanges.None, Changed(r0.Edited(location: "Room 9")));

        EventUpdate write = Assert.IsType<EventUpdate>(Assert.Single(plan.Changes).LocalWrite);
        Assert.Equal(EventFields.Location, write.Fields);
        Assert.Equal("L1", write.EventId);
        Assert.Equal("1", write.ExpectedVersion);
    }

    [Fact]
    public void Reconcile_BothChangedIdentically_LinksWithoutWriting()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(
            LinkCollection.Create([Link(l0, r0)]),
            Changed(l0.Edited(subject: "Same")),
            Changed(r0.Edited(subject: "Same")));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeKind.Acknowledge, change.Kind);
        Assert.Null(change.RemoteWrite);
        Assert.Null(change.LocalWrite);
        Assert.Equal("Same", change.NewBase!.Subject);
    }

    [Fact]
    public void Reconcile_VersionBumpWithoutContentChange_IsNotAChange()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(LinkCollection.Create([Link(l0, r0)]), SideChanges.None, Changed(r0 with { Version = "ck2" }));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeKind.Acknowledge, change.Kind);
        Assert.Null(change.LocalWrite);
    }

    [Fact]
    public void Reconcile_DeleteAgainstChangeWithChangeWins_RecreatesTheDeletedSide()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(
            LinkCollection.Create([Link(l0, r0)]),
            Deleted("L1"),
            Changed(r0.Edited(subject: "Keep me")),
            Options(deleteVersusChange: DeleteVersusChange.ChangeWins));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeKind.Create, change.Kind);
        EventCreate create = Assert.IsType<EventCreate>(change.LocalWrite);
        Assert.Equal("Keep me", create.Event.Subject);
        Assert.Equal("R1", create.Event.CounterpartId);
        Assert.Null(change.RemoteWrite);
        Assert.Equal(ConflictWinner.Outlook, change.Conflict!.Winner);
    }

    [Fact]
    public void Reconcile_DeleteAgainstChangeByDefault_DeletionWinsAndIsReported()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(LinkCollection.Create([Link(l0, r0)]), Changed(l0.Edited(subject: "Edited")), Deleted("R1"));

        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(WriteKind.Delete, change.LocalWrite!.Kind);
        Assert.Null(change.NewBase);
        Assert.Equal(ConflictWinner.Deleted, change.Conflict!.Winner);
    }

    [Fact]
    public void Reconcile_DeletedOnOneSide_DeletesWithTheVersionLastSeen()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        SyncPlan plan = Reconcile(LinkCollection.Create([Link(l0, r0)]), Deleted("L1"), SideChanges.None);

        EventDelete write = Assert.IsType<EventDelete>(Assert.Single(plan.Changes).RemoteWrite);
        Assert.Equal("R1", write.EventId);
        Assert.Equal("ck1", write.ExpectedVersion);
    }

    private static SideChanges Feed(Side state, CalendarEvent original, Func<CalendarEvent, CalendarEvent> edit) => state switch
    {
        Side.NotInFeed => SideChanges.None,
        Side.UnchangedInFeed => Changed(original with { Version = original.Version + "+" }),
        Side.Changed => Changed(edit(original)),
        _ => Deleted(original.Id!),
    };
}
