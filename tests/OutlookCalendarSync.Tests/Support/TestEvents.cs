using NodaTime;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync.Tests.Support;

/// <summary>Events, links and options for tests, around a fixed "now".</summary>
internal static class TestEvents
{
    public static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 12, 0);

    public static ReconciliationOptions Options(SyncDirection direction = SyncDirection.TwoWay, DeleteVersusChange deleteVersusChange = DeleteVersusChange.DeleteWins)
        => new()
        {
            Window = new Interval(Now - Duration.FromDays(365), Now + Duration.FromDays(730)),
            Direction = direction,
            DeleteVersusChange = deleteVersusChange,
        };

    public static CalendarEvent Meeting(string subject = "Planning", int day = 1, int hour = 9, string? id = null, string? version = "1")
        => new()
        {
            Id = id,
            Version = version,
            Subject = subject,
            Timing = EventTiming.Timed(
                new LocalDateTime(2026, 12, day, hour, 0),
                new LocalDateTime(2026, 12, day, hour + 1, 0),
                "Europe/Berlin"),
            Location = "Room 1",
            LastModified = Now - Duration.FromHours(1),
        };

    public static CalendarEvent Local(string subject = "Planning", int day = 1, int hour = 9, string id = "L1", string version = "1")
        => Meeting(subject, day, hour, id, version);

    public static CalendarEvent Remote(string subject = "Planning", int day = 1, int hour = 9, string id = "R1", string version = "ck1")
        => Meeting(subject, day, hour, id, version);

    public static EventLink Link(CalendarEvent local, CalendarEvent remote)
        => new(local.Id!, remote.Id!, local.ContentOnly())
        {
            LocalVersion = local.Version,
            RemoteVersion = remote.Version,
            LocalHash = local.ContentHash,
            RemoteHash = remote.ContentHash,
        };

    public static CalendarEvent Edited(this CalendarEvent e, string? subject = null, string? location = null, Instant? modified = null, string? version = null)
        => e with
        {
            Subject = subject ?? e.Subject,
            Location = location ?? e.Location,
            LastModified = modified ?? Now,
            Version = version ?? (e.Version + "'"),
        };

    public static SideChanges Changed(params CalendarEvent[] events) => new(events, [], isFullSnapshot: false);

    public static SideChanges Deleted(params string[] ids) => new([], ids, isFullSnapshot: false);

    public static SyncPlan Reconcile(LinkCollection links, SideChanges local, SideChanges remote, ReconciliationOptions? options = null, IConflictResolver? resolver = null)
        => Reconciler.Reconcile(links, local, remote, options ?? Options(), resolver ?? new ThreeWayMergeResolver(), Now);
}
