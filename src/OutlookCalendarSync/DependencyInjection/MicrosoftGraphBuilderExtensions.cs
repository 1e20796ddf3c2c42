using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Internal;

// In this namespace, like AddOutlookCalendarSync, so the builder's Graph methods need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the Microsoft Graph adapter into the sync.</summary>
public static class MicrosoftGraphBuilderExtensions
{
    /// <summary>
    /// The name of the <c>IHttpClientFactory</c> client that carries the Graph requests: <c>OutlookCalendarSync.Graph</c>.
    /// </summary>
    /// <remarks>
    /// Its requests are not logged by default (the factory would log each one at Information). To log them, after
    /// <c>UseMicrosoftGraph</c>: <c>services.AddHttpClient(MicrosoftGraphBuilderExtensions.HttpClientName).AddDefaultLogger();</c>
    /// — the log categories are then <c>System.Net.Http.HttpClient.OutlookCalendarSync.Graph.*</c>.
    /// </remarks>
    public const string HttpClientName = GraphOutlookCalendar.HttpClientName;

    /// <summary>
    /// Uses users' Outlook calendars through Microsoft Graph as the remote side. The HTTP client comes from
    /// <c>IHttpClientFactory</c> (named <see cref="HttpClientName"/>) with the Graph SDK's default middleware (retry on
    /// 429/503/504 honouring <c>Retry-After</c>, redirects, compression, telemetry), without the factory's request logs (see
    /// <see cref="HttpClientName"/> to turn them on). Plug the access tokens with
    /// <see cref="UseAccessTokenProvider{TProvider}(OutlookCalendarSyncBuilder)"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configure">Sets the Graph options; validated when the app starts.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Calling it twice is harmless: both <paramref name="configure"/> delegates run and the adapter is registered once.</remarks>
    public static OutlookCalendarSyncBuilder UseMicrosoftGraph(this OutlookCalendarSyncBuilder builder, Action<MicrosoftGraphOptions>? configure = null)
    {
        Guard.NotNull(builder);
        OptionsBuilder<MicrosoftGraphOptions> options = builder.Services.AddOptions<MicrosoftGraphOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddGraph(builder, options);
    }

    /// <summary>
    /// Uses Microsoft Graph like <see cref="UseMicrosoftGraph(OutlookCalendarSyncBuilder, Action{MicrosoftGraphOptions})"/>, with
    /// the options bound from a configuration section (keys named after <see cref="MicrosoftGraphOptions"/>' properties).
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync:Graph")</c>.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseMicrosoftGraph(this OutlookCalendarSyncBuilder builder, IConfiguration configuration)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configuration);
        return AddGraph(builder, builder.Services.AddOptions<MicrosoftGraphOptions>().Bind(configuration));
    }

    /// <summary>Uses an access token provider type for the Graph adapter, registered scoped: each run resolves its own.</summary>
    /// <typeparam name="TProvider">The provider.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseAccessTokenProvider<TProvider>(this OutlookCalendarSyncBuilder builder)
        where TProvider : class, IUserAccessTokenProvider
    {
        Guard.NotNull(builder).Services.Replace(ServiceDescriptor.Scoped<IUserAccessTokenProvider, TProvider>());
        return builder;
    }

    /// <summary>Uses an access token provider instance for the Graph adapter.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseAccessTokenProvider(this OutlookCalendarSyncBuilder builder, IUserAccessTokenProvider provider)
    {
        Guard.NotNull(builder).Services.Replace(ServiceDescriptor.Singleton(Guard.NotNull(provider)));
        return builder;
    }

    private static OutlookCalendarSyncBuilder AddGraph(OutlookCalendarSyncBuilder builder, OptionsBuilder<MicrosoftGraphOptions> options)
    {
        IServiceCollection services = builder.Services;
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MicrosoftGraphOptions>, MicrosoftGraphOptionsValidator>());
        // The factory logs every request and response at Information: too loud for a sync of many users. Hosts opt in.
        services.AddHttpClient(GraphOutlookCalendar.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => GraphClientFactory.CreatePipeline(
                GraphHttpPipeline.CreateHandlers(sp.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value, sp.GetRequiredService<TimeProvider>()),
                new HttpClientHandler()))
            .RemoveAllLoggers();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GraphCreatedStamps>();

        // Scoped like the other ports: each run gets its adapter (and the host's token provider, when that is scoped).
        services.Replace(ServiceDescriptor.Scoped<IOutlookCalendar>(sp =>
        {
            IHttpClientFactory factory = sp.GetRequiredService<IHttpClientFactory>();
            return new GraphOutlookCalendar(
                sp.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value,
                sp.GetService<IUserAccessTokenProvider>() ?? NoDelegatedAccessTokens.Instance,
                () => factory.CreateClient(GraphOutlookCalendar.HttpClientName),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<GraphCreatedStamps>(),
                sp.GetService<AppOnlyMailboxes>(),
                OutlookBatchSize(sp));
        }));
        return builder;
    }

    /// <summary>
    /// The engine's <see cref="global::OutlookCalendarSync.OutlookCalendarSyncOptions.OutlookBatchSize"/>, configured as the options
    /// factory would but without the engine's validation: the adapter is also resolved where no engine runs (a tool reading a
    /// mailbox registers no stores), and that validation would refuse it for stores it never uses.
    /// </summary>
    private static int OutlookBatchSize(IServiceProvider services)
    {
        var options = new global::OutlookCalendarSync.OutlookCalendarSyncOptions();
        foreach (IConfigureOptions<global::OutlookCalendarSync.OutlookCalendarSyncOptions> setup in services.GetServices<IConfigureOptions<global::OutlookCalendarSync.OutlookCalendarSyncOptions>>())
        {
            if (setup is IConfigureNamedOptions<global::OutlookCalendarSync.OutlookCalendarSyncOptions> named)
            {
                named.Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
            }
            else
            {
                setup.Configure(options);
            }
        }

        foreach (IPostConfigureOptions<global::OutlookCalendarSync.OutlookCalendarSyncOptions> setup in services.GetServices<IPostConfigureOptions<global::OutlookCalendarSync.OutlookCalendarSyncOptions>>())
        {
            setup.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, options);
        }

        return options.OutlookBatchSize;
    }
}
