using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Notifications;

/// <summary>
/// Keeps every user's subscription alive in the background: creates one after a user's completed run, renews those due every
/// <see cref="ChangeNotificationOptions.RenewalCheckInterval"/>, and carries out what lifecycle notifications ask for. Work for one
/// user is never done twice at once; a failure is logged and tried again by the next check or run.
/// </summary>
internal sealed class ChangeNotificationService : BackgroundService, ISyncRunObserver
{
    private const int Workers = 4;
    private const int RenewalBatch = 200;

    private readonly Channel<(string UserId, SubscriptionWork Work)> _work = Channel.CreateUnbounded<(string, SubscriptionWork)>();
    private readonly ConcurrentDictionary<string, bool> _subscribed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _userGates = new(StringComparer.Ordinal);
    private readonly IServiceScopeFactory _scopes;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChangeNotificationOptions> _options;
    private readonly ILogger _logger;

    public ChangeNotificationService(IServiceScopeFactory scopes, IClock clock, TimeProvider time, IOptionsMonitor<ChangeNotificationOptions> options, ILogger<ChangeNotificationService>? logger = null)
    {
        _scopes = Guard.NotNull(scopes);
        _clock = Guard.NotNull(clock);
        _time = Guard.NotNull(time);
        _options = Guard.NotNull(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Queues work for a user's subscription.</summary>
    public void Enqueue(string userId, SubscriptionWork work) => _work.Writer.TryWrite((userId, work));

    /// <summary>A completed run means a connected, active user: make sure they are subscribed (once per process, then by renewal).</summary>
    public void RunFinished(string userId, SyncRunStatus? status)
    {
        if (status is SyncRunStatus.NothingNew or SyncRunStatus.Synced or SyncRunStatus.SyncedWithFailures && _subscribed.TryAdd(userId, true))
        {
            Enqueue(userId, SubscriptionWork.Ensure);
        }
    }

    /// <summary>Deletes a user's subscription now (stop, reset, disconnect); the next completed run subscribes the user again.</summary>
    public async Task UnsubscribeAsync(string userId, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = _userGates.GetOrAdd(userId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _subscribed.TryRemove(userId, out _);
            AsyncServiceScope scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                bool confirmed = await scope.ServiceProvider.GetRequiredService<SubscriptionManager>().DeleteAsync(userId, cancellationToken).ConfigureAwait(false);
                NotificationLog.Deleted(_logger, userId, confirmed ? string.Empty : " here; Graph could not be asked, so it lapses at its expiry");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        Task[] workers = [.. Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken))];
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ChangeNotificationOptions options = _options.CurrentValue;
                await QueueRenewalsAsync(options, stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.RenewalCheckInterval.ToTimeSpan(), _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            _work.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
    }

    private async Task QueueRenewalsAsync(ChangeNotificationOptions options, CancellationToken stoppingToken)
    {
        try
        {
            AsyncServiceScope scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                ISubscriptionStore store = scope.ServiceProvider.GetRequiredService<ISubscriptionStore>();
                IReadOnlyList<NotificationSubscription> due = await store.GetExpiringAsync(_clock.GetCurrentInstant() + options.RenewBefore, RenewalBatch, stoppingToken).ConfigureAwait(false);
                foreach (NotificationSubscription subscription in due)
                {
                    Enqueue(subscription.UserId, SubscriptionWork.Ensure);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            NotificationLog.Failed(_logger, "list the expiring", "(all)", ex.Message, ex);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach ((string userId, SubscriptionWork work) in _work.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await DoAsync(userId, work, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task DoAsync(string userId, SubscriptionWork work, CancellationToken stoppingToken)
    {
        SemaphoreSlim gate = _userGates.GetOrAdd(userId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            AsyncServiceScope scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                SubscriptionManager manager = scope.ServiceProvider.GetRequiredService<SubscriptionManager>();
                ISubscriptionStore store = scope.ServiceProvider.GetRequiredService<ISubscriptionStore>();
                NotificationSubscription? current = await store.GetAsync(userId, stoppingToken).ConfigureAwait(false);
                NotificationSubscription result;
                string action;
                switch (work)
                {
                    case SubscriptionWork.Reauthorize when current is not null:
                        result = await manager.RenewAsync(current, stoppingToken).ConfigureAwait(false);
                        action = "reauthorized";
                        break;
                    case SubscriptionWork.Recreate:
                        result = await manager.CreateAsync(userId, current, stoppingToken).ConfigureAwait(false);
                        action = "created again";
                        break;
                    default:
                        if (current is not null && current.ExpiresAt - _clock.GetCurrentInstant() > _options.CurrentValue.RenewBefore)
                        {
                            _subscribed[userId] = true;
                            return;
                        }

                        result = await manager.EnsureAsync(userId, stoppingToken).ConfigureAwait(false);
                        action = current is null ? "created" : "renewed";
                        break;
                }

                _subscribed[userId] = true;
                NotificationLog.Subscribed(_logger, userId, action, result.ExpiresAt);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Tried again by the next renewal check (a row that exists) or the user's next completed run (one that does not).
            _subscribed.TryRemove(userId, out _);
            NotificationLog.Failed(_logger, work.ToString().ToLowerInvariant(), userId, ex.Message, ex);
        }
        finally
        {
            gate.Release();
        }
    }
}
