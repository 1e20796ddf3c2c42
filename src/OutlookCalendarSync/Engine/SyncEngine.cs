using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Diagnostics;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// Runs syncs over the ports of one DI scope (see <see cref="ScopedSyncEngine"/>): takes the user's lease, reads both feeds, reconciles, writes Outlook then the host calendar, and
/// saves links and cursors in one atomic save.
/// </summary>
internal sealed partial class SyncEngine : ISyncEngine
{
    private readonly ICalendarStore _localStore;
    private readonly IOutlookCalendar _remoteCalendar;
    private readonly ISyncStateStore _stateStore;
    private readonly SyncStateRepository _states;
    private readonly IConflictResolver _resolver;
    private readonly IClock _clock;
    private readonly IOptionsMonitor<OutlookCalendarSyncOptions> _options;
    private readonly ILogger _logger;
    private readonly SyncMetrics _metrics;
    private readonly TimeProvider _time;

    public SyncEngine(
        ICalendarStore localStore,
        IOutlookCalendar remoteCalendar,
        ISyncStateStore stateStore,
        IConflictResolver resolver,
        IClock clock,
        IOptionsMonitor<OutlookCalendarSyncOptions> options,
        SyncMetrics metrics,
        LeaseRenewalTimer renewals,
        ILogger<SyncEngine>? logger = null)
    {
        _localStore = Guard.NotNull(localStore);
        _remoteCalendar = Guard.NotNull(remoteCalendar);
        _stateStore = Guard.NotNull(stateStore);
        _states = new SyncStateRepository(stateStore);
        _resolver = Guard.NotNull(resolver);
        _clock = Guard.NotNull(clock);
        _options = Guard.NotNull(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = Guard.NotNull(metrics);
        _time = Guard.NotNull(renewals).Time;
    }

    public async Task<SyncResult> SyncAsync(string userId, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        using Activity? activity = SyncTelemetry.ActivitySource.StartActivity("OutlookCalendarSync.Sync");
        activity?.SetTag("outlook_calendar_sync.user_id", userId);
        Instant started = _clock.GetCurrentInstant();
        OutlookCalendarSyncOptions options = _options.CurrentValue;

        LeaseRenewal? renewal = await LeaseRenewal.TryAcquireAsync(userId, _stateStore, options.LeaseDuration, _time, _clock, _logger, cancellationToken).ConfigureAwait(false);
        if (renewal is null)
        {
            Log.AlreadyRunning(_logger, userId);
            return Finish(new SyncResult { UserId = userId, Status = SyncRunStatus.AlreadyRunning, StartedAt = started, Message = "Another sync of this user is running; this one did nothing." }, started, activity);
        }

        try
        {
            SyncState state = await _states.LoadHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
            if (StatusResult(state, started) is { } inactive)
            {
                return Finish(inactive, started, activity);
            }

            SyncResult result;
            try
            {
                result = await RunAsync(state, options, started, renewal.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (renewal.IsLost && !cancellationToken.IsCancellationRequested)
            {
                result = new SyncResult
                {
                    UserId = userId,
                    Status = SyncRunStatus.Failed,
                    StartedAt = started,
                    Message = $"The run lost its lease (it could not be renewed within {options.LeaseDuration.TotalSeconds:0} s, so another run may hold the user) and stopped writing. Writes made before are recognised by the next run.",
                };
            }
            catch (ReauthorizationRequiredException ex)
            {
                // The exception says which: never connected, disconnected, or a sign-in revoked or expired.
                Log.NeedsReauthorization(_logger, userId);
                string message = $"{ex.Message} Sync resumes after the user connects.";
                await SaveStatusAsync(userId, SyncStatus.NeedsReauthorization, cancellationToken, lastError: message).ConfigureAwait(false);
                result = new SyncResult { UserId = userId, Status = SyncRunStatus.NeedsReauthorization, StartedAt = started, Message = message };
            }
            catch (ThrottledException ex)
            {
                result = new SyncResult { UserId = userId, Status = SyncRunStatus.Throttled, StartedAt = started, RetryAfter = ex.RetryAt, Message = ex.Message };
            }
            catch (TenantConsentRequiredException ex)
            {
                result = ConsentRequired(userId, started, ex);
            }
            catch (MailboxUnavailableException ex)
            {
                result = await MailboxUnavailableAsync(userId, started, ex, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
            {
                Log.RunFailed(_logger, userId, ex.Message, ex);
                result = new SyncResult
                {
                    UserId = userId,
                    Status = SyncRunStatus.Failed,
                    StartedAt = started,
                    Message = $"The sync could not complete and changed no state ({ex.GetType().Name}: {ex.Message}). Writes made before the failure are recognised by the next run.",
                };
            }

            return Finish(result, started, activity);
        }
        finally
        {
            await renewal.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task<SyncPreview> PreviewAsync(string userId, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        Instant now = _clock.GetCurrentInstant();
        OutlookCalendarSyncOptions options = _options.CurrentValue;
        SyncState state = await _states.LoadHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
        if (StatusResult(state, now) is { } inactive)
        {
            return new SyncPreview(userId, inactive.Status) { Message = inactive.Message };
        }

        try
        {
            var reader = new FeedReader(_localStore, _remoteCalendar, _logger);
            var links = new RunLinks(_stateStore, state);
            FeedReader.Feeds feeds = await reader.ReadAsync(state, links, options.WindowAt(now), options.WindowReanchorAfter, cancellationToken).ConfigureAwait(false);
            SyncPlan plan = Reconciler.Reconcile(links.Current, feeds.Local, feeds.Remote, options.ToReconciliationOptions(now), _resolver, now);
            return SyncPreviews.Of(userId, plan, feeds.Local, feeds.Remote);
        }
        catch (ReauthorizationRequiredException ex)
        {
            return new SyncPreview(userId, SyncRunStatus.NeedsReauthorization) { Message = $"{ex.Message} Sync resumes after the user connects." };
        }
        catch (TenantConsentRequiredException ex)
        {
            return new SyncPreview(userId, SyncRunStatus.AdminConsentRequired) { Message = ex.Message };
        }
        catch (MailboxUnavailableException ex)
        {
            return new SyncPreview(userId, SyncRunStatus.MailboxUnavailable) { Message = ex.Message };
        }
    }

    public Task<SyncStateHeader> GetStatusAsync(string userId, CancellationToken cancellationToken = default)
        => _states.GetHeaderAsync(Guard.UserId(userId), cancellationToken);

    public Task PauseAsync(string userId, CancellationToken cancellationToken = default)
        => SaveStatusAsync(Guard.UserId(userId), SyncStatus.Paused, cancellationToken);

    public Task ResumeAsync(string userId, CancellationToken cancellationToken = default)
        => SaveStatusAsync(Guard.UserId(userId), SyncStatus.Active, cancellationToken);

    public Task StopAsync(string userId, CancellationToken cancellationToken = default)
        => SaveStatusAsync(Guard.UserId(userId), SyncStatus.Stopped, cancellationToken);

    public async Task<SyncResult> ResetAsync(string userId, ResetOptions options, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        Guard.NotNull(options);
        Instant started = _clock.GetCurrentInstant();
        OutlookCalendarSyncOptions syncOptions = _options.CurrentValue;
        LeaseRenewal? lease = await LeaseRenewal.TryAcquireAsync(userId, _stateStore, syncOptions.LeaseDuration, _time, _clock, _logger, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return new SyncResult { UserId = userId, Status = SyncRunStatus.AlreadyRunning, StartedAt = started, Message = "A sync of this user is running: reset again when it has finished." };
        }

        try
        {
            SyncState state = await _states.LoadAllAsync(userId, cancellationToken).ConfigureAwait(false);
            bool deleteRemote = options.DeletePolicy is ResetDeletePolicy.DeleteInOutlook or ResetDeletePolicy.DeleteBoth;
            bool deleteLocal = options.DeletePolicy is ResetDeletePolicy.DeleteInHost or ResetDeletePolicy.DeleteBoth;
            var changes = state.Links.Select(link => new PlannedChange
            {
                Kind = ChangeKind.Delete,
                Description = $"reset: {options.DeletePolicy}",
                ExistingLink = link,
                RemoteWrite = deleteRemote ? EventWrite.Delete(link.RemoteId, expectedVersion: null) : null,
                LocalWrite = deleteLocal ? EventWrite.Delete(link.LocalId, expectedVersion: null) : null,
            }).ToList();
            var executor = new PlanExecutor(_localStore, _remoteCalendar, syncOptions.OutlookBatchSize, _logger);
            PlanExecutor.Outcome outcome = await executor.ExecuteAsync(userId, new SyncPlan(changes, [], [], null), journal: null, cancellationToken).ConfigureAwait(false);

            var reset = new SyncState(userId) { Revision = state.Revision, Status = SyncStatus.Active };
            if (options.Scope == ResyncScope.NewEventsOnly)
            {
                Interval window = syncOptions.WindowAt(started);
                // Only the cursor is kept: nothing is linked, and no stamp is needed.
                var nothingLinked = new LinkedEventLookup((_, _) => Task.FromResult<IReadOnlyDictionary<string, CalendarEvent>>(new Dictionary<string, CalendarEvent>()), stampsOfUnlinkedMatter: false);
                ChangeFeed remote = await _remoteCalendar.GetChangesAsync(userId, null, window, nothingLinked, cancellationToken).ConfigureAwait(false);
                ChangeFeed local = await _localStore.GetChangesAsync(userId, null, window, cancellationToken).ConfigureAwait(false);
                reset = reset with { RemoteCursor = remote.NextCursor, RemoteCursorWindow = window, LocalCursor = local.NextCursor, FirstSyncAt = started };
            }

            await _states.SaveAsync(reset, state.Links.Select(link => link.LocalId).ToArray(), [], cancellationToken).ConfigureAwait(false);
            Log.StatusChanged(_logger, userId, SyncStatus.Active);
            return new SyncResult
            {
                UserId = userId,
                Status = outcome.Failures.Count > 0 ? SyncRunStatus.SyncedWithFailures : SyncRunStatus.Synced,
                StartedAt = started,
                Duration = _clock.GetCurrentInstant() - started,
                Host = ToCounts(outcome.LocalCounts),
                Outlook = ToCounts(outcome.RemoteCounts),
                Failures = outcome.Failures,
                Message = outcome.Failures.Count > 0
                    ? "The user was reset, but some events could not be deleted; they are listed in Failures and are no longer synced."
                    : $"The user was reset ({options.DeletePolicy}); the next run syncs {(options.Scope == ResyncScope.NewEventsOnly ? "only new events" : "every event")}.",
            };
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }

    private const string NeedsReauthorizationMessage =
        "The user's Microsoft account must be connected again (the sign-in was revoked or expired). Sync resumes after the user connects.";

    private async Task<SyncResult> RunAsync(SyncState state, OutlookCalendarSyncOptions options, Instant started, CancellationToken cancellationToken)
    {
        if (_remoteCalendar is IOutlookRoundPages pages && StreamsFirstSync(state))
        {
            return await RunStreamedAsync(pages, state, options, started, cancellationToken).ConfigureAwait(false);
        }

        var reader = new FeedReader(_localStore, _remoteCalendar, _logger);
        var links = new RunLinks(_stateStore, state);
        FeedReader.Feeds feeds = await reader.ReadAsync(state, links, options.WindowAt(started), options.WindowReanchorAfter, cancellationToken).ConfigureAwait(false);
        return await ReconcileAndSaveAsync(state, links, feeds, options, started, streamed: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reconciles the feeds a run read, makes the writes (journaling the links as they settle) and saves the header. After a
    /// streamed first sync, <paramref name="streamed"/> brings what its pages did (written and journaled already) into the result.
    /// </summary>
    private async Task<SyncResult> ReconcileAndSaveAsync(SyncState state, RunLinks links, FeedReader.Feeds feeds, OutlookCalendarSyncOptions options, Instant started, StreamedRound? streamed, CancellationToken cancellationToken)
    {
        string userId = state.UserId;
        LinkCollection before = links.Current;
        SyncPlan plan = Reconciler.Reconcile(before, feeds.Local, feeds.Remote, options.ToReconciliationOptions(started), _resolver, started);
        if (streamed is not null)
        {
            plan = new SyncPlan(plan.Changes, [.. streamed.PlanNotes, .. plan.Notes], [.. streamed.PlanFailures, .. plan.Failures], plan.BlockedReason);
        }

        if (plan.IsBlocked)
        {
            Log.MassDeletionBlocked(_logger, userId, plan.BlockedReason!);
            return new SyncResult { UserId = userId, Status = SyncRunStatus.MassDeletionBlocked, StartedAt = started, Message = plan.BlockedReason, Failures = plan.Failures, Notes = plan.Notes };
        }

        var executor = new PlanExecutor(_localStore, _remoteCalendar, options.OutlookBatchSize, _logger) { SeriesHorizon = feeds.RemoteWindow.End };
        SyncState current = streamed?.Current ?? state;
        await MarkCreatesInFlightAsync(plan).ConfigureAwait(false);
        PlanExecutor.Outcome outcome = await executor.ExecuteAsync(userId, plan, JournalAsync, cancellationToken).ConfigureAwait(false);
        if (streamed is not null)
        {
            outcome.Absorb(streamed.Outcome);
        }

        // A modified occurrence waits for its series; a series created in this run is linked now, so its occurrences follow in
        // the same run instead of the next.
        LinkCollection linked = links.Current.With(outcome.RemovedLinks, outcome.UpsertedLinks);
        SideChanges waitingLocal = WaitingForSeries(feeds.Local, SyncSide.Host, before, linked);
        SideChanges waitingRemote = WaitingForSeries(feeds.Remote, SyncSide.Outlook, before, linked);
        if (waitingLocal.Changed.Count + waitingRemote.Changed.Count > 0)
        {
            SyncPlan followUp = Reconciler.Reconcile(linked, waitingLocal, waitingRemote, options.ToReconciliationOptions(started), _resolver, started);
            await MarkCreatesInFlightAsync(followUp).ConfigureAwait(false);
            PlanExecutor.Outcome more = await executor.ExecuteAsync(userId, followUp, JournalAsync, cancellationToken).ConfigureAwait(false);
            var handled = new HashSet<string>(waitingLocal.Changed.Concat(waitingRemote.Changed).Select(e => e.Id!), StringComparer.Ordinal);
            plan = new SyncPlan(
                [.. plan.Changes, .. followUp.Changes],
                [.. plan.Notes.Where(n => n.EventId is null || !handled.Contains(n.EventId)), .. followUp.Notes],
                [.. plan.Failures, .. followUp.Failures],
                plan.BlockedReason);
            outcome.Absorb(more);
            linked = links.Current.With(outcome.RemovedLinks, outcome.UpsertedLinks);
        }

        var retryLocal = new HashSet<string>(outcome.RecheckLocalIds, StringComparer.Ordinal);
        var retryRemote = new HashSet<string>(outcome.RecheckRemoteIds, StringComparer.Ordinal);
        foreach (SyncNote note in plan.Notes.Where(n => n.WillRetry && n.EventId is not null))
        {
            (note.Side == SyncSide.Host ? retryLocal : retryRemote).Add(note.EventId!);
        }

        foreach (SyncFailure failure in plan.Failures.Where(f => f.WillRetry))
        {
            if (failure.HostId is not null)
            {
                retryLocal.Add(failure.HostId);
            }

            if (failure.OutlookId is not null)
            {
                retryRemote.Add(failure.OutlookId);
            }
        }

        Instant finished = _clock.GetCurrentInstant();
        List<SyncFailure> failures = [.. plan.Failures, .. outcome.Failures];
        SyncState next = current with
        {
            IsInterrupted = false,
            Links = linked,
            LocalCursor = feeds.LocalCursor,
            RemoteCursor = feeds.RemoteCursor,
            RemoteCursorWindow = feeds.RemoteWindow,
            PendingLocalIds = retryLocal,
            PendingRemoteIds = retryRemote,
            FirstSyncAt = state.FirstSyncAt ?? finished,
            LastSyncAt = finished,
            NextSyncAt = NextDue(started, finished, options.SyncInterval),
            LastError = failures.Count == 0 ? null : $"{Events(failures.Count)} failed to sync; they are retried next run.",
        };
        // Every link the run changed is journaled already, in the order it changed: the final save is the header alone (cursors,
        // pending ids, the link count), so a first sync does not write (and hold) every link a second time.
        await _states.SaveAsync(next, [], [], cancellationToken).ConfigureAwait(false);

        var local = ToCounts(outcome.LocalCounts);
        var remote = ToCounts(outcome.RemoteCounts);
        SyncRunStatus status = failures.Count > 0 ? SyncRunStatus.SyncedWithFailures
            : local.Total + remote.Total + outcome.Linked > 0 ? SyncRunStatus.Synced
            : SyncRunStatus.NothingNew;
        return new SyncResult
        {
            UserId = userId,
            Status = status,
            StartedAt = started,
            Host = local,
            Outlook = remote,
            Linked = outcome.Linked,
            Conflicts = outcome.Conflicts,
            Failures = failures,
            Notes = [.. feeds.Notes, .. plan.Notes],
            WasFullResync = feeds.WasFullResync,
            Message = failures.Count > 0 ? $"{Events(failures.Count)} could not be synced; see Failures. They are retried next run." : null,
        };

        // Before the first link of a run is journaled, the state says a run is writing: if it never finishes, the next run reads
        // both calendars in full instead of trusting cursors older than the writes.
        // The links a journal save replaces are loaded first (the new ids of created events were never asked for), so the user's
        // link count stays exact.
        async Task JournalAsync(IReadOnlyCollection<EventLink> upserts, IReadOnlyCollection<string> removed)
        {
            await links.EnsureAsync(upserts, cancellationToken).ConfigureAwait(false);
            current = await _states.SaveAsync(current with { IsInterrupted = true }, removed, upserts, cancellationToken).ConfigureAwait(false);
        }

        // A create has no link to journal before it is sent; a run that stops with a create in flight must still be known as
        // interrupted, so that the next run reads the stamps of unlinked Outlook events (see FeedReader.StampsOfUnlinkedMatterAsync)
        // and both sides in full: the host event the lost create copied may be deleted by then, and its copy must go with it.
        async Task MarkCreatesInFlightAsync(SyncPlan planned)
        {
            if (!current.IsInterrupted && planned.Changes.Any(c => c.RemoteWrite?.Kind == WriteKind.Create))
            {
                current = await _states.SaveAsync(current with { IsInterrupted = true }, [], [], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The modified occurrences of one side whose series was not linked before the run and is now.</summary>
    private static SideChanges WaitingForSeries(SideChanges side, SyncSide from, LinkCollection before, LinkCollection after)
    {
        List<CalendarEvent> waiting = side.Changed
            .Where(e => e is { SeriesMasterId: { } master, Id: not null }
                        && before.Find(from, master) is null
                        && after.Find(from, master) is not null
                        && after.Find(from, e.Id) is null)
            .ToList();
        return waiting.Count == 0 ? SideChanges.None : new SideChanges(waiting, [], isFullSnapshot: false);
    }

    /// <summary>
    /// When a user whose run started at <paramref name="started"/> and ended at <paramref name="finished"/> is due again, so that a
    /// change is on the other side at most <paramref name="interval"/> after it was made: a change made just after this run read
    /// the calendars is written by the next run, at the next run's end. The next run is therefore due the interval after this one's
    /// start, less one run's duration (this run's, the best guess of the next one's). A scheduler takes off its own latency
    /// (<see cref="Scheduling.SyncSchedulerOptions.PollInterval"/>, the Hangfire dispatcher's lead), at most a quarter of the
    /// interval. So that slow runs (a first sync of a large calendar, a loaded farm) do not follow one another back to back, the
    /// user is never due sooner than half the interval after this run's end: the bound holds for runs up to a quarter of the
    /// interval, and a slower run's user waits half an interval, well clear of any scheduler's lead (a second delivery of its job
    /// finds it not due).
    /// </summary>
    internal static Instant NextDue(Instant started, Instant finished, Duration interval)
    {
        Instant due = started + interval - (finished - started);
        Instant earliest = finished + (interval / 2);
        return due < earliest ? earliest : due;
    }

    private SyncResult Finish(SyncResult result, Instant started, Activity? activity)
    {
        result = result with { Duration = _clock.GetCurrentInstant() - started };
        activity?.SetTag("outlook_calendar_sync.status", result.Status.ToString());
        if (result.Status is SyncRunStatus.Failed or SyncRunStatus.MassDeletionBlocked)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Message);
        }

        _metrics.Record(result);
        Log.RunFinished(_logger, result.UserId, result.Status, result.Host.Created, result.Host.Updated, result.Host.Deleted,
            result.Outlook.Created, result.Outlook.Updated, result.Outlook.Deleted, result.Conflicts.Count, result.Failures.Count,
            (long)result.Duration.TotalMilliseconds);
        return result;
    }

    private static SyncResult? StatusResult(SyncState state, Instant started) => state.Status switch
    {
        SyncStatus.Paused => new SyncResult { UserId = state.UserId, Status = SyncRunStatus.Paused, StartedAt = started, Message = "Sync is paused for this user: resume it to sync." },
        SyncStatus.Stopped => new SyncResult { UserId = state.UserId, Status = SyncRunStatus.Stopped, StartedAt = started, Message = "Sync is stopped for this user: resume or reset it to sync again." },
        SyncStatus.NeedsReauthorization => new SyncResult { UserId = state.UserId, Status = SyncRunStatus.NeedsReauthorization, StartedAt = started, Message = state.LastError ?? NeedsReauthorizationMessage },
        _ => null,
    };

    private async Task SaveStatusAsync(string userId, SyncStatus status, CancellationToken cancellationToken, string? lastError = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            SyncStateHeader header = await _states.GetHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
            try
            {
                await _stateStore.SaveAsync(new SyncStateChanges(header with { Status = status, LastError = lastError ?? header.LastError }), cancellationToken).ConfigureAwait(false);
                Log.StatusChanged(_logger, userId, status);
                return;
            }
            catch (SyncStateConflictException) when (attempt < 5)
            {
                // A run saved in between: read its state and set the status on top of it.
            }
        }
    }

    private static string Events(int count) => count == 1 ? "1 event" : $"{count} events";

    private static SyncCounts ToCounts(int[] counts) => new(counts[(int)WriteKind.Create], counts[(int)WriteKind.Update], counts[(int)WriteKind.Delete]);
}
