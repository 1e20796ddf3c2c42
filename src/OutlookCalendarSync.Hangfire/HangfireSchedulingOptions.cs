using NodaTime;

namespace OutlookCalendarSync.Hangfire;

/// <summary>
/// The settings of the Hangfire scheduling, set through <c>AddOutlookCalendarSync(...).AddHangfireScheduling(o =&gt; ...)</c> and
/// validated when the app starts.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OutlookCalendarSyncOptions.SyncInterval"/> bounds how long a change waits for the scheduled runs: after every completed
/// run the engine sets the user's <see cref="Stores.SyncStateHeader.NextSyncAt"/> to the run's start plus that interval, less the
/// run's duration, and the dispatcher job, run by Hangfire on <see cref="DispatchCron"/>, enqueues the users due within
/// <see cref="DispatchAhead"/>, which covers the dispatch period and Hangfire's latency. A user's runs thus start a little less than
/// <c>SyncInterval</c> apart, and a change reaches the other side within <c>SyncInterval</c> while the workers keep up; sooner when
/// asked through <see cref="IHangfireSyncScheduler.RequestSync"/>.
/// </para>
/// <para>
/// A user runs once per interval however loaded the farm is (a completed run leaves its user due at least half an interval after
/// its end, and the lead is at most a quarter of the interval): a user's job that starts when the user is not due (its
/// <c>NextSyncAt</c> is later than <see cref="DispatchAhead"/> from now) and was not requested ends at once without a sync ("Superseded" on the dashboard). Such jobs
/// come from Hangfire delivering a job a second time (a server too slow to renew the job's invisibility, or killed) and from a busy
/// retry whose other run completed the user. Two dispatches do not run side by side: a dispatch holds a marker of its own in
/// Hangfire's storage, renewed while it works and expiring a minute after a dead server's last renewal, and a dispatch that finds
/// another one's marker ends at once. Retries after a failure and requested runs always run.
/// </para>
/// <para>The backoff delays are the same rule as the embedded scheduler's (<see cref="Scheduling.SyncRetryPolicy"/>).</para>
/// </remarks>
public sealed class HangfireSchedulingOptions
{
    /// <summary>The shortest backoff or retry delay accepted: one second.</summary>
    public static readonly Duration MinimumDelay = Duration.FromSeconds(1);

    /// <summary>The longest backoff or retry delay accepted: one day.</summary>
    public static readonly Duration MaximumDelay = Duration.FromDays(1);

    /// <summary>
    /// The id of the one recurring job that enqueues the users due, as the Hangfire dashboard shows it.
    /// <value>Default: <c>outlook-calendar-sync-dispatcher</c>; not blank.</value>
    /// </summary>
    public string DispatcherJobId { get; set; } = "outlook-calendar-sync-dispatcher";

    /// <summary>
    /// When the dispatcher runs, as a Hangfire cron expression (five fields, or six with seconds first).
    /// <value>Default: <c>* * * * *</c>, every minute; not blank. Hangfire checks recurring jobs every
    /// <c>BackgroundJobServerOptions.SchedulePollingInterval</c> (15 seconds by default), so a period shorter than that is not kept.</value>
    /// </summary>
    public string DispatchCron { get; set; } = "* * * * *";

    /// <summary>
    /// How long before a user's <see cref="Stores.SyncStateHeader.NextSyncAt"/> the dispatcher enqueues it, so that its run starts by
    /// then: set it to one dispatch period (<see cref="DispatchCron"/>) plus Hangfire's latency from a due recurring job to a worker
    /// running the user's job (the server's <c>SchedulePollingInterval</c>, 15 seconds by default, plus the storage's queue poll
    /// interval, 15 seconds by default in Hangfire.PostgreSql) and a margin for a busy queue.
    /// <value>Default: 2 minutes, for the default cron (every minute) and polling; from zero to one day. At most a quarter of
    /// <see cref="OutlookCalendarSyncOptions.SyncInterval"/> is used.</value>
    /// </summary>
    /// <remarks>A longer lead costs runs, not correctness: users run up to this much earlier than their interval asks. Set the same
    /// value on every server: a job enqueued by a dispatcher with a longer lead than the server running it ends superseded, and
    /// its user is enqueued again by a later dispatch.</remarks>
    public Duration DispatchAhead { get; set; } = Duration.FromMinutes(2);

    /// <summary>
    /// The Hangfire queue of the dispatcher and of every user's job. <value>Default: <c>default</c>; lower-case letters, digits,
    /// underscores and dashes, as Hangfire requires.</value>
    /// </summary>
    public string Queue { get; set; } = "default";

