using NodaTime;

namespace OutlookCalendarSync.Scheduling;

/// <summary>What the scheduler is doing at one instant; from <see cref="ISyncScheduler.GetSnapshot"/>.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class SyncSchedulerSnapshot
{
    /// <summary>When the snapshot was taken.</summary>
    public required Instant TakenAt { get; init; }

    /// <summary>Users waiting for a run slot.</summary>
    public required int QueueLength { get; init; }

    /// <summary>Runs in progress.</summary>
    public required int RunningCount { get; init; }

    /// <summary>Every user this process has queued or run since it started, by user id.</summary>
    public required IReadOnlyList<ScheduledUser> Users { get; init; }
}
