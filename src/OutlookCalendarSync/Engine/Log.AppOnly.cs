using Microsoft.Extensions.Logging;

namespace OutlookCalendarSync.Engine;

/// <summary>The engine's messages for runs Microsoft refuses for the tenant or the mailbox.</summary>
internal static partial class Log
{
    [LoggerMessage(40, LogLevel.Warning, "Sync of user {UserId} skipped: tenant {TenantId} has not granted the app consent, or refuses its credentials")]
    public static partial void AdminConsentRequired(ILogger logger, string userId, string tenantId);

    [LoggerMessage(41, LogLevel.Warning, "Sync of user {UserId} skipped: Microsoft Graph refuses the app the user's mailbox ({Reason})")]
    public static partial void MailboxUnavailable(ILogger logger, string userId, MailboxUnavailableReason reason);
}
