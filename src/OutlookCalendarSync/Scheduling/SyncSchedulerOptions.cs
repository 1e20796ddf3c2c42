using NodaTime;

namespace OutlookCalendarSync.Scheduling;

/// <summary>
/// The settings of the embedded scheduler, set through <c>AddOutlookCalendarSync(...).AddScheduler(o =&gt; ...)</c> and validated
/// when the app starts.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OutlookCalendarSyncOptions.SyncInterval"/> bounds how long a change waits for the scheduled runs: after every completed
/// run the engine sets the user's <see cref="Stores.SyncStateHeader.NextSyncAt"/> to the run's start plus that interval, less the
/// run's duration (never sooner than half the interval after the run's end), and every <see cref="PollInterval"/> the scheduler
/// queues the users due before its next poll (looking at most a quarter of the sync interval ahead, so keep <c>PollInterval</c> at
/// most a quarter of <c>SyncInterval</c>). A user therefore
/// starts up to one <c>PollInterval</c> before its <c>NextSyncAt</c> (when a slot is free), and its runs start a little less than
/// <c>SyncInterval</c> apart; sooner when asked through <see cref="ISyncScheduler.RequestSync"/>.
/// </para>
/// <para>
/// The scheduler reads these options at each use, so a change through <c>IOptionsMonitor</c> applies from the next poll or run.
/// </para>
/// </remarks>
public sealed class SyncSchedulerOptions
{
    /// <summary>The shortest <see cref="PollInterval"/>, backoff or retry delay accepted: one second.</summary>
    public static readonly Duration MinimumDelay = Duration.FromSeconds(1);

    /// <summary>The longest <see cref="PollInterval"/> or backoff accepted: one day.</summary>
    public static readonly Duration MaximumDelay = Duration.FromDays(1);

    /// <summary>
    /// How often the scheduler asks the sync state store for the users due (<see cref="Stores.ISyncStateStore.GetUsersDueAsync"/>).
    /// <value>Default: 30 seconds; from one second to one day.</value>
    /// </summary>
    public Duration PollInterval { get; set; } = Duration.FromSeconds(30);

    /// <summary>The most users synced at the same time. <value>Default: 4; at least 1.</value></summary>
    /// <remarks>Each run holds a few Graph requests and one store connection at a time; Graph also limits concurrent requests per mailbox and per app.</remarks>
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>
    /// The most due users one poll adds to the queue. <value>Default: 100; at least 1.</value> When a poll fills the batch, the
    /// scheduler polls again as soon as the queue is empty instead of waiting for the next <see cref="PollInterval"/>.
    /// </summary>
    public int DueBatchSize { get; set; } = 100;

    /// <summary>
    /// How long the scheduler waits before running a user again after a run that failed (status <c>Failed</c> or
    /// <c>MassDeletionBlocked</c>, an exception, or throttling without a retry instant). It doubles with each consecutive failure
    /// up to <see cref="MaxFailureBackoff"/>. <value>Default: 1 minute; from one second to one day.</value>
    /// </summary>
    public Duration FailureBackoff { get; set; } = Duration.FromMinutes(1);

    /// <summary>
    /// The longest wait after consecutive failures. <value>Default: 1 hour; from <see cref="FailureBackoff"/> to one day.</value>
    /// </summary>
    public Duration MaxFailureBackoff { get; set; } = Duration.FromHours(1);

    /// <summary>
    /// How long a run asked for through <see cref="ISyncScheduler.RequestSync"/> waits before it is queued; every request for the
    /// same user meanwhile merges into it. A host's save hook can so call <c>RequestSync</c> on every save: a burst of saves (or of
    /// change notifications, which Graph may duplicate) makes one run, at most this long after the first. The wait does not grow
    /// with later requests. <value>Default: 1 second; from zero (queue at once) to one minute.</value>
    /// </summary>
    public Duration RequestDelay { get; set; } = Duration.FromSeconds(1);

    internal IEnumerable<string> Validate()
    {
        if (RequestDelay < Duration.Zero || RequestDelay > Duration.FromMinutes(1))
        {
            yield return $"{nameof(RequestDelay)} must be from zero to one minute (it is {RequestDelay}); it is how long a requested run waits for more requests to merge.";
        }

        if (PollInterval < MinimumDelay || PollInterval > MaximumDelay)
        {
            yield return $"{nameof(PollInterval)} must be from one second to one day (it is {PollInterval}); it is how often the scheduler looks for users due.";
        }

        if (MaxConcurrentRuns < 1)
        {
            yield return $"{nameof(MaxConcurrentRuns)} must be at least 1 (it is {MaxConcurrentRuns}); to sync nobody, do not call AddScheduler.";
        }

        if (DueBatchSize < 1)
        {
            yield return $"{nameof(DueBatchSize)} must be at least 1 (it is {DueBatchSize}).";
        }

        if (FailureBackoff < MinimumDelay || FailureBackoff > MaximumDelay)
        {
            yield return $"{nameof(FailureBackoff)} must be from one second to one day (it is {FailureBackoff}).";
        }

        if (MaxFailureBackoff < FailureBackoff || MaxFailureBackoff > MaximumDelay)
        {
            yield return $"{nameof(MaxFailureBackoff)} must be from {nameof(FailureBackoff)} ({FailureBackoff}) to one day (it is {MaxFailureBackoff}).";
        }
    }
}
