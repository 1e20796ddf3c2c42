using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Scheduling;

/// <summary>The scheduler's structured log messages.</summary>
internal static partial class SchedulerLog
{
    [LoggerMessage(200, LogLevel.Information, "Sync scheduler started: polling every {PollInterval}, at most {MaxConcurrentRuns} runs at a time")]
    public static partial void Started(ILogger logger, Duration pollInterval, int maxConcurrentRuns);

    [LoggerMessage(201, LogLevel.Information, "Sync scheduler stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(202, LogLevel.Debug, "Sync of user {UserId} requested")]
    public static partial void Requested(ILogger logger, string userId);

    [LoggerMessage(203, LogLevel.Debug, "{Count} users due, {Queued} queued")]
    public static partial void Polled(ILogger logger, int count, int queued);

    [LoggerMessage(204, LogLevel.Warning, "Sync scheduler could not read the users due; it tries again in {PollInterval}: {Reason}")]
    public static partial void PollFailed(ILogger logger, Duration pollInterval, string reason, Exception exception);

    [LoggerMessage(205, LogLevel.Error, "Sync of user {UserId} threw: {Reason}")]
    public static partial void RunThrew(ILogger logger, string userId, string reason, Exception exception);

    [LoggerMessage(206, LogLevel.Information, "Sync of user {UserId} ended {Status}; next run at {RetryAt} ({ConsecutiveFailures} failures in a row)")]
    public static partial void BackingOff(ILogger logger, string userId, SyncRunStatus status, Instant? retryAt, int consecutiveFailures);
}
