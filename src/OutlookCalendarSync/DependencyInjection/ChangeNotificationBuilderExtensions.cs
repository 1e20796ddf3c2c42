using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Notifications;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;

// In this namespace, like AddOutlookCalendarSync, so the builder's methods need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs Microsoft Graph change notifications into the sync.</summary>
public static class ChangeNotificationBuilderExtensions
{
    /// <summary>
    /// Subscribes every connected user to Graph change notifications on their events, so an Outlook change reaches the host within
    /// seconds instead of at the next periodic run. Map the endpoints Graph calls with <c>app.MapOutlookCalendarSyncNotifications()</c>
    /// (OutlookCalendarSync.AspNetCore), or pass the bodies to <see cref="IGraphNotificationReceiver"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configure">Sets the public notification URLs and the subscriptions' lifetime; validated when the app starts.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// Needs the Graph adapter (<c>UseMicrosoftGraph</c>) and its token provider, a scheduler (<c>AddScheduler</c>), whose
    /// <see cref="ISyncScheduler.RequestSync"/> a notification calls, and a subscription store: <c>UseSqliteStores</c> and
    /// <c>UsePostgreSqlStores</c> register theirs; otherwise <see cref="UseSubscriptionStore(OutlookCalendarSyncBuilder, ISubscriptionStore)"/>.
    /// </para>
    /// <para>
    /// A user is subscribed after their first completed run in this process; a hosted service renews subscriptions
    /// <see cref="ChangeNotificationOptions.RenewBefore"/> ahead of expiry and carries out lifecycle notifications. Stopping or
    /// resetting a user (<c>ISyncEngine</c>) and disconnecting their account delete the subscription.
    /// </para>
    /// <para>Calling it twice is harmless: both <paramref name="configure"/> delegates run and the services are registered once.</para>
    /// </remarks>
    public static OutlookCalendarSyncBuilder AddChangeNotifications(this OutlookCalendarSyncBuilder builder, Action<ChangeNotificationOptions>? configure = null)
    {
        Guard.NotNull(builder);
        OptionsBuilder<ChangeNotificationOptions> options = builder.Services.AddOptions<ChangeNotificationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddChangeNotifications(builder, options);
    }

    /// <summary>
    /// Subscribes every connected user to Graph change notifications like
    /// <see cref="AddChangeNotifications(OutlookCalendarSyncBuilder, Action{ChangeNotificationOptions})"/>, with the options bound
    /// from a configuration section (<c>NotificationUrl</c>, <c>LifecycleNotificationUrl</c>, <c>SubscriptionLifetime</c>, ...;
    /// durations as TimeSpan strings such as <c>"2.22:30:00"</c>, or NodaTime's round-trip pattern).
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync:Notifications")</c>.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder AddChangeNotifications(this OutlookCalendarSyncBuilder builder, IConfiguration configuration)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configuration);
        DurationConverter.Register();
        return AddChangeNotifications(builder, builder.Services.AddOptions<ChangeNotificationOptions>().Bind(configuration));
    }

    private static OutlookCalendarSyncBuilder AddChangeNotifications(OutlookCalendarSyncBuilder builder, OptionsBuilder<ChangeNotificationOptions> options)
    {
        IServiceCollection services = builder.Services;
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangeNotificationOptions>, ChangeNotificationOptionsValidator>());
        TimeProviderClock.TryAdd(services);
        services.TryAddSingleton<ChangeNotificationService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChangeNotificationService>(sp => sp.GetRequiredService<ChangeNotificationService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISyncRunObserver, ChangeNotificationService>(sp => sp.GetRequiredService<ChangeNotificationService>()));
        services.TryAddScoped<SubscriptionManager>();
        services.TryAddSingleton<IGraphNotificationReceiver, GraphNotificationReceiver>();
        return builder;
    }

    /// <summary>Uses a subscription store type, registered scoped: each use resolves its own.</summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseSubscriptionStore<TStore>(this OutlookCalendarSyncBuilder builder)
        where TStore : class, ISubscriptionStore
    {
        Guard.NotNull(builder).Services.Replace(ServiceDescriptor.Scoped<ISubscriptionStore, TStore>());
        return builder;
    }

    /// <summary>Uses a subscription store instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseSubscriptionStore(this OutlookCalendarSyncBuilder builder, ISubscriptionStore store)
    {
        Guard.NotNull(builder).Services.Replace(ServiceDescriptor.Singleton(Guard.NotNull(store)));
        return builder;
    }
}
