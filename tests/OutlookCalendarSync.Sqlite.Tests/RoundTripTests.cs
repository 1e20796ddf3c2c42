using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
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

        CalendarEvent read = CalendarEventJson.Deserialize(CalendarEventJson.Serialize(original));

        Assert.Equal(original.ContentHash, read.ContentHash);
        Assert.Equal(EventFields.None, read.DiffersFrom(original));
        Assert.Equal(original, read);
        Assert.Equal(original.OnlineMeetingUrl?.OriginalString, read.OnlineMeetingUrl?.OriginalString);
    }

    [Fact]
    public void EventJson_AmbiguousLocalTime_KeepsTheInstant()
    {
        CalendarEvent original = SampleEvents.AmbiguousLocalTime();

        CalendarEvent read = CalendarEventJson.Deserialize(CalendarEventJson.Serialize(original));

        Assert.Equal(original.Timing.StartInstant, read.Timing.StartInstant);
        Assert.Equal(Offset.FromHours(1), read.Timing.Start.Offset);
    }

    [Theory]
    [MemberData(nameof(SampleEvents.Names), MemberType = typeof(SampleEvents))]
    public async Task CreateAsync_ThenReadBack_PreservesContentHash(string sample)
    {
        var store = new SqliteCalendarStore(_database.Options, new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0)));
        CalendarEvent original = SampleEvents.ByName(sample);

        CalendarEvent created = await store.CreateAsync("user-1", EventWrite.Create(original), default);
        CalendarEvent? read = await store.GetAsync("user-1", created.Id!, default);
        ChangeFeed feed = await store.GetChangesAsync("user-1", null, new Interval(null, null), default);

        Assert.Equal(original.ContentHash, created.ContentHash);
        Assert.Equal(created, read);
        Assert.Equal(original.ContentHash, Assert.Single(feed.Changed).ContentHash);
    }

}
