using System.Collections.Concurrent;
using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Hangfire.Tests;

/// <summary>
/// The real PostgreSQL state store, watched: counts, per user, the leases it grants and how many are held at once, so a test sees
/// two runs of one user overlap if the store ever let them (the holder count is raised after the database granted a lease and
/// lowered before the release is sent, so two grants that the database kept apart are never counted together).
/// </summary>
internal sealed class LeaseRecordingStateStore(ISyncStateStore inner) : ISyncStateStore
{
    private readonly ConcurrentDictionary<string, UserLeases> _users = new(StringComparer.Ordinal);

    public int MostHeldAtOnce(string userId) => Of(userId).MostHeld;

    public IReadOnlyList<DateTimeOffset> GrantTimes(string userId)
    {
        UserLeases leases = Of(userId);
        lock (leases)
        {
            return [.. leases.Granted];
        }
    }

    public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken) => inner.GetHeaderAsync(userId, cancellationToken);

    public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken) => inner.GetLinksAsync(userId, cancellationToken);

    public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
        => inner.FindLinksAsync(userId, hostIds, outlookIds, cancellationToken);

    public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken) => inner.SaveAsync(changes, cancellationToken);

    public Task DeleteAsync(string userId, CancellationToken cancellationToken) => inner.DeleteAsync(userId, cancellationToken);

    public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken) => inner.GetUsersDueAsync(now, limit, cancellationToken);

    public async Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        SyncLease? lease = await inner.TryAcquireLeaseAsync(userId, duration, cancellationToken);
        if (lease is not null)
        {
            UserLeases leases = Of(userId);
            lock (leases)
            {
                leases.Held++;
                leases.MostHeld = Math.Max(leases.MostHeld, leases.Held);
                leases.Granted.Add(DateTimeOffset.UtcNow);
            }
        }

        return lease;
    }

    public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken) => inner.RenewLeaseAsync(lease, duration, cancellationToken);

    public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken)
    {
        UserLeases leases = Of(lease.UserId);
        lock (leases)
        {
            leases.Held--;
        }

        return inner.ReleaseLeaseAsync(lease, cancellationToken);
    }

    private UserLeases Of(string userId) => _users.GetOrAdd(userId, _ => new UserLeases());

    private sealed class UserLeases
    {
        public int Held { get; set; }

        public int MostHeld { get; set; }

        public List<DateTimeOffset> Granted { get; } = [];
    }
}
