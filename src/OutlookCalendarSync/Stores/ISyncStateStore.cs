using NodaTime;

namespace OutlookCalendarSync.Stores;

/// <summary>
/// Keeps each user's sync state as a database keeps it: one header row per user (<see cref="SyncStateHeader"/>), one row per link
/// (<see cref="StoredLink"/>), and a lease that lets one run at a time work on the user.
/// </summary>
/// <remarks>
/// <para>
/// The store knows nothing of how the engine syncs or recovers from a crash: link payloads and <see cref="SyncStateHeader.EngineData"/>
/// are opaque text the engine writes and versions. An implementation stores them as given and returns them unchanged.
/// </para>
/// <para>
/// <see cref="SaveAsync"/> applies a <see cref="SyncStateChanges"/> in one transaction with optimistic concurrency: it succeeds only if
/// the stored revision is still <see cref="SyncStateHeader.Revision"/> of the changes' header (0 for a user never saved), deletes
/// the listed links, upserts the listed links in order, stores the header with the next revision, and otherwise throws
/// <see cref="SyncStateConflictException"/> and changes nothing. A run writes only the links it changed, so a save costs
/// O(changed links).
/// </para>
/// <para>
/// Each host id and each Outlook id appears in at most one link of a user: an upserted link replaces every stored link that has its
/// host id or its Outlook id.
/// </para>
/// <para>
/// Check an implementation with <c>SyncStateStoreContract</c> from the OutlookCalendarSync.Testing package.
/// </para>
/// </remarks>
/// <threadsafety>Implementations must be safe for concurrent use; runs of different users call them in parallel.</threadsafety>
public interface ISyncStateStore
{
    /// <summary>Reads a user's header row.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header, or null for a user never saved.</returns>
    Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Reads all of a user's links.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The links, in no particular order; empty for a user never saved.</returns>
    Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Reads the links of a user that have one of the given host ids or one of the given Outlook ids.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="hostIds">Host event ids to look up.</param>
    /// <param name="outlookIds">Outlook event ids to look up.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Each matching link once, in no particular order.</returns>
    Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken);

    /// <summary>Applies link deletions, link upserts and a new header in one transaction, if nobody saved since the expected revision.</summary>
    /// <param name="changes">The changes; <c>changes.Header.Revision</c> is the revision they were made from.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new revision (the expected one plus one).</returns>
    /// <exception cref="SyncStateConflictException">The stored revision is not the expected one; nothing was written.</exception>
    Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken);

    /// <summary>Forgets a user: the header and every link. Does nothing for a user never saved.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the state is gone.</returns>
    Task DeleteAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the users due for a sync: status <see cref="SyncStatus.Active"/> and <see cref="SyncStateHeader.NextSyncAt"/> null or not
    /// after <paramref name="now"/>, the longest overdue first (null first), then by user id.
    /// </summary>
    /// <param name="now">The current instant.</param>
    /// <param name="limit">The most users to return (positive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most <paramref name="limit"/> user ids.</returns>
    Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken);

    /// <summary>Takes the user's lease if nobody holds it or the holder's lease expired.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="duration">How long the lease lasts if not renewed or released (positive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or null when another holder's lease has not expired.</returns>
    Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken);

    /// <summary>Extends a lease its holder still holds to now plus <paramref name="duration"/>.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="duration">How long the lease lasts from now (positive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease, or null when it expired and was taken over or released (the holder must stop).</returns>
    Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken);

    /// <summary>Gives a lease back; a lease that expired or was taken over is ignored.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken);
}
