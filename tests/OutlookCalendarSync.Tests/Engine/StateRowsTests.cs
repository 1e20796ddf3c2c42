using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Tests.Contracts;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Engine;

/// <summary>The engine through the state port: runs save the links they changed, as row changes, on any store.</summary>
public sealed class StateRowsTests
{
    private const string User = "alice";

    [Fact]
    public async Task SyncAsync_OneEditAmongTwenty_EverySaveWritesOnlyThatLink()
    {
        var clock = new FakeClock(TestEvents.Now);
        var local = new InMemoryCalendarStore(clock);
        var recording = new RecordingStateStore(new DictionaryRowsSyncStateStore(clock));
        ISyncEngine engine = Build(clock, local, new InMemoryOutlookCalendar(clock), recording);
        CalendarEvent[] events = Enumerable.Range(0, 20).Select(i => local.AddByUser(User, TestEvents.Meeting($"Meeting {i}", day: 1 + (i % 10)))).ToArray();
        await engine.SyncAsync(User);
        clock.Advance(Duration.FromMinutes(5));
        local.UpdateByUser(User, events[7].Id!, e => e with { Location = "Room 9" });
        recording.Saves.Clear();

        SyncResult result = await engine.SyncAsync(User);

        // The journal (the write about to be sent, then its outcome) names the one changed link; the final save is the header.
        Assert.Equal(1, result.Outlook.Updated);
        Assert.True(recording.Saves.Count > 1);
        Assert.All(recording.Saves[..^1], save =>
        {
            Assert.Equal(events[7].Id, Assert.Single(save.UpsertedLinks).HostId);
            Assert.Empty(save.DeletedHostIds);
        });
        Assert.Equal((0, 0), (recording.Saves[^1].UpsertedLinks.Count, recording.Saves[^1].DeletedHostIds.Count));
        Assert.Equal("""{"v":1,"links":20}""", recording.Saves[^1].Header.EngineData);
        Assert.Equal(20, (await recording.GetLinksAsync(User, default)).Count);
    }

    [Fact]
    public async Task SyncAsync_OneEditAmongTwenty_ReadsOnlyThatLinkNeverTheTable()
    {
        var clock = new FakeClock(TestEvents.Now);
        var local = new InMemoryCalendarStore(clock);
        var recording = new RecordingStateStore(new DictionaryRowsSyncStateStore(clock));
        ISyncEngine engine = Build(clock, local, new InMemoryOutlookCalendar(clock), recording);
        CalendarEvent[] events = Enumerable.Range(0, 20).Select(i => local.AddByUser(User, TestEvents.Meeting($"Meeting {i}", day: 1 + (i % 10)))).ToArray();
        await engine.SyncAsync(User);
        clock.Advance(Duration.FromMinutes(5));
        await engine.SyncAsync(User);
        local.UpdateByUser(User, events[7].Id!, e => e with { Location = "Room 9" });
        recording.LinkTableReads = 0;
        recording.FoundHostIds.Clear();
        recording.FoundOutlookIds.Clear();

        SyncResult result = await engine.SyncAsync(User);

        Assert.Equal(1, result.Outlook.Updated);
        Assert.Equal(0, recording.LinkTableReads);
        Assert.Equal([events[7].Id!], recording.FoundHostIds);
        Assert.Empty(recording.FoundOutlookIds);
    }

    [Fact]
    public async Task SyncAsync_StateWithoutLinkCount_LoadsTheTableOnceThenOnlyTouchedLinks()
    {
        var clock = new FakeClock(TestEvents.Now);
        var local = new InMemoryCalendarStore(clock);
        var recording = new RecordingStateStore(new DictionaryRowsSyncStateStore(clock));
        ISyncEngine engine = Build(clock, local, new InMemoryOutlookCalendar(clock), recording);
        CalendarEvent[] events = Enumerable.Range(0, 12).Select(i => local.AddByUser(User, TestEvents.Meeting($"Meeting {i}", day: 1 + i))).ToArray();
        await engine.SyncAsync(User);
        clock.Advance(Duration.FromMinutes(5));
        await engine.SyncAsync(User);

        // A header as a version that did not count links saved it: no engine data.
        SyncStateHeader saved = (await recording.GetHeaderAsync(User, default))!;
        await recording.SaveAsync(new SyncStateChanges(saved with { EngineData = null }), default);
        recording.LinkTableReads = 0;
        local.DeleteByUser(User, events[0].Id!);

        SyncResult first = await engine.SyncAsync(User);
        int readsOfFirst = recording.LinkTableReads;
        clock.Advance(Duration.FromMinutes(5));
        events.Skip(1).ToList().ForEach(e => local.DeleteByUser(User, e.Id!));
        SyncResult blocked = await engine.SyncAsync(User);

        // The first run reads the table once to learn the count and saves it; the guard of the next run uses it (11 of 11).
        Assert.Equal((SyncRunStatus.Synced, 1), (first.Status, first.Outlook.Deleted));
        Assert.Equal(1, readsOfFirst);
        Assert.Equal(SyncRunStatus.MassDeletionBlocked, blocked.Status);
        Assert.Contains("11 of the 11", blocked.Message);
        Assert.Equal(1, recording.LinkTableReads);
    }

