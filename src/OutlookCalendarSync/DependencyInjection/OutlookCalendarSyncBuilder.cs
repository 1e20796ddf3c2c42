using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.DependencyInjection;

/// <summary>Plugs the stores, the Outlook calendar and the conflict resolver into the sync; returned by <c>AddOutlookCalendarSync</c>.</summary>
/// <remarks>Each <c>Use…</c> call replaces what was registered for that port before, so the last call wins.</remarks>
public sealed class OutlookCalendarSyncBuilder
{
    internal OutlookCalendarSyncBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for extensions of other packages (SQLite stores, the Graph adapter).</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses a host calendar store type, registered as a singleton.</summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseCalendarStore<TStore>()
        where TStore : class, ICalendarStore
        => Replace<ICalendarStore, TStore>();

    /// <summary>Uses a host calendar store instance.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseCalendarStore(ICalendarStore store) => Replace(Guard.NotNull(store));

    /// <summary>Uses an Outlook calendar type, registered as a singleton.</summary>
    /// <typeparam name="TCalendar">The calendar.</typeparam>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseOutlookCalendar<TCalendar>()
        where TCalendar : class, IOutlookCalendar
        => Replace<IOutlookCalendar, TCalendar>();

    /// <summary>Uses an Outlook calendar instance.</summary>
    /// <param name="calendar">The calendar.</param>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseOutlookCalendar(IOutlookCalendar calendar) => Replace(Guard.NotNull(calendar));

    /// <summary>Uses a sync state store type, registered as a singleton.</summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseSyncStateStore<TStore>()
        where TStore : class, ISyncStateStore
        => Replace<ISyncStateStore, TStore>();

    /// <summary>Uses a sync state store instance.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseSyncStateStore(ISyncStateStore store) => Replace(Guard.NotNull(store));

    /// <summary>Uses a token store type, registered as a singleton.</summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseTokenStore<TStore>()
        where TStore : class, ITokenStore
        => Replace<ITokenStore, TStore>();

    /// <summary>Uses a token store instance.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseTokenStore(ITokenStore store) => Replace(Guard.NotNull(store));

    /// <summary>
    /// Uses a pending-sign-in store type, resolved from a new scope for each sign-in, instead of the default in-memory one: the
    /// callback of a sign-in then completes on any server that shares the store.
    /// </summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UsePendingSignInStore<TStore>()
        where TStore : class, IPendingSignInStore
        => Replace<IPendingSignInStore, TStore>();

    /// <summary>Uses a pending-sign-in store instance instead of the default in-memory one.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UsePendingSignInStore(IPendingSignInStore store) => Replace(Guard.NotNull(store));

    /// <summary>Uses a conflict resolver type instead of the default three-way merge.</summary>
    /// <typeparam name="TResolver">The resolver.</typeparam>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseConflictResolver<TResolver>()
        where TResolver : class, IConflictResolver
        => Replace<IConflictResolver, TResolver>();

    /// <summary>Uses a conflict resolver instance instead of the default three-way merge.</summary>
    /// <param name="resolver">The resolver.</param>
    /// <returns>This builder.</returns>
    public OutlookCalendarSyncBuilder UseConflictResolver(IConflictResolver resolver) => Replace(Guard.NotNull(resolver));

    private OutlookCalendarSyncBuilder Replace<TService, TImplementation>()
        where TService : class
        where TImplementation : class, TService
    {
        // Scoped: a store built on a scoped service (an EF Core DbContext) gets its own instance per run; the engine resolves the
        // ports from a new scope for every call.
        Services.Replace(ServiceDescriptor.Scoped<TService, TImplementation>());
        return this;
    }

    private OutlookCalendarSyncBuilder Replace<TService>(TService instance)
        where TService : class
    {
        Services.Replace(ServiceDescriptor.Singleton(instance));
        return this;
    }
}
