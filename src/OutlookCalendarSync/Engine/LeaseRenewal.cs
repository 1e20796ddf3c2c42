using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// Keeps a run's lease alive while the run works: renews it every third of <c>LeaseDuration</c>, so the lease can be short (a
/// crashed worker's users are free again soon) and a long run never overlaps the next one. If the lease is lost (it expired and
/// another run took it), <see cref="Token"/> is cancelled so the run stops writing.
/// </summary>
/// <remarks>
/// The one place a user's lease is taken and given back: <see cref="TryAcquireAsync"/> takes it (null when another run holds it)
/// and starts renewing it, and disposing stops the renewals and releases the lease as last renewed.
/// </remarks>
internal sealed class LeaseRenewal : IAsyncDisposable
{
    private readonly ISyncStateStore _store;
    private readonly Duration _duration;
    private readonly TimeProvider _time;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _run;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private SyncLease _lease;

    /// <summary>Takes the user's lease and keeps it renewed until disposed; null when another run holds it.</summary>
    public static async Task<LeaseRenewal?> TryAcquireAsync(string userId, ISyncStateStore store, Duration duration, TimeProvider time, IClock clock, ILogger logger, CancellationToken cancellationToken)
    {
        SyncLease? lease = await store.TryAcquireLeaseAsync(userId, duration, cancellationToken).ConfigureAwait(false);
        return lease is null ? null : new LeaseRenewal(store, lease, duration, time, clock, logger, cancellationToken);
    }

    private LeaseRenewal(ISyncStateStore store, SyncLease lease, Duration duration, TimeProvider time, IClock clock, ILogger logger, CancellationToken cancellationToken)
    {
        _store = store;
        _lease = lease;
        _duration = duration;
        _time = time;
        _clock = clock;
        _logger = logger;
        _run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = RenewAsync();
    }

    /// <summary>Cancelled when the caller cancels or the lease is lost.</summary>
    public CancellationToken Token => _run.Token;

    /// <summary>True when the lease was lost during the run.</summary>
    public bool IsLost { get; private set; }

    /// <summary>The lease as last renewed (the one to release).</summary>
    public SyncLease Lease => _lease;

    /// <summary>Stops the renewals and releases the lease (whatever the caller's cancellation: a held lease must be given back).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _run.Dispose();
        await _store.ReleaseLeaseAsync(_lease, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RenewAsync()
    {
        TimeSpan every = (_duration / 3).ToTimeSpan();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                SyncLease? renewed = await _store.RenewLeaseAsync(_lease, _duration, _stop.Token).ConfigureAwait(false);
                if (renewed is not null)
                {
                    _lease = renewed;
                    continue;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (_clock.GetCurrentInstant() < _lease.ExpiresAt)
            {
                // The store failed for a moment: the lease still holds, try again at the next tick.
                Log.LeaseRenewalFailed(_logger, _lease.UserId, ex.Message, ex);
                continue;
            }
            catch (Exception ex)
            {
                Log.LeaseRenewalFailed(_logger, _lease.UserId, ex.Message, ex);
            }

            IsLost = true;
            Log.LeaseLost(_logger, _lease.UserId);
            await _run.CancelAsync().ConfigureAwait(false);
            return;
        }
    }
}
