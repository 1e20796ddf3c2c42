using NodaTime;

namespace OutlookCalendarSync.Abstractions;

/// <summary>Keeps each user's <see cref="SyncState"/> and the lease that lets one run at a time work on it.</summary>
/// <remarks>
/// <see cref="SaveAsync"/> is one atomic write with optimistic concurrency: it succeeds only if the stored revision is still
/// <see cref="SyncState.Revision"/>, and otherwise throws <see cref="SyncStateConflictException"/>.
/// </remarks>
public interface ISyncStateStore
{
    /// <summary>Reads a user's state.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or null for a user never saved.</returns>
    Task<SyncState?> LoadAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Saves a user's state if nobody saved it since it was read.</summary>
    /// <param name="state">The state, with the revision it was read at.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The saved state with its new revision.</returns>
    Task<SyncState> SaveAsync(SyncState state, CancellationToken cancellationToken);

    /// <summary>
    /// Records link changes made during a run, before the run's final <see cref="SaveAsync"/>, so that a crash between two writes
    /// keeps the links of the writes already made (a write-ahead journal). Creates the user's state if there is none.
    /// </summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="upserts">Links added or replaced (matched by host id or Outlook id).</param>
    /// <param name="removedLocalIds">Host ids whose links go away.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the links are stored.</returns>
    /// <remarks>Changes only the links: never the cursors, the pending ids, the status, or <see cref="SyncState.Revision"/>.</remarks>
    Task SaveLinksAsync(string userId, IReadOnlyCollection<EventLink> upserts, IReadOnlyCollection<string> removedLocalIds, CancellationToken cancellationToken);

    /// <summary>Forgets a user's state (links, cursors, status).</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the state is gone.</returns>
    Task DeleteAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Takes the user's lease if nobody holds it or the holder's lease expired.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="duration">How long the lease lasts if not released.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or null when another run holds it.</returns>
    Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken);

    /// <summary>Gives a lease back; a lease that expired or was taken over is ignored.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken);
}
