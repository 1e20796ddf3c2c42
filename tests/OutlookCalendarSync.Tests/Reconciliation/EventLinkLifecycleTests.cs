using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Reconciliation;

/// <summary>The transitions of a link's lifecycle, each one method of <see cref="EventLink"/>.</summary>
public sealed class EventLinkLifecycleTests
{
    private static readonly CalendarEvent Base = TestEvents.Meeting("Planning");

    private static readonly EventLink Link = new("host-1", "AAMk-1", Base)
    {
        LocalVersion = "1",
        RemoteVersion = "ck-1",
        LocalHash = Base.ContentHash,
        RemoteHash = Base.ContentHash,
    };

    [Fact]
    public void Sending_UpdateToOutlook_IsPendingWithOnlyTheSentFields()
    {
        CalendarEvent merged = Base with { Subject = "Planning (moved)", Location = "Room 2" };
        PlannedChange change = UpdateOf(merged, toOutlook: EventFields.Subject);

        EventLink pending = EventLink.Sending(change, SyncSide.Outlook)!;

        Assert.Equal(LinkState.Settled, Link.State);
        Assert.Equal(LinkState.Pending, pending.State);
        CalendarEvent marker = Assert.Single(pending.PendingOn(SyncSide.Outlook));
        Assert.Equal("Planning (moved)", marker.Subject);
        Assert.Equal(Base.Location, marker.Location);
        Assert.Empty(pending.PendingOn(SyncSide.Host));
    }

    [Fact]
    public void Sending_NoUpdateOnThatSide_ReturnsNull()
        => Assert.Null(EventLink.Sending(UpdateOf(Base with { Subject = "x" }, toOutlook: EventFields.Subject), SyncSide.Host));

    [Fact]
    public void ReachedOutlookOnly_ThenSettled_EndsSettledWithWhatWasWritten()
    {
        CalendarEvent merged = Base with { Subject = "Merged" };
        PlannedChange change = UpdateOf(merged, toOutlook: EventFields.Subject, toHost: EventFields.Subject, host: Base with { Id = "host-1", Version = "1" });
        CalendarEvent writtenOutlook = merged with { Id = "AAMk-1", Version = "ck-2" };
        CalendarEvent writtenHost = merged with { Id = "host-1", Version = "2" };

        EventLink halfApplied = EventLink.ReachedOutlookOnly(change, EventWriteResult.Success(writtenOutlook))!;
        EventLink sendingToHost = EventLink.SendingToHost(change, EventWriteResult.Success(writtenOutlook))!;
        EventLink settled = EventLink.Settled(change, EventWriteResult.Success(writtenHost), EventWriteResult.Success(writtenOutlook))!;

        Assert.Equal(LinkState.HalfApplied, halfApplied.State);
        Assert.Equal(Base.ContentOnly(), halfApplied.InSyncOn(SyncSide.Host));
        Assert.Equal("ck-2", halfApplied.RemoteVersion);
        Assert.Equal("Merged", Assert.Single(sendingToHost.PendingOn(SyncSide.Host)).Subject);
        Assert.Equal(LinkState.Settled, settled.State);
        Assert.Equal(("2", "ck-2"), (settled.LocalVersion, settled.RemoteVersion));
        Assert.Equal(merged, settled.Base);
    }

    [Fact]
    public void RolledBack_ReturnsTheLinkTheChangeStartedFrom()
        => Assert.Same(Link, EventLink.RolledBack(UpdateOf(Base with { Subject = "x" }, toOutlook: EventFields.Subject)));

    [Fact]
    public void ViewOn_FieldEqualToAPendingWrite_IsNotASideChange()
    {
        CalendarEvent merged = Base with { Subject = "Sent" };
        EventLink pending = EventLink.Sending(UpdateOf(merged, toOutlook: EventFields.Subject), SyncSide.Outlook)!;
        CalendarEvent outlookNow = Base with { Subject = "Sent", Location = "Edited in Outlook", Id = "AAMk-1" };

        CalendarEvent view = pending.ViewOn(SyncSide.Outlook, outlookNow)!;

        Assert.Equal(Base.Subject, view.Subject);
        Assert.Equal("Edited in Outlook", view.Location);
    }

    [Fact]
    public void LastSeenOn_EachSide_HasThatSidesIdAndVersion()
    {
        Assert.Equal(("host-1", "1"), (Link.LastSeenOn(SyncSide.Host).Id, Link.LastSeenOn(SyncSide.Host).Version));
        Assert.Equal(("AAMk-1", "ck-1"), (Link.LastSeenOn(SyncSide.Outlook).Id, Link.LastSeenOn(SyncSide.Outlook).Version));
    }

    private static PlannedChange UpdateOf(CalendarEvent merged, EventFields toOutlook, EventFields toHost = EventFields.None, CalendarEvent? host = null) => new()
    {
        Kind = ChangeKind.Update,
        Description = "test",
        ExistingLink = Link,
        Local = host,
        NewBase = merged,
        RemoteWrite = toOutlook == EventFields.None ? null : EventWrite.Update("AAMk-1", "ck-1", merged with { Id = "AAMk-1" }, toOutlook),
        LocalWrite = toHost == EventFields.None ? null : EventWrite.Update("host-1", "1", merged with { Id = "host-1" }, toHost),
    };
}
