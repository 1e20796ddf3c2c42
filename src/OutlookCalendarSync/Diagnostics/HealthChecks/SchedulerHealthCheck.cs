using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;

namespace OutlookCalendarSync.Diagnostics.HealthChecks;

/// <summary>
/// Degraded when a user has waited for its run longer than the threshold; reports the queue, the runs in flight and the users whose
/// last run needed reauthorization. Healthy, with nothing to report, when no scheduler is registered.
/// </summary>
internal sealed class SchedulerHealthCheck(IServiceProvider services, Duration lagThreshold) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ISyncScheduler>() is not { } scheduler)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No scheduler is registered."));
        }

        SyncSchedulerSnapshot snapshot = scheduler.GetSnapshot();
        Instant now = snapshot.TakenAt;
        Duration lag = Duration.Zero;
        int needsReauthorization = 0;
        foreach (ScheduledUser user in snapshot.Users)
        {
            if (user.QueuedAt is { } queuedAt && now - queuedAt > lag)
            {
                lag = now - queuedAt;
            }

            if (user.NextRunAt is { } nextRunAt && now - nextRunAt > lag)
            {
                lag = now - nextRunAt;
            }

            if (user.LastStatus == SyncRunStatus.NeedsReauthorization)
            {
                needsReauthorization++;
            }
        }

        var data = new Dictionary<string, object>
        {
            ["queue_length"] = snapshot.QueueLength,
            ["running"] = snapshot.RunningCount,
            ["lag_seconds"] = lag.TotalSeconds,
            ["needs_reauthorization"] = needsReauthorization,
        };
        HealthCheckResult result = lag > lagThreshold
            ? HealthCheckResult.Degraded(
                $"A user has waited {lag.TotalSeconds:0} s for its run (threshold {lagThreshold.TotalSeconds:0} s): raise MaxConcurrentRuns or find what slows the runs.",
                data: data)
            : HealthCheckResult.Healthy($"The scheduler keeps up: {snapshot.QueueLength} queued, {snapshot.RunningCount} running.", data);
        return Task.FromResult(result);
    }
}