    /// <summary>
    /// The most due users one dispatch enqueues. <value>Default: 1000; at least 1.</value> Users left over are enqueued by the next
    /// dispatch, the longest overdue first.
    /// </summary>
    public int DueBatchSize { get; set; } = 1000;

    /// <summary>
    /// How many users one dispatch enqueues side by side, each enqueuer on its own connection to Hangfire's storage. An enqueue is a
    /// few storage round trips under the user's own lock (a check, the job's creation, the user's place), so one enqueuer at a time
    /// is bound by the database's latency: on a loaded farm that was 6 to 14 users per second, too few for 10,000 users every 10
    /// minutes. <value>Default: 8; from 1 to 64. Each enqueuer holds a database connection while the dispatch runs, so keep it below
    /// the storage's connection pool size.</value>
    /// </summary>
    public int DispatchParallelism { get; set; } = 8;

    /// <summary>
    /// How long a user waits after a failed run (status <c>Failed</c> or <c>MassDeletionBlocked</c>, an exception, or throttling
    /// without a retry instant); it doubles with each consecutive failure up to <see cref="MaxFailureBackoff"/>.
    /// <value>Default: 1 minute; from one second to one day.</value>
    /// </summary>
    public Duration FailureBackoff { get; set; } = Duration.FromMinutes(1);

    /// <summary>The longest wait after consecutive failures. <value>Default: 1 hour; from <see cref="FailureBackoff"/> to one day.</value></summary>
    public Duration MaxFailureBackoff { get; set; } = Duration.FromHours(1);

    /// <summary>
    /// How long a user's job waits before trying again when it found the user's lease held by a run elsewhere (the job ends at
    /// once and a new one is scheduled; no worker waits). The retry syncs only if the user is still due then (the run elsewhere was
    /// interrupted) or a run was requested; otherwise it ends without a sync. <value>Default: 30 seconds; from one second to one day.</value>
    /// </summary>
    public Duration BusyRetryDelay { get; set; } = Duration.FromSeconds(30);

    /// <summary>
    /// How old a user's pending job may get before the dispatcher checks that Hangfire still has it (a job deleted from the dashboard
    /// or failed by a storage error would otherwise keep the user from being enqueued again).
    /// <value>Default: 10 minutes; from one second to one day.</value>
    /// </summary>
    public Duration PendingCheckAfter { get; set; } = Duration.FromMinutes(10);

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(DispatcherJobId))
        {
            yield return $"{nameof(HangfireSchedulingOptions)}.{nameof(DispatcherJobId)} must not be blank; it names the recurring dispatcher job.";
        }

        if (string.IsNullOrWhiteSpace(DispatchCron))
        {
            yield return $"{nameof(HangfireSchedulingOptions)}.{nameof(DispatchCron)} must be a cron expression such as \"* * * * *\" (every minute).";
        }

        if (string.IsNullOrEmpty(Queue) || !Queue.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
        {
            yield return $"{nameof(HangfireSchedulingOptions)}.{nameof(Queue)} must be lower-case letters, digits, underscores or dashes (it is \"{Queue}\"), as Hangfire requires of queue names.";
        }

        if (DueBatchSize < 1)
        {
            yield return $"{nameof(HangfireSchedulingOptions)}.{nameof(DueBatchSize)} must be at least 1 (it is {DueBatchSize}).";
        }

        if (DispatchParallelism is < 1 or > 64)
        {
            yield return $"{nameof(HangfireSchedulingOptions)}.{nameof(DispatchParallelism)} must be from 1 to 64 (it is {DispatchParallelism}).";
        }

        foreach ((string name, Duration value) in new[] { (nameof(FailureBackoff), FailureBackoff), (nameof(BusyRetryDelay), BusyRetryDelay), (nameof(PendingCheckAfter), PendingCheckAfter) })
        {
            if (value < MinimumDelay || value > MaximumDelay)
            {
                yield return $"{nameof(HangfireSchedulingOptions)}.{name} must be from one second to one day (it is {value}).";
            }
        }

        if (DispatchAhead < Duration.Zero || DispatchAhead > MaximumDelay)
        {
            yield return $"{nameof(HangfireSchedulingOptions)}.{nameof(DispatchAhead)} must be from zero to one day (it is {DispatchAhead}).";
        }

        if (MaxFailureBackoff < FailureBackoff || MaxFailureBackoff > MaximumDelay)
        {
            yield return $"{nameof(HangfireSchedulingOptions)}.{nameof(MaxFailureBackoff)} must be from {nameof(FailureBackoff)} ({FailureBackoff}) to one day (it is {MaxFailureBackoff}).";
        }
    }
}
