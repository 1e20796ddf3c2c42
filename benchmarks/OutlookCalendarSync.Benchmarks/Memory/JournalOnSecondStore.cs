using NodaTime;
using OutlookCalendarSync.Abstractions;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>
/// A diagnostic sync state store for <see cref="MeasuredPhase.SyncWithoutLinkCache"/>: two SQLite state store instances on one file,
/// the journal (<c>SaveLinksAsync</c>) going to the second. The second never knows which links are stored, so it keeps no copy of
/// them (as when another process saved in between); the first sees the file changed and compares with the stored rows on save.
/// </summary>
internal sealed class JournalOnSecondStore(ISyncStateStore states, ISyncStateStore journal) : ISyncStateStore
{
    public Task<SyncState?> LoadAsync(string userId, CancellationToken cancellationToken) => states.LoadAsync(userId, cancellationToken);

    public Task<SyncState> SaveAsync(SyncState state, CancellationToken cancellationToken) => states.SaveAsync(state, cancellationToken);

    public Task SaveLinksAsync(string userId, IReadOnlyCollection<EventLink> upserts, IReadOnlyCollection<string> removedLocalIds, CancellationToken cancellationToken)
        => journal.SaveLinksAsync(userId, upserts, removedLocalIds, cancellationToken);

    public Task DeleteAsync(string userId, CancellationToken cancellationToken) => states.DeleteAsync(userId, cancellationToken);

    public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
        => states.TryAcquireLeaseAsync(userId, duration, cancellationToken);

    public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken) => states.ReleaseLeaseAsync(lease, cancellationToken);
}
