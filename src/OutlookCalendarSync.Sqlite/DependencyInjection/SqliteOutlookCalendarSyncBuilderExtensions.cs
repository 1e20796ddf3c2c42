using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Sqlite.DependencyInjection;
using OutlookCalendarSync.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the SQLite stores into <c>AddOutlookCalendarSync</c>.</summary>
public static class SqliteOutlookCalendarSyncBuilderExtensions
{
    /// <summary>
    /// Uses one SQLite file for the host calendar (<see cref="ICalendarStore"/>), the sync state (<see cref="ISyncStateStore"/>),
    /// the token caches (<see cref="ITokenStore"/>), the pending sign-ins (<see cref="IPendingSignInStore"/>) and the
    /// change-notification subscriptions (<see cref="ISubscriptionStore"/>) and the tenants' app-only consent
    /// (<see cref="ITenantConsentStore"/>), replacing whatever was registered for those ports before.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddOutlookCalendarSync</c>.</param>
    /// <param name="configure">Sets <see cref="SqliteStoreOptions.DatabasePath"/> or <see cref="SqliteStoreOptions.ConnectionString"/>;
    /// may be null when the options are bound elsewhere (for example from configuration).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// The stores are singletons that read the registered <see cref="IClock"/>. <see cref="SqliteCalendarStore"/> is registered as
    /// itself too, so a host can add and change events as its users. The options are validated when the host starts.
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddOutlookCalendarSync(o => ...)
    ///     .UseSqliteStores(o => o.DatabasePath = "calendar.db");
    /// </code>
    /// </example>
    public static OutlookCalendarSyncBuilder UseSqliteStores(this OutlookCalendarSyncBuilder builder, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OptionsBuilder<SqliteStoreOptions> options = builder.Services.AddOptions<SqliteStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddStores(builder, options);
    }

    /// <summary>
    /// Uses the SQLite stores like <see cref="UseSqliteStores(OutlookCalendarSyncBuilder, Action{SqliteStoreOptions})"/>, with the
    /// options bound from a configuration section (<c>DatabasePath</c> or <c>ConnectionString</c>, and <c>BusyTimeout</c> as a
    /// TimeSpan such as <c>"00:00:30"</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddOutlookCalendarSync</c>.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync:Sqlite")</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static OutlookCalendarSyncBuilder UseSqliteStores(this OutlookCalendarSyncBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddStores(builder, builder.Services.AddOptions<SqliteStoreOptions>().Bind(configuration));
    }

    private static OutlookCalendarSyncBuilder AddStores(OutlookCalendarSyncBuilder builder, OptionsBuilder<SqliteStoreOptions> options)
    {
        IServiceCollection services = builder.Services;
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.Replace(ServiceDescriptor.Singleton(sp => new SqliteCalendarStore(Options(sp), sp.GetRequiredService<IClock>())));
        services.Replace(ServiceDescriptor.Singleton<ISyncStateStore>(sp => new SqliteSyncStateStore(Options(sp), sp.GetRequiredService<IClock>())));
        services.Replace(ServiceDescriptor.Singleton<ITokenStore>(sp => new SqliteTokenStore(Options(sp))));
        services.Replace(ServiceDescriptor.Singleton<IPendingSignInStore>(sp => new SqlitePendingSignInStore(Options(sp), sp.GetRequiredService<IClock>())));
        services.Replace(ServiceDescriptor.Singleton<ISubscriptionStore>(sp => new SqliteSubscriptionStore(Options(sp))));
        services.Replace(ServiceDescriptor.Singleton<ITenantConsentStore>(sp => new SqliteTenantConsentStore(Options(sp))));
        services.Replace(ServiceDescriptor.Singleton<ICalendarStore>(sp => sp.GetRequiredService<SqliteCalendarStore>()));
        return builder;
    }

    private static SqliteStoreOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
}
