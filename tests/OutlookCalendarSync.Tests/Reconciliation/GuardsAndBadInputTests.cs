using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using static OutlookCalendarSync.Tests.Support.TestEvents;

namespace OutlookCalendarSync.Tests.Reconciliation;

public sealed class GuardsAndBadInputTests
{
    private static LinkCollection Links(int count)
        => LinkCollection.Create(Enumerable.Range(1, count).Select(i => Link(Local(id: $"L{i}", subject: $"E{i}"), Remote(id: $"R{i}", subject: $"E{i}"))));

    [Fact]
    public void Reconcile_DeletingMostLinkedEvents_IsBlockedByTheMassDeletionGuard()
    {
        SyncPlan plan = Reconcile(Links(20), Deleted(Enumerable.Range(1, 15).Select(i => $"L{i}").ToArray()), SideChanges.None);

        Assert.True(plan.IsBlocked);
        Assert.Contains("15 of the 20", plan.BlockedReason);
        Assert.Contains("AllowMassDeletion", plan.BlockedReason);
    }

    [Fact]
    public void Reconcile_DeletingAFewLinkedEvents_IsNotBlocked()
    {
        SyncPlan plan = Reconcile(Links(20), Deleted("L1", "L2", "L3"), SideChanges.None);

        Assert.False(plan.IsBlocked);
        Assert.Equal(3, plan.CountWrites(SyncSide.Outlook, WriteKind.Delete));
    }

    [Fact]
    public void Reconcile_MassDeletionAllowed_GoesAhead()
    {
        SyncPlan plan = Reconcile(Links(20), Deleted(Enumerable.Range(1, 20).Select(i => $"L{i}").ToArray()), SideChanges.None, Options() with { AllowMassDeletion = true });

        Assert.False(plan.IsBlocked);
        Assert.Equal(20, plan.CountWrites(SyncSide.Outlook, WriteKind.Delete));
    }

    [Fact]
    public void Reconcile_FeedWithTwoDifferentEventsUnderOneId_FailsThatEventOnly()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(Local(id: "L1", subject: "A"), Local(id: "L1", subject: "B"), Local(id: "L2", subject: "C", day: 2)), SideChanges.None);

        SyncFailure failure = Assert.Single(plan.Failures);
        Assert.Equal("L1", failure.HostId);
        Assert.Contains("two different events", failure.Reason);
        Assert.Equal("L2", Assert.Single(plan.Changes).LocalId);
    }

    [Fact]
    public void Reconcile_EventWithoutId_IsAFailureNotACrash()
    {
        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(Local() with { Id = null }), SideChanges.None);

        Assert.Contains("without an id", Assert.Single(plan.Failures).Reason);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void Reconcile_SameInputTwice_GivesTheSamePlan()
    {
        CalendarEvent l0 = Local();
        CalendarEvent r0 = Remote();
        var links = LinkCollection.Create([Link(l0, r0)]);
        SideChanges local = Changed(l0.Edited(subject: "x"), Local(id: "L9", day: 9, subject: "new"));
        SideChanges remote = Changed(r0.Edited(location: "y"), Remote(id: "R9", day: 10, subject: "other"));

        SyncPlan first = Reconcile(links, local, remote);
        SyncPlan second = Reconcile(links, local, remote);

        Assert.Equal(first.Changes, second.Changes);
    }

    [Fact]
    public void EstimateInvitationEmails_CreateWithAttendees_CountsEachAttendee()
    {
        CalendarEvent meeting = Local() with { Attendees = [Attendee.Create("ann@example.com"), Attendee.Create("bob@example.com")] };

        SyncPlan plan = Reconcile(LinkCollection.Empty, Changed(meeting), SideChanges.None);

        Assert.Equal(2, plan.EstimateInvitationEmails());
    }
}
