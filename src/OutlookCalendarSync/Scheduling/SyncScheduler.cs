using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Scheduling;

/// <summary>
/// The embedded scheduler: one dispatcher loop that polls the users due, releases ended backoffs and starts queued runs while a
/// slot is free; each run reports back under the same lock, so a user is never queued or run twice at once.
/// </summary>
/// <remarks>
/// Instants come from <see cref="IClock"/> (the engine's clock, so backoffs and <c>NextSyncAt</c> agree); waiting goes through
/// <see cref="TimeProvider"/>, so tests drive both with one fake.
/// </remarks>
internal sealed class SyncScheduler : BackgroundService, ISyncScheduler
{
    private readonly object _gate = new();
    private readonly Dictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly Queue<UserEntry> _queue = new();
    private readonly HashSet<UserEntry> _backingOff = [];
    private readonly HashSet<UserEntry> _delayed = [];
    private readonly HashSet<Task> _runs = [];
    private readonly ISyncEngine _engine;
    private readonly IServiceScopeFactory _scopes;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<SyncSchedulerOptions> _options;
    private readonly IOptionsMonitor<OutlookCalendarSyncOptions> _syncOptions;
    private readonly ILogger _logger;
    private readonly SchedulerMetrics _metrics;
    private readonly ISyncRunObserver[] _observers;
    private TaskCompletionSource _wake = NewWake();
    private int _running;
    private bool _pollWhenQueueEmpty;

    public SyncScheduler(
        ISyncEngine engine,
        IServiceScopeFactory scopes,
        IClock clock,
        TimeProvider time,
        IOptionsMonitor<SyncSchedulerOptions> options,
        IOptionsMonitor<OutlookCalendarSyncOptions> syncOptions,
        ILogger<SyncScheduler>? logger = null,
        IMeterFactory? meterFactory = null,
        IEnumerable<ISyncRunObserver>? observers = null)
    {
        _engine = Guard.NotNull(engine);
        _scopes = Guard.NotNull(scopes);
        _clock = Guard.NotNull(clock);
        _time = Guard.NotNull(time);
        _options = Guard.NotNull(options);
        _syncOptions = Guard.NotNull(syncOptions);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _observers = observers?.ToArray() ?? [];
        _metrics = new SchedulerMetrics(meterFactory, () => Count(() => _queue.Count), () => Count(() => _running), () => Count(() => _backingOff.Count));
    }

    public bool RequestSync(string userId)
    {
        Guard.UserId(userId);
        bool added;
        lock (_gate)
        {
            added = Request(EntryOf(userId), SyncTrigger.Requested, _clock.GetCurrentInstant(), _options.CurrentValue.RequestDelay);
            if (added)
            {
                _wake.TrySetResult();
            }
        }

        SchedulerLog.Requested(_logger, userId);
        return added;
    }

    public ScheduledUser? GetUser(string userId)
    {
        Guard.UserId(userId);
        lock (_gate)
        {
            return _users.TryGetValue(userId, out UserEntry? entry) ? entry.ToScheduledUser() : null;
        }
    }

    public SyncSchedulerSnapshot GetSnapshot()
    {
        lock (_gate)
        {
            return new SyncSchedulerSnapshot
            {
                TakenAt = _clock.GetCurrentInstant(),
                QueueLength = _queue.Count,
                RunningCount = _running,
                Users = _users.Values.OrderBy(u => u.UserId, StringComparer.Ordinal).Select(u => u.ToScheduledUser()).ToArray(),
            };
        }
    }

