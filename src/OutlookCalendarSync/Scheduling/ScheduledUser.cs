using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Scheduling;

/// <summary>What the scheduler knows of one user: its last run, its next run and its state.</summary>
/// <remarks>
/// This is the scheduler's view in this process since it started. The stored, durable view (status, last and next sync, last
/// error) is <see cref="ISyncEngine.GetStatusAsync"/>.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class ScheduledUser
{
    /// <summary>The host's user id.</summary>
    public required string UserId { get; init; }

    /// <summary>Where the user is in the scheduler.</summary>
    public required ScheduledUserState State { get; init; }

    /// <summary>When the last run started, or null before the first.</summary>
    public Instant? LastRunStartedAt { get; init; }

    /// <summary>When the last run ended, or null before the first ended.</summary>
    public Instant? LastRunFinishedAt { get; init; }

    /// <summary>How the last run ended (<see cref="SyncRunStatus.Failed"/> when it threw), or null before the first ended.</summary>
    public SyncRunStatus? LastStatus { get; init; }

    /// <summary>The last run's message (what happened and, where needed, what to do), or null.</summary>
    public string? LastMessage { get; init; }

    /// <summary>
    /// When the scheduler next runs the user: the end of a backoff, or the instant the user is due again after a completed run (its
    /// <see cref="Stores.SyncStateHeader.NextSyncAt"/>: the run's start plus <see cref="OutlookCalendarSyncOptions.SyncInterval"/>,
    /// less the run's duration, never sooner than half the interval after the run's end), which the last poll before it finds. Null
    /// while queued or running, and when the user is paused, stopped or needs reauthorization (it runs again only when its status is active or when asked).
    /// </summary>
    public Instant? NextRunAt { get; init; }

    /// <summary>When the user was queued (found due, requested, or its backoff ended), or null when it is not queued.</summary>
    public Instant? QueuedAt { get; init; }

    /// <summary>Failed runs in a row; 0 after a run that completed.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>True when a request arrived while the user ran or backed off: one more run follows.</summary>
    public bool RunPending { get; init; }
}
