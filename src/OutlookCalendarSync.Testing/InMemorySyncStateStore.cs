using NodaTime;
using OutlookCalendarSync.Abstractions;

namespace OutlookCalendarSync.Testing;

/// <summary>An in-memory <see cref="ISyncStateStore"/>: per-user states with optimistic concurrency, and clock-based leases.</summary>
/// <remarks>
/// <see cref="SaveAsync"/> succeeds only when the state's <see cref="SyncState.Revision"/> is the stored one (0 for a user never
/// saved) and stores the state with the next revision. A lease lasts until released or until the clock passes its expiry.
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads.</threadsafety>
public sealed class InMemorySyncStateStore : ISyncStateStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SyncState> _states = new(StringComparer.Ordinal);
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
    public Task<SyncState?> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_states.GetValueOrDefault(userId));
        }
    }

    /// <inheritdoc />
    /// <exception cref="SyncStateConflictException">The stored revision is not <see cref="SyncState.Revision"/>.</exception>
    public Task<SyncState> SaveAsync(SyncState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            long storedRevision = _states.TryGetValue(state.UserId, out SyncState? stored) ? stored.Revision : 0;
            if (storedRevision != state.Revision)
            {
                throw new SyncStateConflictException(
                    $"The sync state of user '{state.UserId}' was saved by another run since it was read (read at revision {state.Revision}, "
                    + $"stored revision {storedRevision}): nothing was saved. Load the state again and retry; the next run repairs anything this one wrote.");
            }

            SyncState saved = state with { Revision = storedRevision + 1 };
            _states[state.UserId] = saved;
            return Task.FromResult(saved);
        }
    }

    /// <inheritdoc />
    public Task SaveLinksAsync(string userId, IReadOnlyCollection<EventLink> upserts, IReadOnlyCollection<string> removedLocalIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removedLocalIds);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            SyncState state = _states.GetValueOrDefault(userId) ?? new SyncState(userId);
            _states[userId] = state with { Links = state.Links.With(removedLocalIds, upserts) };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _states.Remove(userId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease must last a positive duration.");
        }

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
}
