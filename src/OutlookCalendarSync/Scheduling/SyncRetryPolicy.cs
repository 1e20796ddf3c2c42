using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Scheduling;

/// <summary>
/// Decides, from how a run ended, when a user runs next: the rule every scheduler of this library follows (the embedded one, the
/// Hangfire one in OutlookCalendarSync.Hangfire, and a host's own on Quartz.NET or Orleans, which reschedules a job at
/// <see cref="RunDecision.RetryAt"/>).
/// </summary>
/// <remarks>
/// A completed run leaves the next run to the user's <c>NextSyncAt</c>, which the engine set. A paused, stopped or unauthorized user
/// is not retried. A run held by another process is retried after <see cref="BusyRetryDelay"/>. Throttling with an instant waits
/// for that instant; a failure (or throttling without an instant) waits <see cref="FailureBackoff"/>, doubled per consecutive
/// failure up to <see cref="MaxFailureBackoff"/>.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class SyncRetryPolicy
{
    /// <summary>Creates the rule with its three delays.</summary>
    /// <param name="failureBackoff">The wait after one failed run (positive).</param>
    /// <param name="maxFailureBackoff">The longest wait after failed runs in a row (at least <paramref name="failureBackoff"/>).</param>
    /// <param name="busyRetryDelay">The wait when another process held the user (positive).</param>
    /// <exception cref="ArgumentOutOfRangeException">A delay is not positive, or the longest backoff is shorter than the first.</exception>
    public SyncRetryPolicy(Duration failureBackoff, Duration maxFailureBackoff, Duration busyRetryDelay)
    {
        if (failureBackoff <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(failureBackoff), failureBackoff, "The backoff after a failed run must be positive.");
        }

        if (maxFailureBackoff < failureBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFailureBackoff), maxFailureBackoff, $"The longest backoff must be at least the first ({failureBackoff}).");
        }

        if (busyRetryDelay <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(busyRetryDelay), busyRetryDelay, "The retry delay for a user held elsewhere must be positive.");
        }

        FailureBackoff = failureBackoff;
        MaxFailureBackoff = maxFailureBackoff;
        BusyRetryDelay = busyRetryDelay;
    }

    /// <summary>The wait after one failed run; it doubles per failure in a row.</summary>
    public Duration FailureBackoff { get; }

    /// <summary>The longest wait after failed runs in a row.</summary>
    public Duration MaxFailureBackoff { get; }

    /// <summary>The wait before running again a user whose run found it held by another run (<see cref="SyncRunStatus.AlreadyRunning"/>).</summary>
    public Duration BusyRetryDelay { get; }

    internal static SyncRetryPolicy From(SyncSchedulerOptions options) => new(options.FailureBackoff, options.MaxFailureBackoff, options.PollInterval);

    /// <summary>The instant the engine asked to wait for (Graph's throttling), or null.</summary>
    internal static Instant? RetryAfterOf(SyncResult result) => result.RetryAfter;

    /// <summary>Decides after a run.</summary>
    /// <param name="status">How the run ended; null when it threw.</param>
    /// <param name="retryAfter">The instant the engine asked to wait for, or null.</param>
    /// <param name="previousFailures">Failed runs in a row before this one.</param>
    /// <param name="now">The run's end.</param>
    /// <returns>What to do, and when to run again for a deferred or failed run (never before <paramref name="now"/>).</returns>
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
    /// <param name="consecutiveFailures">Failed runs in a row, the last one included.</param>
    /// <returns><see cref="FailureBackoff"/> doubled per failure after the first, at most <see cref="MaxFailureBackoff"/>.</returns>
    internal Duration Backoff(int consecutiveFailures)
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
public enum RunVerdict
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

/// <summary>The decision after a run, made by <see cref="SyncRetryPolicy.Decide"/>.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record RunDecision
{
    internal RunDecision(RunVerdict verdict, Instant? retryAt, int consecutiveFailures)
    {
        Verdict = verdict;
        RetryAt = retryAt;
        ConsecutiveFailures = consecutiveFailures;
    }

    /// <summary>What to do.</summary>
    public RunVerdict Verdict { get; }

    /// <summary>When to run again, for <see cref="RunVerdict.Deferred"/> and <see cref="RunVerdict.Failed"/>; null otherwise.</summary>
    public Instant? RetryAt { get; }

    /// <summary>Failed runs in a row, this one included; 0 after a completed run.</summary>
    public int ConsecutiveFailures { get; }
}
