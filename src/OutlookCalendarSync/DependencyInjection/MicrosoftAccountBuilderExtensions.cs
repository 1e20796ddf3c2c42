using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Stores;

// In this namespace, like AddOutlookCalendarSync, so the builder's methods need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the Microsoft account connection (MSAL authorization-code flow with PKCE) into the sync.</summary>
public static class MicrosoftAccountBuilderExtensions
{
    /// <summary>
    /// Lets users connect their Microsoft account (<see cref="IMicrosoftAccountAuthorization"/>; on their own device without the
    /// secret, <see cref="IPublicClientSignIn"/>) and gives the Graph adapter
    /// their access tokens from MSAL, each user's token cache encrypted with ASP.NET Core Data Protection in the
    /// <see cref="ITokenStore"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configure">Sets the app registration; validated when the app starts.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Replaces the access token provider (the last <c>UseAccessTokenProvider</c> or <c>UseMicrosoftAccount</c> call wins).
    /// Needs a token store, a sync state store, and the host's <c>IDataProtectionProvider</c> or
    /// <see cref="MicrosoftAccountOptions.KeyRingDirectory"/>. Pending sign-ins are kept in memory (at most
    /// <see cref="MicrosoftAccountOptions.MaxPendingSignIns"/>) unless an <see cref="IPendingSignInStore"/> is registered
    /// (<c>UseSqliteStores</c>, <c>UsePostgreSqlStores</c> or <c>UsePendingSignInStore</c>), before or after this call.
    /// </remarks>
    public static OutlookCalendarSyncBuilder UseMicrosoftAccount(this OutlookCalendarSyncBuilder builder, Action<MicrosoftAccountOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        return AddMicrosoftAccount(builder, builder.Services.AddOptions<MicrosoftAccountOptions>().Configure(configure));
    }

    /// <summary>
    /// Lets users connect their Microsoft account like
    /// <see cref="UseMicrosoftAccount(OutlookCalendarSyncBuilder, Action{MicrosoftAccountOptions})"/>, with the app registration
    /// bound from a configuration section (keys named after <see cref="MicrosoftAccountOptions"/>' properties).
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync:MicrosoftAccount")</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Keep <see cref="MicrosoftAccountOptions.ClientSecret"/> out of appsettings.json: user secrets, environment variables or a
    /// key vault feed the same section. Scopes listed in the section are added to the default ones.
    /// <see cref="MicrosoftAccountOptions.SignInLifetime"/> is written as a TimeSpan (<c>"00:10:00"</c>).
    /// </remarks>
    public static OutlookCalendarSyncBuilder UseMicrosoftAccount(this OutlookCalendarSyncBuilder builder, IConfiguration configuration)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configuration);
        return AddMicrosoftAccount(builder, builder.Services.AddOptions<MicrosoftAccountOptions>().Bind(configuration));
    }

    private static OutlookCalendarSyncBuilder AddMicrosoftAccount(OutlookCalendarSyncBuilder builder, OptionsBuilder<MicrosoftAccountOptions> registration)
    {
        IServiceCollection services = builder.Services;
        DurationConverter.Register();
        registration.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MicrosoftAccountOptions>, MicrosoftAccountOptionsValidator>());
        TimeProviderClock.TryAdd(services);
        services.TryAddSingleton<MsalClientFactory>();
        services.TryAddSingleton(sp => new ProtectedTokenStore(sp.GetRequiredService<IServiceScopeFactory>(), DataProtection(sp)));
        services.TryAddSingleton(sp => new PendingSignIns(sp.GetRequiredService<IServiceScopeFactory>(), DataProtection(sp)));

        // In memory unless a store package or the host registered a shared one (before or after this call).
        services.TryAddSingleton<IPendingSignInStore>(sp => new InMemoryPendingSignInStore(
            sp.GetRequiredService<IClock>(), sp.GetRequiredService<IOptions<MicrosoftAccountOptions>>().Value.MaxPendingSignIns));
        services.TryAddSingleton(sp => new FolderKeyRing(sp.GetRequiredService<IOptions<MicrosoftAccountOptions>>().Value.KeyRingDirectory!));
        services.TryAddSingleton<IMicrosoftAccountAuthorization, MicrosoftAccountAuthorization>();
        services.TryAddSingleton<IPublicClientSignIn, PublicClientSignIn>();
        services.TryAddSingleton<MsalUserAccessTokenProvider>();
        services.Replace(ServiceDescriptor.Singleton<IUserAccessTokenProvider>(sp => sp.GetRequiredService<MsalUserAccessTokenProvider>()));
        return builder;
    }

    private static IDataProtectionProvider DataProtection(IServiceProvider sp) =>
        sp.GetService<IDataProtectionProvider>()
        ?? (sp.GetRequiredService<IOptions<MicrosoftAccountOptions>>().Value.KeyRingDirectory is not null
            ? sp.GetRequiredService<FolderKeyRing>().Provider
            : throw new InvalidOperationException("No IDataProtectionProvider is registered: call services.AddDataProtection(), or set MicrosoftAccountOptions.KeyRingDirectory."));
}
