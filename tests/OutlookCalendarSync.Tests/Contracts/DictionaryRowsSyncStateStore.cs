using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;
using NodaTime;

namespace OutlookCalendarSync.Tests.Contracts;

/// <summary>
/// A state store written against the port as a host would, knowing nothing of the engine: a dictionary of header rows, one of link
/// rows, one of leases, under one lock. It proves the port is implementable in a few lines (and passes the shipped contract suite).
/// </summary>
internal sealed class DictionaryRowsSyncStateStore(IClock clock) : ISyncStateStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SyncStateHeader> _headers = [];
    private readonly Dictionary<(string User, string HostId), StoredLink> _links = [];
    private readonly Dictionary<string, SyncLease> _leases = [];

    public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_headers.GetValueOrDefault(userId));
        }
    }

    public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken)
        => Task.FromResult(Where(userId, _ => true));

    public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
        => Task.FromResult(Where(userId, link => hostIds.Contains(link.HostId) || outlookIds.Contains(link.OutlookId)));

    public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            string user = changes.UserId;
            long stored = _headers.GetValueOrDefault(user)?.Revision ?? 0;
            if (stored != changes.Header.Revision)
            {
                throw new SyncStateConflictException($"User '{user}' was saved at revision {stored}, not {changes.Header.Revision}.");
            }

            foreach (string hostId in changes.DeletedHostIds)
            {
                _links.Remove((user, hostId));
            }

            foreach (StoredLink link in changes.UpsertedLinks)
            {
                foreach (var key in _links.Where(row => row.Key.User == user && (row.Value.HostId == link.HostId || row.Value.OutlookId == link.OutlookId)).Select(row => row.Key).ToList())
                {
                    _links.Remove(key);
                }

                _links[(user, link.HostId)] = link;
            }

            _headers[user] = changes.Header with { Revision = stored + 1 };
            return Task.FromResult(stored + 1);
        }
    }

    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _headers.Remove(userId);
            foreach (var key in _links.Keys.Where(key => key.User == userId).ToList())
            {
                _links.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> due = _headers.Values
                .Where(h => h.Status == SyncStatus.Active && (h.NextSyncAt ?? Instant.MinValue) <= now)
                .OrderBy(h => h.NextSyncAt ?? Instant.MinValue).ThenBy(h => h.UserId, StringComparer.Ordinal)
                .Take(limit).Select(h => h.UserId).ToList();
            return Task.FromResult(due);
        }
    }

    public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Instant now = clock.GetCurrentInstant();
            if (_leases.TryGetValue(userId, out SyncLease? held) && held.ExpiresAt > now)
            {
                return Task.FromResult<SyncLease?>(null);
            }

            return Task.FromResult<SyncLease?>(_leases[userId] = new SyncLease(userId, Guid.NewGuid().ToString("N"), now + duration));
        }
    }

    public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Instant now = clock.GetCurrentInstant();
            if (!_leases.TryGetValue(lease.UserId, out SyncLease? held) || held.Token != lease.Token || held.ExpiresAt <= now)
            {
                return Task.FromResult<SyncLease?>(null);
            }

            return Task.FromResult<SyncLease?>(_leases[lease.UserId] = new SyncLease(lease.UserId, lease.Token, now + duration));
        }
    }

    public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(lease.UserId, out SyncLease? held) && held.Token == lease.Token)
            {
                _leases.Remove(lease.UserId);
            }
        }

        return Task.CompletedTask;
    }

    private IReadOnlyList<StoredLink> Where(string userId, Func<StoredLink, bool> predicate)
    {
        lock (_gate)
        {
            return _links.Where(row => row.Key.User == userId && predicate(row.Value)).Select(row => row.Value).ToList();
        }
    }
}
