using Microsoft.Extensions.Logging;

namespace OutlookCalendarSync.Notifications;

/// <summary>The change notifications' structured log messages.</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(700, LogLevel.Debug, "Change notification for user {UserId} ({ChangeType}): sync requested")]
    public static partial void Notified(ILogger logger, string userId, string changeType);

    [LoggerMessage(701, LogLevel.Warning, "Ignored a notification for subscription {SubscriptionId}: {Reason}")]
    public static partial void Ignored(ILogger logger, string subscriptionId, string reason);

    [LoggerMessage(702, LogLevel.Information, "Lifecycle notification {LifecycleEvent} for user {UserId}")]
    public static partial void Lifecycle(ILogger logger, string lifecycleEvent, string userId);

    [LoggerMessage(703, LogLevel.Information, "Subscription of user {UserId}: {Action}, expires {ExpiresAt}")]
    public static partial void Subscribed(ILogger logger, string userId, string action, NodaTime.Instant expiresAt);

    [LoggerMessage(704, LogLevel.Warning, "Could not {Action} the subscription of user {UserId}; it is tried again later: {Reason}")]
    public static partial void Failed(ILogger logger, string action, string userId, string reason, Exception exception);

    [LoggerMessage(705, LogLevel.Information, "Subscription of user {UserId} deleted{Outcome}")]
    public static partial void Deleted(ILogger logger, string userId, string outcome);
}