    public override void Dispose()
    {
        _metrics.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting; the first poll runs on the thread pool.
        await Task.Yield();
        SyncSchedulerOptions options = _options.CurrentValue;
        SchedulerLog.Started(_logger, options.PollInterval, options.MaxConcurrentRuns);
        Instant nextPoll = _clock.GetCurrentInstant();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task wake = ResetWake();
                options = _options.CurrentValue;
                Instant now = _clock.GetCurrentInstant();
                if (now >= nextPoll || PollsWhenQueueEmpty())
                {
                    nextPoll = now + options.PollInterval;
                    await PollAsync(now, options, stoppingToken).ConfigureAwait(false);
                }

                Instant? backoffEnds = StartRuns(_clock.GetCurrentInstant(), options, stoppingToken);
                Instant wakeAt = backoffEnds is { } end && end < nextPoll ? end : nextPoll;
                Duration delay = wakeAt - _clock.GetCurrentInstant();

                // Never longer than a poll interval, even if the clock was set back.
                await WaitAsync(wake, delay < options.PollInterval ? delay : options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            // The runs got the stopping token: wait for them to end so nothing is left running once the host has stopped.
            Task[] runs;
            lock (_gate)
            {
                runs = [.. _runs];
            }

            await Task.WhenAll(runs).ConfigureAwait(false);
            SchedulerLog.Stopped(_logger);
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task ResetWake()
    {
        lock (_gate)
        {
            if (_wake.Task.IsCompleted)
            {
                _wake = NewWake();
            }

            return _wake.Task;
        }
    }

    private bool PollsWhenQueueEmpty()
    {
        lock (_gate)
        {
            return _pollWhenQueueEmpty && _queue.Count == 0;
        }
    }

    private async Task PollAsync(Instant now, SyncSchedulerOptions options, CancellationToken stoppingToken)
    {
        int limit;
        lock (_gate)
        {
            _pollWhenQueueEmpty = false;

            // The store lists users queued, running or backing off too (their NextSyncAt has not moved yet); ask for that many more
            // so that a batch of failing users cannot hide the others.
            limit = (int)Math.Min(int.MaxValue, (long)options.DueBatchSize + _queue.Count + _running + _backingOff.Count);
        }

        IReadOnlyList<string> due;
        try
        {
            AsyncServiceScope scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                ISyncStateStore store = scope.ServiceProvider.GetRequiredService<ISyncStateStore>();
                // Users due before the next poll are queued now: SyncInterval bounds how long a change waits, so a user must not
                // wait a poll interval past its NextSyncAt (which the engine set a run's duration early already).
                // At most a quarter of the interval ahead: a run leaves its user due at least half an interval after its end
                // (SyncEngine.NextDue), so the poll right after a run never finds that user again.
                Duration quarter = _syncOptions.CurrentValue.SyncInterval / 4;
                due = await store.GetUsersDueAsync(now + (options.PollInterval < quarter ? options.PollInterval : quarter), limit, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            SchedulerLog.PollFailed(_logger, options.PollInterval, ex.Message, ex);
            return;
        }

        int queued = 0;
        lock (_gate)
        {
            foreach (string userId in due)
            {
                if (Request(EntryOf(userId), SyncTrigger.Due, now))
                {
                    queued++;
                }
            }

            _pollWhenQueueEmpty = due.Count >= limit && queued > 0;
        }

        SchedulerLog.Polled(_logger, due.Count, queued);
    }

    /// <summary>Queues users whose backoff ended and starts queued runs while a slot is free.</summary>
    /// <returns>The earliest end of a backoff or a request delay still running, or null.</returns>
    private Instant? StartRuns(Instant now, SyncSchedulerOptions options, CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _runs.RemoveWhere(run => run.IsCompleted);
            Instant? earliest = null;
            foreach (UserEntry entry in _delayed.ToArray())
            {
                if (entry.DelayedUntil <= now)
                {
                    Enqueue(entry, SyncTrigger.Requested, now);
                }
                else if (earliest is null || entry.DelayedUntil < earliest)
                {
                    earliest = entry.DelayedUntil;
                }
            }

            foreach (UserEntry entry in _backingOff.ToArray())
            {
                if (entry.NotBefore <= now)
                {
                    entry.RunPending = false;
                    Enqueue(entry, SyncTrigger.Retry, now);
                }
                else if (earliest is null || entry.NotBefore < earliest)
                {
                    earliest = entry.NotBefore;
                }
            }

            while (_running < options.MaxConcurrentRuns && _queue.TryDequeue(out UserEntry? entry))
            {
                entry.Queued = false;
                entry.Running = true;
                entry.LastRunStartedAt = now;
                entry.NextRunAt = null;
                _running++;
                _metrics.RunStarted(entry.Trigger, now - entry.QueuedAt);
                _runs.Add(Task.Run(() => RunAsync(entry, stoppingToken), CancellationToken.None));
            }

            return earliest;
        }
    }

    private async Task RunAsync(UserEntry entry, CancellationToken stoppingToken)
    {
        SyncResult? result = null;
        Exception? error = null;
        try
        {
            result = await _engine.SyncAsync(entry.UserId, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the run left the previous state, and the next start syncs the user again.
        }
        catch (Exception ex)
        {
            error = ex;
            SchedulerLog.RunThrew(_logger, entry.UserId, ex.Message, ex);
        }

        lock (_gate)
        {
            _running--;
            entry.Running = false;
            if (result is not null || error is not null)
            {
                Finish(entry, result, error);
            }

            _wake.TrySetResult();
        }

        foreach (ISyncRunObserver observer in _observers)
        {
            try
            {
                observer.RunFinished(entry.UserId, result?.Status);
            }
            catch (Exception ex)
            {
                SchedulerLog.RunThrew(_logger, entry.UserId, $"an observer of the run threw {ex.GetType().Name}: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Records a run's outcome and decides the user's next run. Called under the lock.</summary>
    private void Finish(UserEntry entry, SyncResult? result, Exception? error)
    {
        Instant now = _clock.GetCurrentInstant();
        entry.LastRunFinishedAt = now;
        entry.LastStatus = result?.Status ?? SyncRunStatus.Failed;
        entry.LastMessage = result is not null ? result.Message : $"The run threw {error!.GetType().Name}: {error.Message}";
        RunDecision decision = SyncRetryPolicy.From(_options.CurrentValue)
            .Decide(result?.Status, result is null ? null : SyncRetryPolicy.RetryAfterOf(result), entry.ConsecutiveFailures, now);
        entry.ConsecutiveFailures = decision.ConsecutiveFailures;
        switch (decision.Verdict)
        {
            case RunVerdict.Completed or RunVerdict.Inactive:
                // The user's NextSyncAt as the engine computed it (SyncEngine.NextDue, from the run's start and end; the result's
                // duration ends a moment after the engine's save); the poll before it finds the user.
                entry.NextRunAt = decision.Verdict == RunVerdict.Completed && result is not null
                    ? SyncEngine.NextDue(result.StartedAt, result.StartedAt + result.Duration, _syncOptions.CurrentValue.SyncInterval)
                    : null;
                if (entry.RunPending)
                {
                    entry.RunPending = false;
                    Enqueue(entry, SyncTrigger.Requested, now);
                }

                break;
            default:
                // A request made meanwhile merges into the retry.
                entry.NotBefore = decision.RetryAt;
                entry.NextRunAt = decision.RetryAt;
                entry.RunPending = true;
                _backingOff.Add(entry);
                SchedulerLog.BackingOff(_logger, entry.UserId, entry.LastStatus.Value, decision.RetryAt, decision.ConsecutiveFailures);
                break;
        }
    }

    /// <summary>Queues a user, or merges the request into a run already queued or promised. Called under the lock.</summary>
    /// <returns>True when the request adds a run.</returns>
    private bool Request(UserEntry entry, SyncTrigger trigger, Instant now, Duration delay = default)
    {
        // A user backing off always has a run pending (its retry), so requests merge into it.
        if (entry.Queued || entry.RunPending)
        {
            return false;
        }

        if (entry.DelayedUntil is not null)
        {
            // A request waiting out its delay takes every request made meanwhile; a poll that finds the user due starts it now.
            if (trigger != SyncTrigger.Due)
            {
                return false;
            }

            Enqueue(entry, trigger, now);
            return true;
        }

        if (entry.Running)
        {
            // A user found due while it runs is due because its NextSyncAt has not moved yet: nothing to add.
            if (trigger == SyncTrigger.Due)
            {
                return false;
            }

            entry.RunPending = true;
            return true;
        }

        if (delay > Duration.Zero && trigger == SyncTrigger.Requested)
        {
            entry.DelayedUntil = now + delay;
            entry.QueuedAt = now;
            _delayed.Add(entry);
            return true;
        }

        Enqueue(entry, trigger, now);
        return true;
    }

    private void Enqueue(UserEntry entry, SyncTrigger trigger, Instant now)
    {
        entry.NotBefore = null;
        _backingOff.Remove(entry);
        entry.DelayedUntil = null;
        _delayed.Remove(entry);
        entry.Queued = true;
        entry.QueuedAt = now;
        entry.Trigger = trigger;
        entry.NextRunAt = null;
        _queue.Enqueue(entry);
    }

    private UserEntry EntryOf(string userId)
    {
        if (!_users.TryGetValue(userId, out UserEntry? entry))
        {
            entry = new UserEntry(userId);
            _users.Add(userId, entry);
        }

        return entry;
    }

    private async Task WaitAsync(Task wake, Duration delay, CancellationToken stoppingToken)
    {
        if (delay <= Duration.Zero)
        {
            return;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task elapsed = Task.Delay(delay.ToTimeSpan(), _time, stopWaiting.Token);
        await Task.WhenAny(wake, elapsed).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
    }

    private int Count(Func<int> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    /// <summary>One user's place in the scheduler; read and written under the scheduler's lock only.</summary>
    private sealed class UserEntry(string userId)
    {
        public string UserId { get; } = userId;

        public bool Queued { get; set; }

        public bool Running { get; set; }

        public bool RunPending { get; set; }

        public Instant? NotBefore { get; set; }

        /// <summary>Gets or sets when a requested run waiting out <see cref="SyncSchedulerOptions.RequestDelay"/> is queued.</summary>
        public Instant? DelayedUntil { get; set; }

        public Instant QueuedAt { get; set; }

        public SyncTrigger Trigger { get; set; }

        public Instant? LastRunStartedAt { get; set; }

        public Instant? LastRunFinishedAt { get; set; }

        public SyncRunStatus? LastStatus { get; set; }

        public string? LastMessage { get; set; }

        public Instant? NextRunAt { get; set; }

        public int ConsecutiveFailures { get; set; }

        public ScheduledUser ToScheduledUser() => new()
        {
            UserId = UserId,
            State = Running ? ScheduledUserState.Running
                : Queued || DelayedUntil is not null ? ScheduledUserState.Queued
                : NotBefore is not null ? ScheduledUserState.BackingOff
                : ScheduledUserState.Idle,
            LastRunStartedAt = LastRunStartedAt,
            LastRunFinishedAt = LastRunFinishedAt,
            LastStatus = LastStatus,
            LastMessage = LastMessage,
            NextRunAt = NextRunAt,
            QueuedAt = Queued || DelayedUntil is not null ? QueuedAt : null,
            ConsecutiveFailures = ConsecutiveFailures,
            RunPending = RunPending,
        };
    }
}
