using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.PostgreSql;
using OutlookCalendarSync.PostgreSql.DependencyInjection;
using OutlookCalendarSync.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the PostgreSQL stores into <c>AddOutlookCalendarSync</c>.</summary>
public static class PostgreSqlOutlookCalendarSyncBuilderExtensions
{
    /// <summary>
    /// Keeps the sync state (<see cref="ISyncStateStore"/>), the token caches (<see cref="ITokenStore"/>), the pending sign-ins
    /// (<see cref="IPendingSignInStore"/>), the change-notification subscriptions (<see cref="ISubscriptionStore"/>) and the
    /// tenants' app-only consent (<see cref="ITenantConsentStore"/>) in PostgreSQL, replacing whatever was registered for those ports before; several servers can share the database, and a
    /// sign-in started on one completes on any other.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddOutlookCalendarSync</c>.</param>
    /// <param name="configure">Sets <see cref="PostgreSqlStoreOptions.ConnectionString"/> and optionally <see cref="PostgreSqlStoreOptions.Schema"/>;
    /// may be null when the options are bound elsewhere (for example from configuration).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// The stores are singletons that read the registered <see cref="IClock"/>; the schema is created and migrated on first use. The
    /// options are validated when the host starts. The host's calendar (<see cref="ICalendarStore"/>) stays whatever the host registered;
    /// <see cref="UsePostgreSqlCalendarStore"/> keeps it in PostgreSQL too.
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddOutlookCalendarSync(o => ...)
    ///     .UsePostgreSqlStores(o => o.ConnectionString = configuration.GetConnectionString("Sync"));
    /// </code>
    /// </example>
    public static OutlookCalendarSyncBuilder UsePostgreSqlStores(this OutlookCalendarSyncBuilder builder, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OptionsBuilder<PostgreSqlStoreOptions> options = builder.Services.AddOptions<PostgreSqlStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddStores(builder, options);
    }

    /// <summary>
    /// Uses the PostgreSQL stores like <see cref="UsePostgreSqlStores(OutlookCalendarSyncBuilder, Action{PostgreSqlStoreOptions})"/>,
    /// with the options bound from a configuration section (<c>ConnectionString</c> and optionally <c>Schema</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddOutlookCalendarSync</c>.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync:PostgreSql")</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static OutlookCalendarSyncBuilder UsePostgreSqlStores(this OutlookCalendarSyncBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddStores(builder, builder.Services.AddOptions<PostgreSqlStoreOptions>().Bind(configuration));
    }

    private static OutlookCalendarSyncBuilder AddStores(OutlookCalendarSyncBuilder builder, OptionsBuilder<PostgreSqlStoreOptions> options)
    {
        IServiceCollection services = builder.Services;
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.Replace(ServiceDescriptor.Singleton<ISyncStateStore>(sp => new PostgreSqlSyncStateStore(Options(sp), sp.GetRequiredService<IClock>())));
        services.Replace(ServiceDescriptor.Singleton<ITokenStore>(sp => new PostgreSqlTokenStore(Options(sp))));
        services.Replace(ServiceDescriptor.Singleton<IPendingSignInStore>(sp => new PostgreSqlPendingSignInStore(Options(sp), sp.GetRequiredService<IClock>())));
        services.Replace(ServiceDescriptor.Singleton<ISubscriptionStore>(sp => new PostgreSqlSubscriptionStore(Options(sp))));
        services.Replace(ServiceDescriptor.Singleton<ITenantConsentStore>(sp => new PostgreSqlTenantConsentStore(Options(sp))));
        return builder;
    }

    /// <summary>
    /// Uses <see cref="PostgreSqlCalendarStore"/> as the host calendar (<see cref="ICalendarStore"/>), in the database and schema of
    /// <c>UsePostgreSqlStores</c>, replacing whatever was registered for that port before.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddOutlookCalendarSync</c>, after <c>UsePostgreSqlStores</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// For hosts without a calendar of their own. The store is a singleton that reads the registered <see cref="IClock"/>, and is
    /// registered as itself too, so a host can add and change events as its users.
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddOutlookCalendarSync(o => ...)
    ///     .UsePostgreSqlStores(o => o.ConnectionString = connectionString)
    ///     .UsePostgreSqlCalendarStore();
    /// </code>
    /// </example>
    public static OutlookCalendarSyncBuilder UsePostgreSqlCalendarStore(this OutlookCalendarSyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(sp => new PostgreSqlCalendarStore(Options(sp), sp.GetRequiredService<IClock>()));
        services.Replace(ServiceDescriptor.Singleton<ICalendarStore>(sp => sp.GetRequiredService<PostgreSqlCalendarStore>()));
        return builder;
    }

    private static PostgreSqlStoreOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
}
