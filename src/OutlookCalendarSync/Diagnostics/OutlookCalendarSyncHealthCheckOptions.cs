using NodaTime;

namespace OutlookCalendarSync.Diagnostics;

/// <summary>Thresholds of the health checks <c>IHealthChecksBuilder.AddOutlookCalendarSync</c> adds.</summary>
public sealed class OutlookCalendarSyncHealthCheckOptions
{
    /// <summary>How long the state store may take to answer the check's read before the check reports it unreachable.</summary>
    /// <value>Defaults to 5 seconds; must be positive.</value>
    public Duration StoreTimeout { get; set; } = Duration.FromSeconds(5);

    /// <summary>How long a user may wait for its run (queued, or past its next run) before the scheduler check reports degraded.</summary>
    /// <value>Defaults to 5 minutes; must be positive.</value>
    public Duration SchedulerLagThreshold { get; set; } = Duration.FromMinutes(5);
}
