using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Testing;

/// <summary>An in-memory <see cref="ISyncStateStore"/>: per-user header and link rows with optimistic concurrency, and clock-based leases.</summary>
/// <remarks>
/// <see cref="SaveAsync"/> succeeds only when the changes' expected revision is the stored one (0 for a user never saved), and
/// touches only the rows it names, so a save costs O(changed links). A lease lasts until released or until the clock passes its
/// expiry. It behaves as the SQLite and PostgreSQL stores do, and passes the same contract suite.
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads.</threadsafety>
public sealed class InMemorySyncStateStore : ISyncStateStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, UserRows> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SyncLease> _leases = new(StringComparer.Ordinal);
    private readonly IClock _clock;

    /// <summary>Creates an empty store that reads the system clock.</summary>
    public InMemorySyncStateStore()
        : this(SystemClock.Instance)
    {
    }

    /// <summary>Creates an empty store.</summary>
    /// <param name="clock">The clock that decides when leases expire; a <c>FakeClock</c> in tests.</param>
    public InMemorySyncStateStore(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
    }

    /// <inheritdoc />
    public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_users.GetValueOrDefault(userId)?.Header);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<StoredLink> links = _users.TryGetValue(userId, out UserRows? rows) ? rows.ByHostId.Values.ToArray() : [];
            return Task.FromResult(links);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(hostIds);
        ArgumentNullException.ThrowIfNull(outlookIds);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out UserRows? rows))
            {
                return Task.FromResult<IReadOnlyList<StoredLink>>([]);
            }

            var found = new Dictionary<string, StoredLink>(StringComparer.Ordinal);
            foreach (string hostId in hostIds)
            {
                if (rows.ByHostId.TryGetValue(hostId, out StoredLink? link))
                {
                    found[link.HostId] = link;
                }
            }

            foreach (string outlookId in outlookIds)
            {
                if (rows.HostIdByOutlookId.TryGetValue(outlookId, out string? hostId))
                {
                    found[hostId] = rows.ByHostId[hostId];
                }
            }

            return Task.FromResult<IReadOnlyList<StoredLink>>(found.Values.ToArray());
        }
    }

    /// <inheritdoc />
    /// <exception cref="SyncStateConflictException">The stored revision is not the expected one.</exception>
    public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            string userId = changes.UserId;
            UserRows? rows = _users.GetValueOrDefault(userId);
            long storedRevision = rows?.Header.Revision ?? 0;
            if (storedRevision != changes.Header.Revision)
            {
                throw new SyncStateConflictException(
                    $"The sync state of user '{userId}' was saved by another run since it was read (read at revision {changes.Header.Revision}, "
                    + $"stored revision {storedRevision}): nothing was saved. Load the state again and retry; the next run repairs anything this one wrote.");
            }

            rows ??= new UserRows();
            foreach (string hostId in changes.DeletedHostIds)
            {
                rows.Remove(hostId);
            }

            foreach (StoredLink link in changes.UpsertedLinks)
            {
                rows.Remove(link.HostId);
                if (rows.HostIdByOutlookId.TryGetValue(link.OutlookId, out string? holder))
                {
                    rows.Remove(holder);
                }

                rows.ByHostId[link.HostId] = link;
                rows.HostIdByOutlookId[link.OutlookId] = link.HostId;
            }

            long revision = storedRevision + 1;
            rows.Header = changes.Header with { Revision = revision };
            _users[userId] = rows;
            return Task.FromResult(revision);
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _users.Remove(userId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<string> due = _users.Values
                .Select(rows => rows.Header)
                .Where(header => header.Status == SyncStatus.Active && (header.NextSyncAt is null || header.NextSyncAt <= now))
                .OrderBy(header => header.NextSyncAt ?? Instant.MinValue)
                .ThenBy(header => header.UserId, StringComparer.Ordinal)
                .Take(limit)
                .Select(header => header.UserId)
                .ToArray();
            return Task.FromResult(due);
        }
    }

    /// <inheritdoc />
    public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        CheckDuration(duration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Instant now = _clock.GetCurrentInstant();
            if (_leases.TryGetValue(userId, out SyncLease? held) && held.ExpiresAt > now)
            {
                return Task.FromResult<SyncLease?>(null);
            }

            var lease = new SyncLease(userId, Guid.NewGuid().ToString("N"), now + duration);
            _leases[userId] = lease;
            return Task.FromResult<SyncLease?>(lease);
        }
    }

    /// <inheritdoc />
    public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        CheckDuration(duration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Instant now = _clock.GetCurrentInstant();
            if (!_leases.TryGetValue(lease.UserId, out SyncLease? held) || held.Token != lease.Token || held.ExpiresAt <= now)
            {
                return Task.FromResult<SyncLease?>(null);
            }

            var renewed = new SyncLease(lease.UserId, lease.Token, now + duration);
            _leases[lease.UserId] = renewed;
            return Task.FromResult<SyncLease?>(renewed);
        }
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_leases.TryGetValue(lease.UserId, out SyncLease? held) && held.Token == lease.Token)
            {
                _leases.Remove(lease.UserId);
            }
        }

        return Task.CompletedTask;
    }

    private static void CheckDuration(Duration duration)
    {
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease must last a positive duration.");
        }
    }

    /// <summary>One user's rows: the header and the links, indexed by both ids.</summary>
    private sealed class UserRows
    {
        public SyncStateHeader Header { get; set; } = null!;

        public Dictionary<string, StoredLink> ByHostId { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> HostIdByOutlookId { get; } = new(StringComparer.Ordinal);

        public void Remove(string hostId)
        {
            if (ByHostId.Remove(hostId, out StoredLink? old))
            {
                HostIdByOutlookId.Remove(old.OutlookId);
            }
        }
    }
}
