using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Abstractions;

/// <summary>Everything the engine remembers about one user between runs.</summary>
/// <remarks>
/// A state is saved in one atomic write with optimistic concurrency (<see cref="Revision"/>): the links and the cursors that
/// produced them together, so a cursor is never ahead of the links. A crash leaves the old state, and the next run repairs
/// itself by recognising the echoes of the writes that were made.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SyncState
{
    /// <summary>Creates the state of a user who has never synced.</summary>
    /// <param name="userId">The host's user id.</param>
    public SyncState(string userId)
    {
        UserId = Guard.UserId(userId);
    }

    /// <summary>The host's user id.</summary>
    public string UserId { get; init; }

    /// <summary>The revision this state was read at; 0 for a state never saved. Stores bump it on every save.</summary>
    public long Revision { get; init; }

    /// <summary>Whether sync runs for this user.</summary>
    public SyncStatus Status { get; init; } = SyncStatus.Active;

    /// <summary>The links between host and Outlook events.</summary>
    public LinkCollection Links { get; init; } = LinkCollection.Empty;

    /// <summary>The host change feed's cursor, or null before the first run.</summary>
    public string? LocalCursor { get; init; }

    /// <summary>The Outlook change feed's cursor (delta link), or null before the first run.</summary>
    public string? RemoteCursor { get; init; }

    /// <summary>The window <see cref="RemoteCursor"/> was made for; Graph fixes it per delta token.</summary>
    public Interval? RemoteCursorWindow { get; init; }

    /// <summary>
    /// Host events to read again by id on the next run unless its feed reports them: changes that could not be applied yet, and
    /// events this run created (so a deletion right after is never missed).
    /// </summary>
    public IReadOnlySet<string> PendingLocalIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Outlook events to read again by id on the next run unless its feed reports them: changes that could not be applied yet, and
    /// events this run created (so a deletion right after is never missed).
    /// </summary>
    public IReadOnlySet<string> PendingRemoteIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// True when a run started writing and stopped before its final save (a crash or a cancellation). The next run then reads both
    /// calendars in full, so it recognises every write the interrupted run made, including events deleted since.
    /// </summary>
    public bool IsInterrupted { get; init; }

    /// <summary>When the first run completed, or null.</summary>
    public Instant? FirstSyncAt { get; init; }

    /// <summary>When the last run completed, or null.</summary>
    public Instant? LastSyncAt { get; init; }

    /// <summary>The summary of the last run's problem, or null when it went well.</summary>
    public string? LastError { get; init; }

    /// <summary>True until a first run has completed.</summary>
    public bool IsFirstSync => FirstSyncAt is null;
}
