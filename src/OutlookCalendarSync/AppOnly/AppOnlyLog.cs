using Microsoft.Extensions.Logging;

namespace OutlookCalendarSync.AppOnly;

/// <summary>The log messages of app-only mode; tenant ids, never tokens or secrets.</summary>
internal static partial class AppOnlyLog
{
    [LoggerMessage(150, LogLevel.Information, "Tenant {TenantId}: app-only access granted (Calendars.ReadWrite)")]
    public static partial void Consented(ILogger logger, string tenantId);

    [LoggerMessage(151, LogLevel.Warning, "Tenant {TenantId}: app-only access refused ({Status}: {Detail}); asked again at {NextCheckAt}")]
    public static partial void Refused(ILogger logger, string tenantId, TenantConsentStatus status, string detail, NodaTime.Instant nextCheckAt);

    [LoggerMessage(152, LogLevel.Information, "Admin-consent URL built for tenant {TenantId}")]
    public static partial void ConsentUrlBuilt(ILogger logger, string tenantId);

    [LoggerMessage(153, LogLevel.Warning, "Admin-consent callback rejected: {Reason}")]
    public static partial void ConsentCallbackRejected(ILogger logger, string reason);
}
