using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>The Hangfire scheduling's structured log messages.</summary>
internal static partial class HangfireLog
{
    [LoggerMessage(300, LogLevel.Information, "Outlook calendar sync dispatcher registered as recurring job {JobId} on {Cron}")]
    public static partial void DispatcherRegistered(ILogger logger, string jobId, string cron);

    [LoggerMessage(301, LogLevel.Debug, "Dispatch skipped: another dispatch holds the lock")]
    public static partial void DispatchSkipped(ILogger logger);

    [LoggerMessage(302, LogLevel.Debug, "{Count} users due, {Enqueued} enqueued, {Recovered} lost jobs replaced")]
    public static partial void Dispatched(ILogger logger, int count, int enqueued, int recovered);

    [LoggerMessage(303, LogLevel.Error, "Sync of user {UserId} threw: {Reason}")]
    public static partial void RunThrew(ILogger logger, string userId, string reason, Exception exception);

    [LoggerMessage(304, LogLevel.Information, "Sync of user {UserId} ended {Status}; next run scheduled at {RetryAt} ({ConsecutiveFailures} failures in a row)")]
    public static partial void Rescheduled(ILogger logger, string userId, SyncRunStatus status, Instant? retryAt, int consecutiveFailures);

    [LoggerMessage(305, LogLevel.Warning, "The pending job {JobId} of user {UserId} is gone from Hangfire (state {State}); a new one is enqueued")]
    public static partial void LostJobReplaced(ILogger logger, string userId, string jobId, string state);

    [LoggerMessage(306, LogLevel.Debug, "Registering the dispatcher job {JobId} failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void DispatcherRegistrationRetried(ILogger logger, string jobId, int attempt, TimeSpan delay);

    [LoggerMessage(307, LogLevel.Warning, "The dispatcher job {JobId} was not registered by this server: its Hangfire lock stayed busy for {Patience} ({Attempt} attempts). Another server registering it suffices; it is registered again at the next start")]
    public static partial void DispatcherRegistrationLockBusy(ILogger logger, string jobId, int attempt, TimeSpan patience, Exception exception);

    [LoggerMessage(308, LogLevel.Error, "The dispatcher job {JobId} was not registered by this server after {Attempt} attempts; other servers may have registered it")]
    public static partial void DispatcherRegistrationFailed(ILogger logger, string jobId, int attempt, Exception exception);

    [LoggerMessage(309, LogLevel.Debug, "Job {JobId} of user {UserId} ended without a run: the user is not due until {NextSyncAt} and no run was requested (a second delivery of a job, or a retry after a run elsewhere)")]
    public static partial void RunSuperseded(ILogger logger, string userId, string? jobId, Instant nextSyncAt);
}
