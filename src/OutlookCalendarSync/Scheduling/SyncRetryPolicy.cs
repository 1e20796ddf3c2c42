using NodaTime;
using OutlookCalendarSync.Engine;

namespace OutlookCalendarSync.Scheduling;

/// <summary>
/// Decides, from how a run ended, when a user runs next: the rule every scheduler of this library follows (the embedded one, and
/// job-based ones that reschedule a job at <see cref="RunDecision.RetryAt"/>).
/// </summary>
/// <remarks>
/// A completed run leaves the next run to the user's <c>NextSyncAt</c>, which the engine set. A paused, stopped or unauthorized user
/// is not retried. A run held by another process is retried after <see cref="BusyRetryDelay"/>. Throttling with an instant waits
/// for that instant; a failure (or throttling without an instant) waits <see cref="FailureBackoff"/>, doubled per consecutive
/// failure up to <see cref="MaxFailureBackoff"/>.
/// </remarks>
internal sealed class SyncRetryPolicy(Duration failureBackoff, Duration maxFailureBackoff, Duration busyRetryDelay)
{
    public Duration FailureBackoff { get; } = failureBackoff;

    public Duration MaxFailureBackoff { get; } = maxFailureBackoff;

    public Duration BusyRetryDelay { get; } = busyRetryDelay;

    public static SyncRetryPolicy From(SyncSchedulerOptions options) => new(options.FailureBackoff, options.MaxFailureBackoff, options.PollInterval);

    /// <summary>The instant the engine asked to wait for (Graph's throttling), or null.</summary>
    public static Instant? RetryAfterOf(SyncResult result) => result.RetryAfter;

    /// <summary>Decides after a run.</summary>
    /// <param name="status">How the run ended; null when it threw.</param>
    /// <param name="retryAfter">The instant the engine asked to wait for, or null.</param>
    /// <param name="previousFailures">Failed runs in a row before this one.</param>
    /// <param name="now">The run's end.</param>
    public RunDecision Decide(SyncRunStatus? status, Instant? retryAfter, int previousFailures, Instant now)
    {
        if (retryAfter is { } at)
        {
            return new RunDecision(RunVerdict.Deferred, at > now ? at : now, previousFailures);
        }

        switch (status)
        {
            case SyncRunStatus.NothingNew or SyncRunStatus.Synced or SyncRunStatus.SyncedWithFailures:
                return new RunDecision(RunVerdict.Completed, null, 0);
            case SyncRunStatus.Paused or SyncRunStatus.Stopped or SyncRunStatus.NeedsReauthorization:
                return new RunDecision(RunVerdict.Inactive, null, 0);
            case SyncRunStatus.AlreadyRunning:
                return new RunDecision(RunVerdict.Deferred, now + BusyRetryDelay, previousFailures);
            default:
                // Failed, MassDeletionBlocked, a thrown exception, and throttling without an instant.
                int failures = previousFailures == int.MaxValue ? previousFailures : previousFailures + 1;
                return new RunDecision(RunVerdict.Failed, now + Backoff(failures), failures);
        }
    }

    /// <summary>The wait after <paramref name="consecutiveFailures"/> failures in a row (at least 1).</summary>
    public Duration Backoff(int consecutiveFailures)
    {
        Duration wait = FailureBackoff;
        for (int i = 1; i < consecutiveFailures && wait < MaxFailureBackoff; i++)
        {
            wait += wait;
        }

        return wait < MaxFailureBackoff ? wait : MaxFailureBackoff;
    }
}

/// <summary>What a scheduler does after a run.</summary>
internal enum RunVerdict
{
    /// <summary>The run completed; the user is due again at its <c>NextSyncAt</c>.</summary>
    Completed,

    /// <summary>The user is paused, stopped or must reconnect; it is not retried.</summary>
    Inactive,

    /// <summary>The run could not start (throttled, held elsewhere); run again at the decision's instant.</summary>
    Deferred,

    /// <summary>The run failed; run again at the decision's instant, after a backoff.</summary>
    Failed,
}

/// <summary>The decision after a run.</summary>
/// <param name="Verdict">What to do.</param>
/// <param name="RetryAt">When to run again, for <see cref="RunVerdict.Deferred"/> and <see cref="RunVerdict.Failed"/>.</param>
/// <param name="ConsecutiveFailures">Failed runs in a row, this one included.</param>
internal readonly record struct RunDecision(RunVerdict Verdict, Instant? RetryAt, int ConsecutiveFailures);
