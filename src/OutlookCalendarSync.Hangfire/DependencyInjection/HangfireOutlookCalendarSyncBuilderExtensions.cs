using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Hangfire;
using OutlookCalendarSync.Hangfire.Internal;

// In this namespace, like AddOutlookCalendarSync, so the builder's methods need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs Hangfire scheduling into the sync, for hosts that run several servers.</summary>
public static class HangfireOutlookCalendarSyncBuilderExtensions
{
    /// <summary>
    /// Syncs every active user on the host's Hangfire servers: registers the recurring dispatcher job when the host starts, the job
    /// class Hangfire runs (<see cref="OutlookCalendarSyncJobs"/>) and <see cref="IHangfireSyncScheduler"/> to request runs.
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configure">Sets the options; validated when the app starts.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// The host configures Hangfire itself, with Hangfire.NetCore or Hangfire.AspNetCore (their job activator creates the jobs from
    /// the host's services): <c>services.AddHangfire(c =&gt; c.UsePostgreSqlStorage(...))</c> and <c>services.AddHangfireServer()</c>
    /// on the servers that run jobs. The state store must be shared by every server (PostgreSQL, or the host's own database): its
    /// lease keeps two runs of one user apart.
    /// </para>
    /// <para>
    /// Use it instead of <c>AddScheduler()</c>, not with it: both would sync every user. Calling it twice is harmless: both
    /// <paramref name="configure"/> delegates run and the services are registered once.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddHangfire(c =&gt; c.UsePostgreSqlStorage(o =&gt; o.UseNpgsqlConnection(connectionString)));
    /// services.AddHangfireServer();
    /// services.AddOutlookCalendarSync(configuration.GetSection("OutlookCalendarSync"))
    ///     .UsePostgreSqlStores(o =&gt; o.ConnectionString = connectionString)
    ///     .UseMicrosoftGraph()
    ///     .AddHangfireScheduling(o =&gt; o.DispatchCron = "* * * * *");
    /// </code>
    /// </example>
    public static OutlookCalendarSyncBuilder AddHangfireScheduling(this OutlookCalendarSyncBuilder builder, Action<HangfireSchedulingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        OptionsBuilder<HangfireSchedulingOptions> options = services.AddOptions<HangfireSchedulingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HangfireSchedulingOptions>, HangfireSchedulingOptionsValidator>());
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(sp => new HangfireStorage(sp));
        services.TryAddSingleton<PendingUserJobs>();
        services.TryAddSingleton<IHangfireSyncScheduler, HangfireSyncScheduler>();
        services.TryAddTransient(sp => new OutlookCalendarSyncJobs(
            sp.GetRequiredService<ISyncEngine>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<PendingUserJobs>(),
            sp.GetRequiredService<IOptionsMonitor<HangfireSchedulingOptions>>(),
            sp.GetRequiredService<IOptionsMonitor<OutlookCalendarSync.OutlookCalendarSyncOptions>>(),
            sp.GetRequiredService<IClock>(),
            sp.GetService<ILogger<OutlookCalendarSyncJobs>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DispatcherRegistration>());
        return builder;
    }
}
