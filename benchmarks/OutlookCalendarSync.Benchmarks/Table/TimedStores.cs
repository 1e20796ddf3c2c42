using System.Diagnostics;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Benchmarks.Table;

/// <summary>The time spent inside the host calendar store and the sync state store, added up over the calls the engine makes.</summary>
internal sealed class StoreTimer
{
    private long _hostTicks;
    private long _stateTicks;

    /// <summary>Gets the time spent in the host calendar store so far.</summary>
    public TimeSpan Host => TimeSpan.FromTicks(Interlocked.Read(ref _hostTicks));

    /// <summary>Gets the time spent in the sync state store so far.</summary>
    public TimeSpan State => TimeSpan.FromTicks(Interlocked.Read(ref _stateTicks));

    public async Task<T> HostAsync<T>(Func<Task<T>> call)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _hostTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    public async Task<T> StateAsync<T>(Func<Task<T>> call)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _stateTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }
}

/// <summary>A host calendar store that times each call of the one it wraps (the SQLite one here).</summary>
internal sealed class TimedCalendarStore(ICalendarStore inner, StoreTimer timer) : ICalendarStore
{
    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
        => timer.HostAsync(() => inner.GetChangesAsync(userId, cursor, window, cancellationToken));

    public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken)
        => timer.HostAsync(() => inner.GetAsync(userId, eventId, cancellationToken));

    public Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken)
        => timer.HostAsync(() => inner.CreateAsync(userId, create, cancellationToken));

    public Task<IReadOnlyList<EventWriteResult>> CreateManyAsync(string userId, IReadOnlyList<EventCreate> creates, CancellationToken cancellationToken)
        => timer.HostAsync(() => inner.CreateManyAsync(userId, creates, cancellationToken));

    public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
        => timer.HostAsync(() => inner.UpdateAsync(userId, update, cancellationToken));

    public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken)
        => timer.HostAsync(async () =>
        {
            await inner.DeleteAsync(userId, deletion, cancellationToken).ConfigureAwait(false);
            return true;
        });
}

/// <summary>A sync state store that times each call of the one it wraps (the SQLite one here).</summary>
internal sealed class TimedStateStore(ISyncStateStore inner, StoreTimer timer) : ISyncStateStore
{
    public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken)
        => timer.StateAsync(() => inner.GetHeaderAsync(userId, cancellationToken));

    public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken)
        => timer.StateAsync(() => inner.GetLinksAsync(userId, cancellationToken));

    public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
        => timer.StateAsync(() => inner.FindLinksAsync(userId, hostIds, outlookIds, cancellationToken));

    public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken)
        => timer.StateAsync(() => inner.SaveAsync(changes, cancellationToken));

    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
        => timer.StateAsync(async () =>
        {
            await inner.DeleteAsync(userId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken)
        => timer.StateAsync(() => inner.GetUsersDueAsync(now, limit, cancellationToken));

    public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
        => timer.StateAsync(() => inner.TryAcquireLeaseAsync(userId, duration, cancellationToken));

    public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken)
        => timer.StateAsync(() => inner.RenewLeaseAsync(lease, duration, cancellationToken));

    public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken)
        => timer.StateAsync(async () =>
        {
            await inner.ReleaseLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
            return true;
        });
}
