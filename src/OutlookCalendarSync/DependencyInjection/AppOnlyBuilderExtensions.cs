using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Internal;

// In this namespace, like AddOutlookCalendarSync, so the builder's methods need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs app-only mode into the sync: client-credentials tokens per tenant and the host's user-to-mailbox mapping.</summary>
public static class AppOnlyBuilderExtensions
{
    /// <summary>
    /// Syncs the users the <see cref="IMailboxDirectory"/> maps to a mailbox with application permissions: one client-credentials
    /// token per tenant (MSAL's confidential client, certificate preferred), and Graph's <c>/users/{mailbox}/…</c> routes. Users it
    /// maps to no mailbox stay delegated (their own connection), so one host and one scheduler serve both.
    /// </summary>
    /// <param name="builder">The builder <c>AddOutlookCalendarSync</c> returned.</param>
    /// <param name="configure">Sets the app registration; validated when the app starts.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Needs <c>UseMicrosoftGraph()</c> and <c>UseMailboxDirectory(...)</c>. Registers <see cref="IAppOnlyAuthorization"/> (the
    /// admin-consent URL, its callback and each tenant's status). Calling it twice is harmless: both delegates run.
    /// </remarks>
    public static OutlookCalendarSyncBuilder UseAppOnly(this OutlookCalendarSyncBuilder builder, Action<AppOnlyOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        return AddAppOnly(builder, builder.Services.AddOptions<AppOnlyOptions>().Configure(configure));
    }

    /// <summary>
    /// Syncs mapped users with application permissions like <see cref="UseAppOnly(OutlookCalendarSyncBuilder, Action{AppOnlyOptions})"/>,
    /// with the options bound from a configuration section (<c>ClientId</c>, <c>ClientSecret</c>, <c>AuthorityHost</c>, ...; a
    /// certificate is set in code).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("OutlookCalendarSync:AppOnly")</c>.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseAppOnly(this OutlookCalendarSyncBuilder builder, IConfiguration configuration)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configuration);
        return AddAppOnly(builder, builder.Services.AddOptions<AppOnlyOptions>().Bind(configuration));
    }

    /// <summary>
    /// Keeps the tenants' consent statuses in a store every server shares (one registered by <c>UseSqliteStores</c> or
    /// <c>UsePostgreSqlStores</c> already is); without one they live in each process's memory.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store, checked by <c>TenantConsentStoreContract</c> (OutlookCalendarSync.Specification.Tests).</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseTenantConsentStore(this OutlookCalendarSyncBuilder builder, ITenantConsentStore store)
    {
        Guard.NotNull(builder).Services.Replace(ServiceDescriptor.Singleton(Guard.NotNull(store)));
        return builder;
    }

    /// <summary>Uses a mailbox directory type, registered scoped: each run resolves its own (it may use a scoped <c>DbContext</c>).</summary>
    /// <typeparam name="TDirectory">The directory.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseMailboxDirectory<TDirectory>(this OutlookCalendarSyncBuilder builder)
        where TDirectory : class, IMailboxDirectory
    {
        Guard.NotNull(builder).Services.Replace(ServiceDescriptor.Scoped<IMailboxDirectory, TDirectory>());
        return builder;
    }

    /// <summary>Uses a mailbox directory instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The directory.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseMailboxDirectory(this OutlookCalendarSyncBuilder builder, IMailboxDirectory directory)
    {
        Guard.NotNull(builder).Services.Replace(ServiceDescriptor.Singleton(Guard.NotNull(directory)));
        return builder;
    }

    /// <summary>
    /// Uses a function as the mailbox directory: it gets the user id and returns the tenant and mailbox, or
    /// <see langword="null"/> for a delegated user.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="findMailbox">The mapping, such as <c>(userId, ct) =&gt; ValueTask.FromResult&lt;AppOnlyMailbox?&gt;(new("contoso.com", userId + "@contoso.com"))</c>.</param>
    /// <returns>The builder.</returns>
    public static OutlookCalendarSyncBuilder UseMailboxDirectory(this OutlookCalendarSyncBuilder builder, Func<string, CancellationToken, ValueTask<AppOnlyMailbox?>> findMailbox) =>
        UseMailboxDirectory(builder, new DelegateMailboxDirectory(Guard.NotNull(findMailbox)));

    private static OutlookCalendarSyncBuilder AddAppOnly(OutlookCalendarSyncBuilder builder, OptionsBuilder<AppOnlyOptions> options)
    {
        IServiceCollection services = builder.Services;
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AppOnlyOptions>, AppOnlyOptionsValidator>());
        TimeProviderClock.TryAdd(services);
        services.TryAddSingleton<ITenantConsentStore, InMemoryTenantConsentStore>();
        services.TryAddSingleton<AppOnlyTokenProvider>();
        services.TryAddSingleton<IAppOnlyAuthorization>(sp => new AppOnlyAuthorization(
            sp.GetRequiredService<AppOnlyTokenProvider>(), sp.GetRequiredService<IClock>(), ConsentStateProtection(sp), sp.GetRequiredService<ILogger<AppOnlyAuthorization>>()));
        services.TryAddScoped<AppOnlyMailboxes>();
        return builder;
    }

    /// <summary>
    /// Protects the admin-consent states: the host's Data Protection (shared by the farm like the token caches), else the
    /// <see cref="MicrosoftAccountOptions.KeyRingDirectory"/>, else a key of this process only (its URLs complete only on it).
    /// </summary>
    private static IDataProtectionProvider ConsentStateProtection(IServiceProvider sp) =>
        sp.GetService<IDataProtectionProvider>()
        ?? (sp.GetService<IOptions<MicrosoftAccountOptions>>()?.Value.KeyRingDirectory is not null && sp.GetService<FolderKeyRing>() is { } folder
            ? folder.Provider
            : new EphemeralDataProtectionProvider(sp.GetRequiredService<ILoggerFactory>()));

    private sealed class DelegateMailboxDirectory(Func<string, CancellationToken, ValueTask<AppOnlyMailbox?>> findMailbox) : IMailboxDirectory
    {
        public ValueTask<AppOnlyMailbox?> FindMailboxAsync(string userId, CancellationToken cancellationToken) => findMailbox(userId, cancellationToken);
    }
}
