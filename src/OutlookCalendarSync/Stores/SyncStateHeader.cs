using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Stores;

/// <summary>A user's sync header: the one row per user of an <see cref="ISyncStateStore"/>, and the cheap per-user status a host shows.</summary>
/// <remarks>
/// Every property is a plain column. <see cref="EngineData"/> is the engine's own opaque, versioned text (what it needs to recover
/// from an interrupted run): store it as given.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SyncStateHeader
{
    /// <summary>Creates the header of a user never saved (revision 0, <see cref="SyncStatus.Active"/>).</summary>
    /// <param name="userId">The host's user id.</param>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null, empty or white space.</exception>
    public SyncStateHeader(string userId)
    {
        UserId = Guard.UserId(userId);
    }

    /// <summary>The host's user id.</summary>
    public string UserId { get; }

    /// <summary>The revision this header was read at; 0 for a user never saved. Each save stores the next revision.</summary>
    public long Revision { get; init; }

    /// <summary>Whether sync runs for this user.</summary>
    /// <value>Defaults to <see cref="SyncStatus.Active"/>.</value>
    public SyncStatus Status { get; init; } = SyncStatus.Active;

    /// <summary>The host change feed's cursor, or null before the first run.</summary>
    public string? HostCursor { get; init; }

    /// <summary>The Outlook change feed's cursor (a Graph delta link), or null before the first run.</summary>
    public string? OutlookCursor { get; init; }

    /// <summary>The window <see cref="OutlookCursor"/> was made for; Graph fixes it per delta link.</summary>
    public Interval? OutlookCursorWindow { get; init; }

    /// <summary>When the first run completed, or null.</summary>
    public Instant? FirstSyncAt { get; init; }

    /// <summary>When the last run completed, or null.</summary>
    public Instant? LastSyncAt { get; init; }

    /// <summary>When the user is next due for a sync, or null for "as soon as possible" (see <see cref="ISyncStateStore.GetUsersDueAsync"/>).</summary>
    public Instant? NextSyncAt { get; init; }

    /// <summary>The summary of the last run's problem, or null when it went well.</summary>
    public string? LastError { get; init; }

    /// <summary>The engine's opaque, versioned data; null when it has none. Stores keep it unchanged.</summary>
    public string? EngineData { get; init; }

    /// <summary>True until a first run has completed.</summary>
    public bool IsFirstSync => FirstSyncAt is null;
}
