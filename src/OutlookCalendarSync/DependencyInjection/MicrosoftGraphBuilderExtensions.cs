using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Internal;

// In this namespace, like AddOutlookCalendarSync, so the builder's Graph methods need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the Microsoft Graph adapter into the sync.</summary>
public static class MicrosoftGraphBuilderExtensions
{
    /// <summary>
    /// Uses users' Outlook calendars through Microsoft Graph as the remote side. The HTTP client comes from
    /// <c>IHttpClientFactory</c> (named <c>OutlookCalendarSync.Graph</c>) with the Graph SDK's default middleware (retry on
    /// 429/503/504 honouring <c>Retry-After</c>, redirects, compression, telemetry). Plug the access tokens with
    /// <see cref="UseAccessTokenProvider{TProvider}(OutlookCalendarSyncBuilder)"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configure">Sets the Graph options; validated when the app starts.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Calling it twice is harmless: both <paramref name="configure"/> delegates run and the adapter is registered once.</remarks>
    public static OutlookCalendarSyncBuilder UseMicrosoftGraph(this OutlookCalendarSyncBuilder builder, Action<MicrosoftGraphOptions>? configure = null)
    {
        Guard.NotNull(builder);
        IServiceCollection services = builder.Services;
        OptionsBuilder<MicrosoftGraphOptions> options = services.AddOptions<MicrosoftGraphOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MicrosoftGraphOptions>, MicrosoftGraphOptionsValidator>());
        services.AddHttpClient(GraphOutlookCalendar.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => GraphClientFactory.CreatePipeline(
                GraphHttpPipeline.CreateHandlers(sp.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value, sp.GetRequiredService<TimeProvider>()),
                new HttpClientHandler()));
        services.TryAddSingleton(TimeProvider.System);
        // Scoped like the other ports: each run gets its adapter (and the host's token provider, when that is scoped).
        services.Replace(ServiceDescriptor.Scoped<IOutlookCalendar>(sp =>
        {
            IHttpClientFactory factory = sp.GetRequiredService<IHttpClientFactory>();
            return new GraphOutlookCalendar(
                sp.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value,
                sp.GetRequiredService<IUserAccessTokenProvider>(),
                () => factory.CreateClient(GraphOutlookCalendar.HttpClientName),
                sp.GetRequiredService<TimeProvider>());
        }));
        return builder;
    }

    /// <summary>Uses an access token provider type, registered as a singleton, for the Graph adapter.</summary>
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
}
