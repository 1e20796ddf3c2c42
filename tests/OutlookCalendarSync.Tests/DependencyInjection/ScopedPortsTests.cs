using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.DependencyInjection;

/// <summary>Ports a host registers by type are scoped: each call of the engine gets its own, as an EF Core store needs.</summary>
public sealed class ScopedPortsTests
{
    [Fact]
    public async Task SyncAsync_StoresOnAScopedContext_EachRunHasItsOwnContextDisposedAfterIt()
    {
        var clock = new FakeClock(TestEvents.Now);
        var calendar = new InMemoryCalendarStore(clock);
        var states = new InMemorySyncStateStore(clock);
        var contexts = new ContextLog();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddSingleton(calendar);
        services.AddSingleton(states);
        services.AddSingleton(contexts);
        services.AddScoped<FakeDbContext>();
        services.AddOutlookCalendarSync()
            .UseCalendarStore<ContextCalendarStore>()
            .UseSyncStateStore<ContextStateStore>()
            .UseOutlookCalendar(new InMemoryOutlookCalendar(clock));
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        ISyncEngine engine = provider.GetRequiredService<ISyncEngine>();
        string[] users = ["ada", "bob", "cy", "dee"];
        foreach (string user in users)
        {
            calendar.AddByUser(user, TestEvents.Meeting($"{user}'s planning"));
        }

        SyncResult[] results = await Task.WhenAll(users.Select(user => Task.Run(() => engine.SyncAsync(user))));
        await engine.PauseAsync("ada");

        Assert.All(results, r => Assert.Equal(SyncRunStatus.Synced, r.Status));
        Assert.Equal(SyncStatus.Paused, (await engine.GetStatusAsync("ada")).Status);
        Assert.Equal(users.Length + 2, contexts.Created.Count);
        Assert.All(contexts.Created, c => Assert.True(c.IsDisposed));
        Assert.Equal(0, contexts.ConcurrentUses);
    }

    [Fact]
    public void UseCalendarStoreOfType_RegistersItScoped()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync().UseCalendarStore<ContextCalendarStore>().UseSyncStateStore<ContextStateStore>();

        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(services, d => d.ServiceType == typeof(ICalendarStore)).Lifetime);
        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(services, d => d.ServiceType == typeof(ISyncStateStore)).Lifetime);
        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(ISyncEngine)).Lifetime);
    }

    /// <summary>Every context made, and how often one was used by two callers at once (an EF Core DbContext forbids it).</summary>
    private sealed class ContextLog
    {
        private int _concurrentUses;

        public System.Collections.Concurrent.ConcurrentBag<FakeDbContext> Created { get; } = [];

        public int ConcurrentUses => _concurrentUses;

        public void RecordConcurrentUse() => Interlocked.Increment(ref _concurrentUses);
    }

    /// <summary>Stands for a scoped EF Core DbContext: one caller at a time, unusable once disposed.</summary>
    private sealed class FakeDbContext : IDisposable
    {
        private readonly ContextLog _log;
        private int _inUse;

        public FakeDbContext(ContextLog log)
        {
            _log = log;
            log.Created.Add(this);
        }

        public bool IsDisposed { get; private set; }

        public async Task<T> UseAsync<T>(Func<Task<T>> work)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (Interlocked.Exchange(ref _inUse, 1) == 1)
            {
                _log.RecordConcurrentUse();
            }

            try
            {
                await Task.Yield();
                return await work();
            }
            finally
            {
                Volatile.Write(ref _inUse, 0);
            }
        }

        public void Dispose() => IsDisposed = true;
    }

    private sealed class ContextCalendarStore(FakeDbContext context, InMemoryCalendarStore inner) : ICalendarStore
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
            => context.UseAsync(() => inner.GetChangesAsync(userId, cursor, window, cancellationToken));

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken)
            => context.UseAsync(() => inner.GetAsync(userId, eventId, cancellationToken));

        public Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken)
            => context.UseAsync(() => inner.CreateAsync(userId, create, cancellationToken));

        public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
            => context.UseAsync(() => inner.UpdateAsync(userId, update, cancellationToken));

        public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken)
            => context.UseAsync(async () => { await inner.DeleteAsync(userId, deletion, cancellationToken); return true; });
    }

    private sealed class ContextStateStore(FakeDbContext context, InMemorySyncStateStore inner) : ISyncStateStore
    {
        public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken) => context.UseAsync(() => inner.GetHeaderAsync(userId, cancellationToken));

        public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken) => context.UseAsync(() => inner.GetLinksAsync(userId, cancellationToken));

        public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
            => context.UseAsync(() => inner.FindLinksAsync(userId, hostIds, outlookIds, cancellationToken));

        public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken) => context.UseAsync(() => inner.SaveAsync(changes, cancellationToken));

        public Task DeleteAsync(string userId, CancellationToken cancellationToken) => context.UseAsync(async () => { await inner.DeleteAsync(userId, cancellationToken); return true; });

        public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken) => context.UseAsync(() => inner.GetUsersDueAsync(now, limit, cancellationToken));

        public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken) => context.UseAsync(() => inner.TryAcquireLeaseAsync(userId, duration, cancellationToken));

        public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken) => context.UseAsync(() => inner.RenewLeaseAsync(lease, duration, cancellationToken));

        public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken) => context.UseAsync(async () => { await inner.ReleaseLeaseAsync(lease, cancellationToken); return true; });
    }
}
