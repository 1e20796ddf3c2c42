using Microsoft.Extensions.Logging;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>The engine's structured log messages. Never logs event content beyond ids, nor any token or secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Sync of user {UserId} finished: {Status}; host +{LocalCreated} ~{LocalUpdated} -{LocalDeleted}, Outlook +{RemoteCreated} ~{RemoteUpdated} -{RemoteDeleted}; {Conflicts} conflicts, {Failures} failures in {DurationMs} ms")]
    public static partial void RunFinished(ILogger logger, string userId, SyncRunStatus status, int localCreated, int localUpdated, int localDeleted, int remoteCreated, int remoteUpdated, int remoteDeleted, int conflicts, int failures, long durationMs);

    [LoggerMessage(2, LogLevel.Debug, "Sync of user {UserId} skipped: another run holds the lease")]
    public static partial void AlreadyRunning(ILogger logger, string userId);

    [LoggerMessage(3, LogLevel.Information, "The {Side} change feed of user {UserId} needs a full read ({Reason})")]
    public static partial void FullResync(ILogger logger, string userId, SyncSide side, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Sync of user {UserId}: {Side} {Operation} of event {EventId} failed: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string userId, SyncSide side, WriteKind operation, string? eventId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Sync of user {UserId} stopped by the mass-deletion guard: {Reason}")]
    public static partial void MassDeletionBlocked(ILogger logger, string userId, string reason);

    [LoggerMessage(6, LogLevel.Error, "Sync of user {UserId} failed: {Reason}")]
    public static partial void RunFailed(ILogger logger, string userId, string reason, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Sync of user {UserId} needs the user to connect their Microsoft account again")]
    public static partial void NeedsReauthorization(ILogger logger, string userId);

    [LoggerMessage(8, LogLevel.Information, "User {UserId}: sync status set to {Status}")]
    public static partial void StatusChanged(ILogger logger, string userId, SyncStatus status);

    [LoggerMessage(20, LogLevel.Warning, "Sync of user {UserId}: renewing the lease failed ({Reason}); trying again while it holds")]
    public static partial void LeaseRenewalFailed(ILogger logger, string userId, string reason, Exception exception);

    [LoggerMessage(21, LogLevel.Error, "Sync of user {UserId} lost its lease (it expired and another run may hold it): the run stops writing")]
    public static partial void LeaseLost(ILogger logger, string userId);
}
