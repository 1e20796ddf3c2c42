using System.Diagnostics;
using Hangfire;
using Hangfire.Server;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Hangfire.Internal;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Hangfire;

/// <summary>
/// The two Hangfire jobs of the sync: the recurring dispatcher (<see cref="DispatchAsync"/>), and one job per user run
/// (<see cref="SyncUserAsync"/>). Hangfire creates this class from the host's services (<c>AddHangfire</c> of Hangfire.NetCore or
/// Hangfire.AspNetCore); a host does not call it, it calls <see cref="IHangfireSyncScheduler.RequestSync"/>.
/// </summary>
/// <remarks>
/// <para>
/// The dispatcher reads the users due from <see cref="ISyncStateStore.GetUsersDueAsync"/> and enqueues a job for each one that has
/// none yet, so every server can run it and a user is enqueued once: one recurring job, however many users (Hangfire falls behind
/// with tens of thousands of recurring jobs).
/// </para>
/// <para>
/// A user's job runs <see cref="ISyncEngine.SyncAsync"/>, whose per-user lease keeps two runs of one user apart across servers:
/// a job that finds the user held ends at once, and a new job is scheduled <see cref="HangfireSchedulingOptions.BusyRetryDelay"/>
/// later, so no worker waits. What follows a run is <see cref="SyncRetryPolicy"/>'s decision, as with the embedded scheduler: a
/// throttled run is rescheduled at the instant Microsoft Graph gave, a failed one after a backoff that doubles per failure.
/// </para>
/// <para>
/// The dispatcher enqueues a user <see cref="HangfireSchedulingOptions.DispatchAhead"/> before its
/// <see cref="SyncStateHeader.NextSyncAt"/>, so that the user's run ends by that instant plus one run, as
/// <see cref="OutlookCalendarSyncOptions.SyncInterval"/> promises, despite the dispatch period and Hangfire's polling.
/// </para>
/// <para>
/// A job that would run a user who is not due (<see cref="SyncStateHeader.NextSyncAt"/> later than the lead from now) and for whom no run was
/// requested since the job was made ends at once without running the engine ("superseded"). Hangfire delivers a job at least once,
/// not exactly once: a job whose server is slow to renew its invisibility (a loaded machine) or that was killed is fetched again by
/// another server. Such a second delivery, or the busy retry it leads to, finds the user synced by the first and costs a few storage
/// reads, not a second sync; a second delivery of a killed run's job finds the user still due and runs it. Retries after a failure
/// and runs asked for through <see cref="IHangfireSyncScheduler.RequestSync"/> always run.
/// </para>
/// </remarks>
internal sealed class OutlookCalendarSyncJobs
{
    /// <summary>How old the due list of a dispatch may get before the dispatch reads it again (with the pending set).</summary>
    private static readonly TimeSpan DueListRefresh = TimeSpan.FromSeconds(10);

    /// <summary>How the result of a user's job that ended without a run begins, as the dashboard shows it.</summary>
    internal const string SupersededOutcome = "Superseded";

    private readonly ISyncEngine _engine;
    private readonly IServiceScopeFactory _scopes;
    private readonly PendingUserJobs _pending;
    private readonly IOptionsMonitor<HangfireSchedulingOptions> _options;
    private readonly IOptionsMonitor<OutlookCalendarSyncOptions> _syncOptions;
    private readonly IClock _clock;
    private readonly ILogger _logger;

