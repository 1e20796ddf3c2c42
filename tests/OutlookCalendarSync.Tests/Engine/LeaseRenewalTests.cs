using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Engine;

/// <summary>A run renews its lease while it works: a long run keeps the user, a lost lease stops the run's writes.</summary>
public sealed class LeaseRenewalTests
{
    private const string User = "alice";
    private static readonly Duration Lease = Duration.FromMinutes(1);

    [Fact]
    public async Task SyncAsync_RunLongerThanTheLease_KeepsTheLeaseUntilItEnds()
    {
        var clock = new FakeClock(TestEvents.Now);
        var time = new FakeTimeProvider(TestEvents.Now.ToDateTimeOffset());
        var states = new CountingRenewals(new InMemorySyncStateStore(clock));
        var calendar = new BlockingCalendarStore(new InMemoryCalendarStore(clock));
        ISyncEngine engine = Build(clock, time, calendar, states);
        calendar.Inner.AddByUser(User, TestEvents.Meeting("Planning"));

        Task<SyncResult> longRun = engine.SyncAsync(User);
        await calendar.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (int second = 0; second < 150; second++)
        {
            clock.Advance(Duration.FromSeconds(1));
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(2);
        }

        SyncResult overlapping = await engine.SyncAsync(User);
        calendar.Release.SetResult();
        SyncResult result = await longRun.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SyncRunStatus.AlreadyRunning, overlapping.Status);
        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.True(states.Renewals >= 6, $"{states.Renewals} renewals in 150 s of a 60 s lease");
        Assert.Equal(SyncRunStatus.NothingNew, (await engine.SyncAsync(User)).Status);
    }

    [Fact]
    public async Task SyncAsync_LeaseLostDuringTheRun_StopsWritingAndReportsIt()
    {
        var clock = new FakeClock(TestEvents.Now);
        var time = new FakeTimeProvider(TestEvents.Now.ToDateTimeOffset());
        var states = new CountingRenewals(new InMemorySyncStateStore(clock)) { RefuseRenewals = true };
        var calendar = new BlockingCalendarStore(new InMemoryCalendarStore(clock));
        var outlook = new InMemoryOutlookCalendar(clock);
        ISyncEngine engine = Build(clock, time, calendar, states, outlook);
        calendar.Inner.AddByUser(User, TestEvents.Meeting("Planning"));

        Task<SyncResult> run = engine.SyncAsync(User);
        await calendar.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(20));
        SyncResult result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SyncRunStatus.Failed, result.Status);
        Assert.Contains("lost its lease", result.Message, StringComparison.Ordinal);
        Assert.Empty(outlook.GetAll(User));
    }

    private static ISyncEngine Build(IClock clock, TimeProvider time, ICalendarStore calendar, ISyncStateStore states, IOutlookCalendar? outlook = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton(new LeaseRenewalTimer(time));
        services.AddOutlookCalendarSync(o => o.LeaseDuration = Lease)
            .UseCalendarStore(calendar)
            .UseOutlookCalendar(outlook ?? new InMemoryOutlookCalendar(clock))
            .UseSyncStateStore(states);
        return services.BuildServiceProvider().GetRequiredService<ISyncEngine>();
    }

    /// <summary>A host calendar whose first feed read waits for the test, as a slow host database would.</summary>
    private sealed class BlockingCalendarStore(InMemoryCalendarStore inner) : ICalendarStore
    {
        private int _calls;

        public InMemoryCalendarStore Inner => inner;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.SetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await inner.GetChangesAsync(userId, cursor, window, cancellationToken);
        }

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, cancellationToken);

        public Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken) => inner.CreateAsync(userId, create, cancellationToken);

        public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
            => inner.UpdateAsync(userId, update, cancellationToken);

        public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken) => inner.DeleteAsync(userId, deletion, cancellationToken);
    }

    /// <summary>Counts lease renewals, or refuses them as a store does when another holder took the lease.</summary>
    private sealed class CountingRenewals(ISyncStateStore inner) : ISyncStateStore
    {
        private int _renewals;

        public bool RefuseRenewals { get; init; }

        public int Renewals => _renewals;

        public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _renewals);
            return RefuseRenewals ? Task.FromResult<SyncLease?>(null) : inner.RenewLeaseAsync(lease, duration, cancellationToken);
        }

        public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken) => inner.GetHeaderAsync(userId, cancellationToken);

        public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken) => inner.GetLinksAsync(userId, cancellationToken);

        public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
            => inner.FindLinksAsync(userId, hostIds, outlookIds, cancellationToken);

        public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken) => inner.SaveAsync(changes, cancellationToken);

        public Task DeleteAsync(string userId, CancellationToken cancellationToken) => inner.DeleteAsync(userId, cancellationToken);

        public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken) => inner.GetUsersDueAsync(now, limit, cancellationToken);

        public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(userId, duration, cancellationToken);

        public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(lease, cancellationToken);
    }
}
