using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Sqlite.Tests;

public sealed class CalendarFeedTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));
    private readonly SqliteCalendarStore _store;

    public CalendarFeedTests() => _store = new SqliteCalendarStore(_database.Options, _clock);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GetChangesAsync_EventCreatedAndDeletedAfterCursor_ReportsConfirmedRemoval()
    {
        string cursor = (await _store.GetChangesAsync(UserId, null, Window, default)).NextCursor;
        CalendarEvent a = _store.AddByUser(UserId, InWindow("short-lived"));
        _store.DeleteByUser(UserId, a.Id!);

        ChangeFeed feed = await _store.GetChangesAsync(UserId, cursor, Window, default);

        Assert.Empty(feed.Changed);
        Assert.Equal(new EventRemoval(a.Id!, IsConfirmedDeletion: true), Assert.Single(feed.Removed));
    }

    [Fact]
    public async Task GetChangesAsync_EventMovedOutOfWindowSinceCursor_ReportsItChanged()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        string cursor = (await _store.GetChangesAsync(UserId, null, Window, default)).NextCursor;
        _store.UpdateByUser(UserId, a.Id!, e => e with { Timing = OutsideWindowTiming });

        ChangeFeed feed = await _store.GetChangesAsync(UserId, cursor, Window, default);

        Assert.Equal(OutsideWindowTiming, Assert.Single(feed.Changed).Timing);
    }

    [Fact]
    public async Task GetChangesAsync_AllDayEventTouchingWindowEdges_UsesSameOverlapRuleAsModel()
    {
        var window = new Interval(Instant.FromUtc(2026, 12, 10, 0, 0), Instant.FromUtc(2026, 12, 11, 0, 0));
        CalendarEvent before = _store.AddByUser(UserId, new CalendarEvent { Subject = "before", Timing = EventTiming.AllDay(new LocalDate(2026, 12, 9), new LocalDate(2026, 12, 10)) });
        CalendarEvent inside = _store.AddByUser(UserId, new CalendarEvent { Subject = "inside", Timing = EventTiming.AllDay(new LocalDate(2026, 12, 10), new LocalDate(2026, 12, 11)) });
        CalendarEvent after = _store.AddByUser(UserId, new CalendarEvent { Subject = "after", Timing = EventTiming.AllDay(new LocalDate(2026, 12, 11), new LocalDate(2026, 12, 12)) });

        ChangeFeed feed = await _store.GetChangesAsync(UserId, null, window, default);

        Assert.Equal(inside.Id, Assert.Single(feed.Changed).Id);
        Assert.False(before.Timing.Overlaps(window));
        Assert.False(after.Timing.Overlaps(window));
    }

    [Fact]
    public async Task PruneTombstones_CursorOlderThanPrunedDeletion_ThrowsCursorExpired()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        string cursor = (await _store.GetChangesAsync(UserId, null, Window, default)).NextCursor;
        _store.DeleteByUser(UserId, a.Id!);
        string afterDeletion = (await _store.GetChangesAsync(UserId, cursor, Window, default)).NextCursor;
        _clock.Advance(Duration.FromDays(31));

        int pruned = _store.PruneTombstones(_clock.GetCurrentInstant() - Duration.FromDays(30));

        Assert.Equal(1, pruned);
        await Assert.ThrowsAsync<CursorExpiredException>(() => _store.GetChangesAsync(UserId, cursor, Window, default));
        ChangeFeed stillValid = await _store.GetChangesAsync(UserId, afterDeletion, Window, default);
        Assert.Empty(stillValid.Removed);
    }

    [Fact]
    public async Task PruneTombstones_RecentDeletions_AreKeptAndCursorsStayValid()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        string cursor = (await _store.GetChangesAsync(UserId, null, Window, default)).NextCursor;
        _store.DeleteByUser(UserId, a.Id!);

        int pruned = _store.PruneTombstones(_clock.GetCurrentInstant() - Duration.FromDays(30));

        Assert.Equal(0, pruned);
        Assert.Single((await _store.GetChangesAsync(UserId, cursor, Window, default)).Removed);
    }

    [Fact]
    public async Task GetChangesAsync_CursorAheadOfDatabase_ThrowsCursorExpired()
        => await Assert.ThrowsAsync<CursorExpiredException>(() => _store.GetChangesAsync(UserId, "sqlite-local:0:999", Window, default));

    [Fact]
    public void UpdateByUser_ChangeFunction_StoresResultWithNewVersionAndClockTime()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        _clock.Advance(Duration.FromMinutes(5));

        CalendarEvent changed = _store.UpdateByUser(UserId, a.Id!, e => e with { Subject = "b", Categories = ["Red"] });

        Assert.Equal("b", changed.Subject);
        Assert.NotEqual(a.Version, changed.Version);
        Assert.Equal(_clock.GetCurrentInstant(), changed.LastModified);
        Assert.Equal(changed, Assert.Single(_store.GetAll(UserId)));
    }

    [Fact]
    public void DeleteByUser_MissingEvent_ThrowsNotFound()
        => Assert.Throws<EventNotFoundException>(() => _store.DeleteByUser(UserId, "local-404"));

    [Fact]
    public void AddByUser_NoICalUId_AssignsUniqueOne()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        CalendarEvent b = _store.AddByUser(UserId, InWindow("b"));

        Assert.False(string.IsNullOrWhiteSpace(a.ICalUId));
        Assert.NotEqual(a.ICalUId, b.ICalUId);
    }
}
