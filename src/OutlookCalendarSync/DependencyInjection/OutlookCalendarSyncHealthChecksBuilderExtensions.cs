using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using OutlookCalendarSync.Diagnostics;
using OutlookCalendarSync.Diagnostics.HealthChecks;
using OutlookCalendarSync.Internal;

// In this namespace, like AddHealthChecks, so the method needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the sync's health checks to <c>services.AddHealthChecks()</c>.</summary>
public static class OutlookCalendarSyncHealthChecksBuilderExtensions
{
    /// <summary>The name of the check that the sync state store answers.</summary>
    public const string StateStoreCheckName = "OutlookCalendarSync.StateStore";

    /// <summary>The name of the check that the scheduler keeps up.</summary>
    public const string SchedulerCheckName = "OutlookCalendarSync.Scheduler";

    /// <summary>
    /// Adds two health checks: <see cref="StateStoreCheckName"/>, unhealthy when the state store fails or does not answer a one-row
    /// read within <see cref="OutlookCalendarSyncHealthCheckOptions.StoreTimeout"/>; and <see cref="SchedulerCheckName"/>, degraded
    /// when a user has waited for its run longer than <see cref="OutlookCalendarSyncHealthCheckOptions.SchedulerLagThreshold"/>.
    /// </summary>
    /// <param name="builder">The builder <c>services.AddHealthChecks()</c> returned.</param>
    /// <param name="configure">Sets the thresholds.</param>
    /// <param name="tags">Tags of both checks, to filter them in a health endpoint.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is not positive.</exception>
    /// <remarks>
    /// <para>
    /// The scheduler check reads <see cref="OutlookCalendarSync.Scheduling.ISyncScheduler.GetSnapshot"/>; without
    /// <c>AddScheduler()</c> it reports healthy. Its data: <c>queue_length</c>, <c>running</c>, <c>lag_seconds</c> (the longest wait
    /// of a queued user, or of a user past its next run) and <c>needs_reauthorization</c>: the users whose last run in this process
    /// ended in <see cref="OutlookCalendarSync.Reporting.SyncRunStatus.NeedsReauthorization"/>. The state store has no count of them, so
    /// users who have not run since the process started are not counted.
    /// </para>
    /// <para>Call it once: health check names must be unique, and a second call adds the same names again.</para>
    /// </remarks>
    public static IHealthChecksBuilder AddOutlookCalendarSync(
        this IHealthChecksBuilder builder,
        Action<OutlookCalendarSyncHealthCheckOptions>? configure = null,
        IEnumerable<string>? tags = null)
    {
        Guard.NotNull(builder);
        var options = new OutlookCalendarSyncHealthCheckOptions();
        configure?.Invoke(options);
        Positive(options.StoreTimeout, nameof(options.StoreTimeout));
        Positive(options.SchedulerLagThreshold, nameof(options.SchedulerLagThreshold));
        string[] tagList = tags?.ToArray() ?? [];
        builder.Add(new HealthCheckRegistration(
            StateStoreCheckName,
            sp => new StateStoreHealthCheck(
                sp.GetRequiredService<IServiceScopeFactory>(),
                sp.GetService<IClock>() ?? SystemClock.Instance,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                options.StoreTimeout),
            failureStatus: null,
            tags: tagList));
        builder.Add(new HealthCheckRegistration(
            SchedulerCheckName,
            sp => new SchedulerHealthCheck(sp, options.SchedulerLagThreshold),
            failureStatus: null,
            tags: tagList));
        return builder;
    }

    private static void Positive(Duration value, string name)
    {
        if (value <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{nameof(OutlookCalendarSyncHealthCheckOptions)}.{name} must be positive.");
        }
    }
}
