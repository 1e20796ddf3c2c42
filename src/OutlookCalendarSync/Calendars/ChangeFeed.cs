using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Calendars;

/// <summary>What changed on one side since a cursor: changed or new events, removed ids, and the cursor to ask from next time.</summary>
/// <remarks>
/// A feed read with a null cursor is a full snapshot of the window (<see cref="IsFullSnapshot"/>): the engine then treats a linked
/// event missing from it as deleted. A host that cannot keep tombstones may answer every request with a full snapshot.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class ChangeFeed
{
    /// <summary>Creates a feed.</summary>
    /// <param name="changed">Events created or changed since the cursor (each with its id and version).</param>
    /// <param name="removed">Events removed since the cursor.</param>
    /// <param name="nextCursor">The opaque cursor to pass next time.</param>
    /// <param name="isFullSnapshot">True when <paramref name="changed"/> is every event of the window.</param>
    /// <param name="notes">Events the feed left out on purpose, with the reason (for example a kind of event not synced yet).</param>
    public ChangeFeed(IEnumerable<CalendarEvent> changed, IEnumerable<EventRemoval> removed, string nextCursor, bool isFullSnapshot, IEnumerable<SyncNote>? notes = null)
    {
        Changed = Guard.NotNull(changed).ToArray();
        Removed = Guard.NotNull(removed).ToArray();
        NextCursor = Guard.NotNull(nextCursor);
        IsFullSnapshot = isFullSnapshot;
        Notes = notes?.ToArray() ?? [];
    }

    /// <summary>Events the feed left out on purpose, with the reason; reported in the run's result.</summary>
    public IReadOnlyList<SyncNote> Notes { get; }

    /// <summary>Events created or changed since the cursor.</summary>
    public IReadOnlyList<CalendarEvent> Changed { get; }

    /// <summary>Events removed since the cursor.</summary>
    public IReadOnlyList<EventRemoval> Removed { get; }

    /// <summary>The opaque cursor to pass next time.</summary>
    public string NextCursor { get; }

    /// <summary>True when the feed is every event of the window, not only changes.</summary>
    public bool IsFullSnapshot { get; }
}
