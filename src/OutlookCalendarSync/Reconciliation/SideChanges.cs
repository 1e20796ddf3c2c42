using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>The changes of one side given to the reconciler: events seen, deletions confirmed, and whether it is a full snapshot.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
internal sealed class SideChanges
{
    /// <summary>Creates the changes of one side.</summary>
    /// <param name="changed">Events created or changed (or every event, for a full snapshot).</param>
    /// <param name="deletedIds">Ids of events known to be deleted.</param>
    /// <param name="isFullSnapshot">True when <paramref name="changed"/> is every event of the window: linked events missing from it are deleted.</param>
    public SideChanges(IEnumerable<CalendarEvent> changed, IEnumerable<string> deletedIds, bool isFullSnapshot)
    {
        Changed = Guard.NotNull(changed).ToArray();
        DeletedIds = Guard.NotNull(deletedIds).ToArray();
        IsFullSnapshot = isFullSnapshot;
    }

    /// <summary>No changes.</summary>
    public static SideChanges None { get; } = new([], [], isFullSnapshot: false);

    /// <summary>Events created or changed.</summary>
    public IReadOnlyList<CalendarEvent> Changed { get; }

    /// <summary>Ids of events known to be deleted.</summary>
    public IReadOnlyList<string> DeletedIds { get; }

    /// <summary>True when <see cref="Changed"/> is every event of the window.</summary>
    public bool IsFullSnapshot { get; }
}
