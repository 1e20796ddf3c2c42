using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync;
using OutlookCalendarSync.Abstractions;
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

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutlookCalendarSyncOptions>, OutlookCalendarSyncOptionsValidator>());
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton<IConflictResolver, ThreeWayMergeResolver>();
        services.TryAddSingleton<SyncMetrics>();
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
