using System.Collections.Concurrent;
using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.FarmWorker;

/// <summary>
/// The real state store, with every lease it grants, renews and releases printed (<see cref="WorkerOutput"/>) and the lease this
/// process holds per user kept, so the Graph requests of a run can be tagged with its lease (<see cref="RunTaggedTokens"/>).
/// </summary>
internal sealed class LeaseJournal(ISyncStateStore inner) : ISyncStateStore
{
    private readonly ConcurrentDictionary<string, string> _held = new(StringComparer.Ordinal);

    /// <summary>The token of the lease this process holds for the user, or <see langword="null"/>.</summary>
    public string? HeldBy(string userId) => _held.TryGetValue(userId, out string? token) ? token : null;

    public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken) => inner.GetHeaderAsync(userId, cancellationToken);

    public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken) => inner.GetLinksAsync(userId, cancellationToken);

    public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
        => inner.FindLinksAsync(userId, hostIds, outlookIds, cancellationToken);

    public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken) => inner.SaveAsync(changes, cancellationToken);

    public Task DeleteAsync(string userId, CancellationToken cancellationToken) => inner.DeleteAsync(userId, cancellationToken);

    public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken) => inner.GetUsersDueAsync(now, limit, cancellationToken);

    public async Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        SyncLease? lease = await inner.TryAcquireLeaseAsync(userId, duration, cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            _held[userId] = lease.Token;
            WorkerOutput.Line("LEASE", userId, lease.Token, WorkerOutput.Now, lease.ExpiresAt.ToDateTimeUtc().Ticks);
        }

        return lease;
    }

    public async Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken)
    {
        SyncLease? renewed = await inner.RenewLeaseAsync(lease, duration, cancellationToken).ConfigureAwait(false);
        if (renewed is not null)
        {
            WorkerOutput.Line("RENEW", renewed.UserId, renewed.Token, WorkerOutput.Now, renewed.ExpiresAt.ToDateTimeUtc().Ticks);
        }

        return renewed;
    }

    public async Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken)
    {
        // Printed before the release is sent: the parent must never see the next holder's grant before this line's time.
        long releasing = WorkerOutput.Now;
        _held.TryRemove(new KeyValuePair<string, string>(lease.UserId, lease.Token));
        await inner.ReleaseLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
        WorkerOutput.Line("RELEASE", lease.UserId, lease.Token, releasing);
    }
}
