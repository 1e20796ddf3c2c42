using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Sqlite.Internal;

namespace OutlookCalendarSync.Sqlite.Tests;

public sealed class RoundTripTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [MemberData(nameof(SampleEvents.Names), MemberType = typeof(SampleEvents))]
    public void EventJson_RoundTrip_PreservesContentHashAndEveryProperty(string sample)
    {
        CalendarEvent original = SampleEvents.ByName(sample);

        CalendarEvent read = EventJson.Deserialize(EventJson.Serialize(original));

        Assert.Equal(original.ContentHash, read.ContentHash);
        Assert.Equal(EventFields.None, read.DiffersFrom(original));
        Assert.Equal(original, read);
        Assert.Equal(original.OnlineMeetingUrl?.OriginalString, read.OnlineMeetingUrl?.OriginalString);
    }

    [Fact]
    public void EventJson_AmbiguousLocalTime_KeepsTheInstant()
    {
        CalendarEvent original = SampleEvents.AmbiguousLocalTime();

        CalendarEvent read = EventJson.Deserialize(EventJson.Serialize(original));

        Assert.Equal(original.Timing.StartInstant, read.Timing.StartInstant);
        Assert.Equal(Offset.FromHours(1), read.Timing.Start.Offset);
    }

    [Theory]
    [MemberData(nameof(SampleEvents.Names), MemberType = typeof(SampleEvents))]
    public async Task CreateAsync_ThenReadBack_PreservesContentHash(string sample)
    {
        var store = new SqliteCalendarStore(_database.Options, new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0)));
        CalendarEvent original = SampleEvents.ByName(sample);

        CalendarEvent created = await store.CreateAsync("user-1", original, default);
        CalendarEvent? read = await store.GetAsync("user-1", created.Id!, default);
        ChangeFeed feed = await store.GetChangesAsync("user-1", null, new Interval(null, null), default);

        Assert.Equal(original.ContentHash, created.ContentHash);
        Assert.Equal(created, read);
        Assert.Equal(original.ContentHash, Assert.Single(feed.Changed).ContentHash);
    }

    [Fact]
    public async Task SaveAsync_LinkWithEveryBase_LoadsEqualLink()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0));
        var store = new SqliteSyncStateStore(_database.Options, clock);
        var link = new EventLink("local-1", "AAMk-1", SampleEvents.EveryField())
        {
            ICalUId = "uid-1",
            LocalVersion = "3",
            RemoteVersion = "ck-4",
            LocalHash = ulong.MaxValue,
            RemoteHash = 1234567890123456789,
            LocalBase = SampleEvents.WeeklySeries(),
            RemoteBase = SampleEvents.AllDay(),
            PendingLocal = [SampleEvents.AllDay()],
            PendingRemote = [SampleEvents.WeeklySeries(), SampleEvents.EveryField()],
        };

        await store.SaveAsync(new SyncState("user-1") { Links = LinkCollection.Create([link]) }, default);
        EventLink loaded = Assert.Single((await new SqliteSyncStateStore(_database.Options, clock).LoadAsync("user-1", default))!.Links);

        Assert.Equal(link, loaded);
        Assert.Equal(link.Base.ContentHash, loaded.Base.ContentHash);
        Assert.Equal(link.LocalBase!.ContentHash, loaded.LocalBase!.ContentHash);
        Assert.Equal(link.RemoteBase!.ContentHash, loaded.RemoteBase!.ContentHash);
        Assert.Equal(link.PendingRemote.Select(e => e.ContentHash), loaded.PendingRemote.Select(e => e.ContentHash));
        Assert.True(loaded.IsHalfApplied);
    }
}