    internal OutlookCalendarSyncJobs(
        ISyncEngine engine,
        IServiceScopeFactory scopes,
        PendingUserJobs pending,
        IOptionsMonitor<HangfireSchedulingOptions> options,
        IOptionsMonitor<OutlookCalendarSyncOptions> syncOptions,
        IClock clock,
        ILogger<OutlookCalendarSyncJobs>? logger = null)
    {
        _engine = engine;
        _scopes = scopes;
        _pending = pending;
        _options = options;
        _syncOptions = syncOptions;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Enqueues a job for each user due that has no job enqueued, scheduled or running, at most
    /// <see cref="HangfireSchedulingOptions.DueBatchSize"/> per call, the longest overdue first, with
    /// <see cref="HangfireSchedulingOptions.DispatchParallelism"/> enqueuers side by side. Run by the recurring job
    /// <see cref="HangfireSchedulingOptions.DispatcherJobId"/>; a dispatch that finds another one in progress on another server ends.
    /// </summary>
    /// <param name="cancellationToken">The server's shutdown token, which Hangfire passes.</param>
    /// <returns>What the dispatch did, as the dashboard shows it.</returns>
    [JobDisplayName("Enqueue the users due for an Outlook calendar sync")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<string> DispatchAsync(CancellationToken cancellationToken)
    {
        HangfireSchedulingOptions options = _options.CurrentValue;
        using IStorageConnection connection = _pending.Storage.GetConnection();
        if (DispatchGuard.TryEnter(connection, _clock) is not { } guard)
        {
            HangfireLog.DispatchSkipped(_logger);
            return "Another server is dispatching.";
        }

        try
        {
            return await DispatchGuardedAsync(connection, guard, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            guard.Exit(connection);
        }
    }

    private async Task<string> DispatchGuardedAsync(IStorageConnection connection, DispatchGuard guard, HangfireSchedulingOptions options, CancellationToken cancellationToken)
    {
        int parallelism = options.DispatchParallelism;

        // The slice of the due list handed to the enqueuers at once; between slices the dispatch renews its guard and checks its list's age.
        int sliceSize = parallelism * 16;
        int dueCount = 0;
        var counts = new DispatchCounts();
        int attempted = 0;
        int reads = 0;
        bool stale;
        bool takenOver = false;
        do
        {
            // The pending set first, then the due list: a job that ends in between has moved its user's NextSyncAt already.
            HashSet<string> pending = PendingUserJobs.ReadPending(connection);

            // The store lists users whose job is pending too (their NextSyncAt has not moved yet); ask for that many more so that a
            // batch of users backing off cannot hide the others.
            int limit = (int)Math.Min(int.MaxValue, (long)options.DueBatchSize - attempted + pending.Count);
            Instant dueReadAt = _clock.GetCurrentInstant();
            IReadOnlyList<string> due = await ReadDueAsync(dueReadAt + Lead(options), limit, cancellationToken).ConfigureAwait(false);
            long readAt = Stopwatch.GetTimestamp();
            dueCount = reads == 0 ? due.Count : dueCount;
            stale = false;

            // Pending users are checked on the first read only (a check is a storage read per pending user); the others are attempts,
            // counted against the batch whether they enqueue or not, so a dispatch beside another one ends all the same.
            var slice = new List<DispatchItem>(sliceSize);
            int index = 0;
            while (index < due.Count && !stale && !takenOver)
            {
                slice.Clear();
                for (; index < due.Count && slice.Count < sliceSize; index++)
                {
                    string userId = due[index];
                    if (pending.Contains(userId))
                    {
                        if (reads == 0)
                        {
                            slice.Add(new DispatchItem(userId, Pending: true));
                        }
                    }
                    else if (attempted < options.DueBatchSize)
                    {
                        attempted++;
                        slice.Add(new DispatchItem(userId, Pending: false));
                    }
                }

                await EnqueueSliceAsync(slice, dueReadAt, parallelism, counts, cancellationToken).ConfigureAwait(false);
                takenOver = !guard.Renew(connection);

                // On a loaded farm a dispatch of a thousand users may take minutes: a due list read long ago names users whose run has
                // ended since (the user's Finished instant stops their enqueue, at the cost of a read each). Read it again.
                stale = index < due.Count && Stopwatch.GetElapsedTime(readAt) >= DueListRefresh;
            }

            reads++;
        }
        while (stale && !takenOver && attempted < options.DueBatchSize);

        HangfireLog.Dispatched(_logger, dueCount, counts.Enqueued, counts.Replaced);
        string ending = takenOver ? " Stopped: the dispatch outlived its lease and another one took over." : string.Empty;
        return $"{dueCount} users due, {counts.Enqueued} enqueued, {counts.Replaced} lost jobs replaced; due list read {reads} times.{ending}";
    }

    /// <summary>
    /// Enqueues the due users of one slice (and checks its pending ones) with up to <paramref name="parallelism"/> enqueuers, each on
    /// its own storage connection (a connection serves one caller at a time). Every enqueue is decided under the user's own lock, as
    /// one at a time would, so running several side by side changes the order, never the outcome.
    /// </summary>
    private async Task EnqueueSliceAsync(List<DispatchItem> slice, Instant dueReadAt, int parallelism, DispatchCounts counts, CancellationToken cancellationToken)
    {
        if (slice.Count == 0)
        {
            return;
        }

        var queue = new System.Collections.Concurrent.ConcurrentQueue<DispatchItem>(slice);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int enqueuers = Math.Min(parallelism, slice.Count);
        var tasks = new Task[enqueuers];
        for (int i = 0; i < enqueuers; i++)
        {
            tasks[i] = Task.Run(
                () =>
                {
                    try
                    {
                        using IStorageConnection connection = _pending.Storage.GetConnection();
                        while (queue.TryDequeue(out DispatchItem item))
                        {
                            failed.Token.ThrowIfCancellationRequested();
                            if (item.Pending)
                            {
                                counts.AddReplaced(_pending.ReplaceIfLost(connection, item.UserId));
                            }
                            else
                            {
                                counts.AddEnqueued(_pending.EnqueueDue(connection, item.UserId, dueReadAt));
                            }
                        }
                    }
                    catch
                    {
                        // One enqueuer failing (the database gone) stops the others; the dispatch fails with its exception.
                        failed.Cancel();
                        throw;
                    }
                },
                CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // An enqueuer stopped because another failed: the failure, not the cancellation, is the dispatch's outcome.
            Exception? failure = tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }
    }

    private readonly record struct DispatchItem(string UserId, bool Pending);

    /// <summary>What the enqueuers of a dispatch did, counted from several threads.</summary>
    private sealed class DispatchCounts
    {
        private int _enqueued;
        private int _replaced;

        public int Enqueued => Volatile.Read(ref _enqueued);

        public int Replaced => Volatile.Read(ref _replaced);

        public void AddEnqueued(bool enqueued)
        {
            if (enqueued)
            {
                Interlocked.Increment(ref _enqueued);
            }
        }

        public void AddReplaced(bool replaced)
        {
            if (replaced)
            {
                Interlocked.Increment(ref _replaced);
            }
        }
    }

    /// <summary>
    /// How long before its <see cref="SyncStateHeader.NextSyncAt"/> a user is enqueued and run:
    /// <see cref="HangfireSchedulingOptions.DispatchAhead"/>, at most a quarter of <see cref="OutlookCalendarSyncOptions.SyncInterval"/>.
    /// A completed run leaves its user due at least half an interval after its end, so a second delivery of a job right after its
    /// run, or the next dispatch, never finds the user due again however long the run took.
    /// </summary>
    private Duration Lead(HangfireSchedulingOptions options)
    {
        Duration quarter = _syncOptions.CurrentValue.SyncInterval / 4;
        return options.DispatchAhead < quarter ? options.DispatchAhead : quarter;
    }

    private async Task<IReadOnlyList<string>> ReadDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            ISyncStateStore store = scope.ServiceProvider.GetRequiredService<ISyncStateStore>();
            return await store.GetUsersDueAsync(now, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Syncs one user once, then frees the user's place or schedules the next job as <see cref="SyncRetryPolicy"/> decides. Never
    /// waits for another run of the user: the engine's lease answers at once.
    /// </summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="failedRuns">Failed runs in a row before this one (0 for a first try), for the backoff.</param>
    /// <param name="context">The job's context, which Hangfire passes; null when the method is called directly.</param>
    /// <param name="cancellationToken">The server's shutdown token, which Hangfire passes; when it fires, the run stops without
    /// losing anything and Hangfire runs the job again later.</param>
    /// <returns>How the run ended and what follows, as the dashboard shows it.</returns>
    [JobDisplayName("Outlook calendar sync of {0}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task<string> SyncUserAsync(string userId, int failedRuns, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        string? jobId = context?.BackgroundJob?.Id;
        if (failedRuns <= 0 && await IsSupersededAsync(userId, jobId, cancellationToken).ConfigureAwait(false) is { } nextSyncAt)
        {
            HangfireLog.RunSuperseded(_logger, userId, jobId, nextSyncAt);
            string? requestedMeanwhile = _pending.FinishSuperseded(userId, jobId);
            return requestedMeanwhile is null
                ? $"{SupersededOutcome}: the user is not due until {nextSyncAt} and no run was requested."
                : $"{SupersededOutcome}: the user is not due until {nextSyncAt}. A run requested meanwhile: job {requestedMeanwhile}.";
        }

        SyncResult? result = null;
        Exception? error = null;
        try
        {
            result = await _engine.SyncAsync(userId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ex;
            HangfireLog.RunThrew(_logger, userId, ex.Message, ex);
        }

        HangfireSchedulingOptions options = _options.CurrentValue;
        var policy = new SyncRetryPolicy(options.FailureBackoff, options.MaxFailureBackoff, options.BusyRetryDelay);
        RunDecision decision = policy.Decide(result?.Status, result?.RetryAfter, Math.Max(0, failedRuns), _clock.GetCurrentInstant());
        string? next = _pending.Finish(userId, jobId, decision);
        SyncRunStatus status = result?.Status ?? SyncRunStatus.Failed;
        string outcome = result is not null
            ? $"{status}: {result.TotalWrites} writes ({result.Message ?? "no message"})."
            : $"The run threw {error!.GetType().Name}: {error.Message}";
        if (decision.Verdict is RunVerdict.Deferred or RunVerdict.Failed)
        {
            HangfireLog.Rescheduled(_logger, userId, status, decision.RetryAt, decision.ConsecutiveFailures);
            return $"{outcome} Next run: job {next} at {decision.RetryAt}.";
        }

        return next is null ? outcome : $"{outcome} A run requested meanwhile: job {next}.";
    }

    /// <summary>
    /// The user's next sync instant when this job need not run: the user is not due yet and no run was requested of this job. A
    /// user the store does not know, or one due, is run (the engine decides what a run of it does).
    /// </summary>
    private async Task<Instant?> IsSupersededAsync(string userId, string? jobId, CancellationToken cancellationToken)
    {
        SyncStateHeader? header;
        AsyncServiceScope scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            ISyncStateStore store = scope.ServiceProvider.GetRequiredService<ISyncStateStore>();
            header = await store.GetHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
        }

        // Due with the dispatcher's lead: a job the dispatcher enqueued ahead of the user's NextSyncAt runs.
        if (header?.NextSyncAt is not { } nextSyncAt || nextSyncAt <= _clock.GetCurrentInstant() + Lead(_options.CurrentValue))
        {
            return null;
        }

        // Read after the header: a request made from here on finds this job processing and is served by a run after it.
        return _pending.WasRequested(userId, jobId) ? null : nextSyncAt;
    }
}