    [Fact]
    public async Task SyncAsync_IncrementalRunWithCreatesAndDeletes_KeepsTheExactLinkCount()
    {
        var clock = new FakeClock(TestEvents.Now);
        var local = new InMemoryCalendarStore(clock);
        var remote = new InMemoryOutlookCalendar(clock);
        var store = new DictionaryRowsSyncStateStore(clock);
        ISyncEngine engine = Build(clock, local, remote, store);
        CalendarEvent[] events = Enumerable.Range(0, 10).Select(i => local.AddByUser(User, TestEvents.Meeting($"Meeting {i}", day: 1 + i))).ToArray();
        await engine.SyncAsync(User);
        clock.Advance(Duration.FromMinutes(5));
        local.DeleteByUser(User, events[0].Id!);
        local.AddByUser(User, TestEvents.Meeting("New here", day: 12));
        remote.AddByUser(User, TestEvents.Meeting("New there", day: 13));
        remote.AddByUser(User, TestEvents.Meeting("Also new there", day: 14));

        await engine.SyncAsync(User);

        SyncStateHeader header = (await store.GetHeaderAsync(User, default))!;
        Assert.Equal(12, (await store.GetLinksAsync(User, default)).Count);
        Assert.Equal(12, SyncState.FromHeader(header).Links.TotalCount);
    }

    [Fact]
    public async Task SyncAsync_FirstSyncOf250OutlookEvents_JournalsTheHostCreatesInChunksOf100()
    {
        var clock = new FakeClock(TestEvents.Now);
        var local = new InMemoryCalendarStore(clock);
        var remote = new InMemoryOutlookCalendar(clock);
        var recording = new RecordingStateStore(new DictionaryRowsSyncStateStore(clock));
        ISyncEngine engine = Build(clock, local, remote, recording);
        for (int i = 0; i < 250; i++)
        {
            remote.AddByUser(User, TestEvents.Meeting($"Meeting {i}", day: 1 + (i % 28), hour: 8 + (i / 28)));
        }

        SyncResult result = await engine.SyncAsync(User);

        // One journal save per chunk of host creates (they need no marker before the write), then the run's final save: the header.
        Assert.Equal(250, result.Host.Created);
        Assert.Equal([100, 100, 50, 0], recording.Saves.Select(save => save.UpsertedLinks.Count));
        Assert.Equal(250, local.GetAll(User).Count);
    }

    [Fact]
    public async Task SyncAsync_CompletedRun_SetsNextSyncAfterTheIntervalAndKeepsOnlyTheLinkCountInEngineData()
    {
        var clock = new FakeClock(TestEvents.Now);
        var local = new InMemoryCalendarStore(clock);
        var store = new DictionaryRowsSyncStateStore(clock);
        ISyncEngine engine = Build(clock, local, new InMemoryOutlookCalendar(clock), store, o => o.SyncInterval = Duration.FromMinutes(7));
        local.AddByUser(User, TestEvents.Meeting("Planning"));
        await engine.SyncAsync(User);
        clock.Advance(Duration.FromMinutes(1));

        // The second run reads again the event the first created (so a deletion right after is not missed), then has nothing left.
        await engine.SyncAsync(User);
        SyncStateHeader header = await engine.GetStatusAsync(User);

        Assert.Equal(header.LastSyncAt + Duration.FromMinutes(7), header.NextSyncAt);
        Assert.Equal("""{"v":1,"links":1}""", header.EngineData);
        Assert.Empty(await store.GetUsersDueAsync(clock.GetCurrentInstant(), 10, default));
        Assert.Equal([User], await store.GetUsersDueAsync(clock.GetCurrentInstant() + Duration.FromMinutes(7), 10, default));
    }

    [Fact]
    public async Task SyncAsync_RunThatTakesTime_IsDueAgainTheIntervalAfterItsStartLessItsDuration()
    {
        // Every reading of the clock moves it a second on, so the run lasts several seconds.
        var clock = new FakeClock(TestEvents.Now) { AutoAdvance = Duration.FromSeconds(1) };
        var local = new InMemoryCalendarStore(clock);
        ISyncEngine engine = Build(clock, local, new InMemoryOutlookCalendar(clock), new DictionaryRowsSyncStateStore(clock), o => o.SyncInterval = Duration.FromMinutes(7));
        local.AddByUser(User, TestEvents.Meeting("Planning"));

        SyncResult result = await engine.SyncAsync(User);
        SyncStateHeader header = await engine.GetStatusAsync(User);

        // A change made just after this run read the calendars is written by the next run, which is due early enough that it ends
        // (if it lasts as long as this one) by this run's start plus the interval.
        Duration duration = header.LastSyncAt!.Value - result.StartedAt;
        Assert.True(duration >= Duration.FromSeconds(2), $"the run lasted {duration}");
        Assert.Equal(result.StartedAt + Duration.FromMinutes(7) - duration, header.NextSyncAt);
    }

