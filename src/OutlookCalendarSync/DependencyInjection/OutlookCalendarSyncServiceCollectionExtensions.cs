using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Diagnostics;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Reconciliation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OutlookCalendarSync in a service collection.</summary>
public static class OutlookCalendarSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sync engine (<see cref="ISyncEngine"/>) with its options, validated when the app starts, the default conflict
    /// resolver and the system clock. Plug the stores and the Outlook calendar through the returned builder.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to plug the ports.</returns>
    /// <remarks>Calling it twice is harmless: registrations use <c>TryAdd</c>, and both <paramref name="configure"/> delegates run.</remarks>
    public static OutlookCalendarSyncBuilder AddOutlookCalendarSync(this IServiceCollection services, Action<OutlookCalendarSyncOptions>? configure = null)
    {
        Guard.NotNull(services);
        OptionsBuilder<OutlookCalendarSyncOptions> options = services.AddOptions<OutlookCalendarSyncOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddEngine(services, options);
    }

    /// <summary>
    /// Adds the sync engine like <see cref="AddOutlookCalendarSync(IServiceCollection, Action{OutlookCalendarSyncOptions})"/>, with
    /// its options bound from a configuration section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section whose keys are the names of <see cref="OutlookCalendarSyncOptions"/>' properties.</param>
    /// <returns>A builder to plug the ports.</returns>
    /// <remarks>
    /// Durations are written as TimeSpans (<c>"30.00:00:00"</c> is 30 days, <c>"00:10:00"</c> 10 minutes) or in NodaTime's round-trip
    /// pattern (<c>"30:00:00:00"</c>); enums by name (<c>"TwoWay"</c>). The options follow changes of the configuration between runs.
    /// </remarks>
    /// <example>
    /// <code>
    /// // appsettings.json: { "OutlookCalendarSync": { "WindowBefore": "30.00:00:00", "Direction": "ToOutlookOnly" } }
    /// builder.Services.AddOutlookCalendarSync(builder.Configuration.GetSection("OutlookCalendarSync"))
    ///     .UseSqliteStores(o => o.DatabasePath = "calendar.db");
    /// </code>
    /// </example>
    public static OutlookCalendarSyncBuilder AddOutlookCalendarSync(this IServiceCollection services, IConfiguration configuration)
    {
        Guard.NotNull(services);
        Guard.NotNull(configuration);
        return AddEngine(services, services.AddOptions<OutlookCalendarSyncOptions>().Bind(configuration));
    }

    private static OutlookCalendarSyncBuilder AddEngine(IServiceCollection services, OptionsBuilder<OutlookCalendarSyncOptions> options)
    {
        // Also for hosts that bind the options themselves (services.Configure<OutlookCalendarSyncOptions>(section)).
        DurationConverter.Register();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutlookCalendarSyncOptions>, OutlookCalendarSyncOptionsValidator>());
        TimeProviderClock.TryAdd(services);
        services.TryAddSingleton<IConflictResolver, ThreeWayMergeResolver>();
        services.TryAddSingleton<SyncMetrics>();
        services.TryAddSingleton(new LeaseRenewalTimer(TimeProvider.System));
        services.TryAddScoped(sp =>
        {
            // Resolving the options first reports every missing port in one message instead of DI's first failure.
            _ = sp.GetRequiredService<IOptionsMonitor<OutlookCalendarSyncOptions>>().CurrentValue;
            return ActivatorUtilities.CreateInstance<SyncEngine>(sp);
        });
        services.TryAddSingleton<ISyncEngine, ScopedSyncEngine>();
        return new OutlookCalendarSyncBuilder(services);
    }
}
