using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Scheduling;

// In this namespace, like AddOutlookCalendarSync, so the builder's methods need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the embedded scheduler into the sync.</summary>
public static class SyncSchedulerBuilderExtensions
{
    /// <summary>
    /// Adds the embedded scheduler for one machine: a hosted service that syncs every active user when due, runs a user at once on
    /// request (<see cref="ISyncScheduler.RequestSync"/>), runs at most <see cref="SyncSchedulerOptions.MaxConcurrentRuns"/> users at
    /// a time and backs off per user after failures and throttling. Resolve <see cref="ISyncScheduler"/> to request runs and to see
    /// what it does.
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configure">Sets the scheduler's options; validated when the app starts.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// The hosted service starts and stops with the host (<c>IHost</c>, ASP.NET Core): on stop, runs in flight get the stopping
    /// token and the host waits for them. Users are due by <see cref="OutlookCalendarSync.OutlookCalendarSyncOptions.SyncInterval"/>.
    /// </para>
    /// <para>
    /// One scheduler per user base: on several servers, every scheduler would run every due user (the state store's lease keeps
    /// two runs of one user apart, but the work is repeated). Use a distributed job scheduler there.
    /// </para>
    /// <para>Calling it twice is harmless: both <paramref name="configure"/> delegates run and the scheduler is registered once.</para>
    /// </remarks>
    public static OutlookCalendarSyncBuilder AddScheduler(this OutlookCalendarSyncBuilder builder, Action<SyncSchedulerOptions>? configure = null)
    {
        Guard.NotNull(builder);
        OptionsBuilder<SyncSchedulerOptions> options = builder.Services.AddOptions<SyncSchedulerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddScheduler(builder, options);
    }

    /// <summary>
    /// Adds the embedded scheduler like <see cref="AddScheduler(OutlookCalendarSyncBuilder, Action{SyncSchedulerOptions})"/>, with
    /// the options bound from a configuration section (<c>PollInterval</c>, <c>MaxConcurrentRuns</c>, <c>RequestDelay</c>, ...;
    /// durations as TimeSpan strings such as <c>"00:00:30"</c>, or NodaTime's round-trip pattern).
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync:Scheduler")</c>.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder AddScheduler(this OutlookCalendarSyncBuilder builder, IConfiguration configuration)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configuration);
        DurationConverter.Register();
        return AddScheduler(builder, builder.Services.AddOptions<SyncSchedulerOptions>().Bind(configuration));
    }

    private static OutlookCalendarSyncBuilder AddScheduler(OutlookCalendarSyncBuilder builder, OptionsBuilder<SyncSchedulerOptions> options)
    {
        IServiceCollection services = builder.Services;
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncSchedulerOptions>, SyncSchedulerOptionsValidator>());
        TimeProviderClock.TryAdd(services);
        services.TryAddSingleton<SyncScheduler>();
        services.TryAddSingleton<ISyncScheduler>(sp => sp.GetRequiredService<SyncScheduler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SyncScheduler>(sp => sp.GetRequiredService<SyncScheduler>()));
        return builder;
    }
}