    [Fact]
    public async Task SyncAsync_RunLongerThanAQuarterOfTheInterval_IsDueHalfAnIntervalAfterItsEnd_NotBackToBack()
    {
        // Every reading of the clock moves it 5 minutes on: the run lasts far longer than the 10-minute interval.
        var clock = new FakeClock(TestEvents.Now) { AutoAdvance = Duration.FromMinutes(5) };
        var local = new InMemoryCalendarStore(clock);
        ISyncEngine engine = Build(clock, local, new InMemoryOutlookCalendar(clock), new DictionaryRowsSyncStateStore(clock), o => o.SyncInterval = Duration.FromMinutes(10));
        local.AddByUser(User, TestEvents.Meeting("Planning"));

        SyncResult result = await engine.SyncAsync(User);
        SyncStateHeader header = await engine.GetStatusAsync(User);

        Assert.True(header.LastSyncAt!.Value - result.StartedAt > Duration.FromMinutes(10));
        Assert.Equal(header.LastSyncAt + Duration.FromMinutes(5), header.NextSyncAt);
    }

    [Theory]
    [InlineData(0, 0, 600, 600)]
    [InlineData(0, 10, 600, 590)]
    [InlineData(100, 130, 600, 670)]
    [InlineData(0, 150, 600, 450)]
    [InlineData(0, 151, 600, 451)]
    [InlineData(0, 200, 600, 500)]
    [InlineData(0, 400, 600, 700)]
    [InlineData(0, 900, 600, 1200)]
    public void NextDue_IsTheIntervalAfterTheStartLessTheRun_NeverSoonerThanHalfTheIntervalAfterTheEnd(int started, int finished, int interval, int expected)
    {
        Instant origin = TestEvents.Now;
        Instant Seconds(int s) => origin + Duration.FromSeconds(s);

        Assert.Equal(Seconds(expected), SyncEngine.NextDue(Seconds(started), Seconds(finished), Duration.FromSeconds(interval)));
    }

    [Fact]
    public async Task GetStatusAsync_NeverSynced_ReturnsActiveHeaderAtRevisionZero()
    {
        var clock = new FakeClock(TestEvents.Now);
        ISyncEngine engine = Build(clock, new InMemoryCalendarStore(clock), new InMemoryOutlookCalendar(clock), new DictionaryRowsSyncStateStore(clock));

        SyncStateHeader header = await engine.GetStatusAsync(User);

        Assert.Equal((User, 0L, SyncStatus.Active, true), (header.UserId, header.Revision, header.Status, header.IsFirstSync));
    }

    private static ISyncEngine Build(IClock clock, ICalendarStore local, IOutlookCalendar remote, ISyncStateStore state, Action<OutlookCalendarSyncOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddOutlookCalendarSync(o => configure?.Invoke(o)).UseCalendarStore(local).UseOutlookCalendar(remote).UseSyncStateStore(state);
        return services.BuildServiceProvider().GetRequiredService<ISyncEngine>();
    }

    /// <summary>A store that records every save it passes on.</summary>
    private sealed class RecordingStateStore(ISyncStateStore inner) : ISyncStateStore
    {
        public List<SyncStateChanges> Saves { get; } = [];

        public int LinkTableReads { get; set; }

        public List<string> FoundHostIds { get; } = [];

        public List<string> FoundOutlookIds { get; } = [];

        public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken) => inner.GetHeaderAsync(userId, cancellationToken);

        public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken)
        {
            LinkTableReads++;
            return inner.GetLinksAsync(userId, cancellationToken);
        }

        public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
        {
            FoundHostIds.AddRange(hostIds);
            FoundOutlookIds.AddRange(outlookIds);
            return inner.FindLinksAsync(userId, hostIds, outlookIds, cancellationToken);
        }

        public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken)
        {
            Saves.Add(changes);
            return inner.SaveAsync(changes, cancellationToken);
        }

        public Task DeleteAsync(string userId, CancellationToken cancellationToken) => inner.DeleteAsync(userId, cancellationToken);

        public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken) => inner.GetUsersDueAsync(now, limit, cancellationToken);

        public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(userId, duration, cancellationToken);

        public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken) => inner.RenewLeaseAsync(lease, duration, cancellationToken);

        public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(lease, cancellationToken);
    }
}
