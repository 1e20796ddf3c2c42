using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Testing;

public sealed class InMemoryCalendarStoreTests
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));
    private readonly InMemoryCalendarStore _store;

    public InMemoryCalendarStoreTests() => _store = new InMemoryCalendarStore(_clock);

    [Fact]
    public async Task CreateAsync_NewEvents_GetDeterministicIdsVersionsAndICalUIds()
    {
        CalendarEvent a = await _store.CreateAsync(UserId, EventWrite.Create(InWindow("a")), default);
        CalendarEvent b = await _store.CreateAsync(UserId, EventWrite.Create(InWindow("b") with { Id = "ignored", Version = "ignored" }), default);

        Assert.Equal(("local-1", "1", "uid-local-1"), (a.Id, a.Version, a.ICalUId));
        Assert.Equal(("local-2", "2", "uid-local-2"), (b.Id, b.Version, b.ICalUId));
    }

    [Fact]
    public async Task UpdateAsync_AfterClockMoved_StampsLastModifiedFromClock()
    {
        CalendarEvent a = await _store.CreateAsync(UserId, EventWrite.Create(InWindow("a")), default);
        Instant created = _clock.GetCurrentInstant();
        _clock.Advance(Duration.FromMinutes(10));

        CalendarEvent updated = await _store.UpdateAsync(UserId, UpdateOf(a with { Subject = "b" }, EventFields.Subject), default);

        Assert.Equal(created, a.LastModified);
        Assert.Equal(created + Duration.FromMinutes(10), updated.LastModified);
    }

    [Fact]
    public async Task UpdateByUser_ChangesEventWithNewVersionAndShowsInFeed()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        ChangeFeed first = await _store.GetChangesAsync(UserId, null, Window, default);
        _clock.Advance(Duration.FromMinutes(1));

        CalendarEvent changed = _store.UpdateByUser(UserId, a.Id!, e => e with { Subject = "renamed", Id = "cannot-change-id" });

        Assert.Equal(a.Id, changed.Id);
        Assert.NotEqual(a.Version, changed.Version);
        Assert.Equal(_clock.GetCurrentInstant(), changed.LastModified);
        ChangeFeed second = await _store.GetChangesAsync(UserId, first.NextCursor, Window, default);
        Assert.Equal("renamed", Assert.Single(second.Changed).Subject);
    }

    [Fact]
    public void UpdateByUser_MissingEvent_ThrowsNotFound()
        => Assert.Throws<EventNotFoundException>(() => _store.UpdateByUser(UserId, "local-404", e => e));

    [Fact]
    public async Task DeleteByUser_ExistingEvent_ReportedAsConfirmedRemoval()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        ChangeFeed first = await _store.GetChangesAsync(UserId, null, Window, default);

        _store.DeleteByUser(UserId, a.Id!);

        ChangeFeed second = await _store.GetChangesAsync(UserId, first.NextCursor, Window, default);
        Assert.True(Assert.Single(second.Removed).IsConfirmedDeletion);
        Assert.Throws<EventNotFoundException>(() => _store.DeleteByUser(UserId, a.Id!));
    }

    [Fact]
    public void Seed_SeveralEvents_GetAllReturnsThemInOrder()
    {
        IReadOnlyList<CalendarEvent> seeded = _store.Seed(UserId, InWindow("a") with { ICalUId = "kept" }, InWindow("b"));

        Assert.Equal(["a", "b"], _store.GetAll(UserId).Select(e => e.Subject));
        Assert.Equal("kept", seeded[0].ICalUId);
        Assert.Empty(_store.GetAll(OtherUserId));
    }

    [Fact]
    public async Task GetChangesAsync_EventCreatedAndDeletedSinceCursor_IsNotReported()
    {
        ChangeFeed first = await _store.GetChangesAsync(UserId, null, Window, default);
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        _store.DeleteByUser(UserId, a.Id!);

        ChangeFeed second = await _store.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Empty(second.Changed);
        Assert.Empty(second.Removed);
    }

    [Fact]
    public async Task GetChangesAsync_WithCursor_ReturnsChangesOutsideWindowToo()
    {
        ChangeFeed first = await _store.GetChangesAsync(UserId, null, Window, default);
        CalendarEvent later = _store.AddByUser(UserId, OutsideWindow("later"));

        ChangeFeed second = await _store.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Equal(later.Id, Assert.Single(second.Changed).Id);
    }

    [Fact]
    public async Task GetChangesAsync_CursorOfOutlookDouble_ThrowsCursorExpired()
    {
        var outlook = new InMemoryOutlookCalendar(_clock);
        ChangeFeed outlookFeed = await outlook.GetChangesAsync(UserId, null, Window, default);

        await Assert.ThrowsAsync<CursorExpiredException>(() => _store.GetChangesAsync(UserId, outlookFeed.NextCursor, Window, default));
    }

    [Fact]
    public async Task Counters_PortCalls_AreCountedAndUserActionsAreNot()
    {
        CalendarEvent a = await _store.CreateAsync(UserId, EventWrite.Create(InWindow("a")), default);
        a = await _store.UpdateAsync(UserId, UpdateOf(a with { Subject = "b" }, EventFields.Subject), default);
        await _store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, a.Version), default);
        await Assert.ThrowsAsync<EventNotFoundException>(() => _store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, null), default));
        await _store.GetChangesAsync(UserId, null, Window, default);
        await _store.GetAsync(UserId, "local-1", default);
        _store.AddByUser(UserId, InWindow("by user"));

        Assert.Equal((4, 1, 1, 2, 2), (_store.WriteCount, _store.CreateCount, _store.UpdateCount, _store.DeleteCount, _store.ReadCount));

        _store.ResetCounters();

        Assert.Equal((0, 0), (_store.WriteCount, _store.ReadCount));
    }

    [Fact]
    public async Task CreateAsync_ConcurrentCallers_AllGetDistinctIds()
    {
        CalendarEvent[] created = await Task.WhenAll(
            Enumerable.Range(0, 100).Select(i => Task.Run(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow($"e{i}")), default))));

        Assert.Equal(100, created.Select(e => e.Id).Distinct().Count());
        Assert.Equal(100, _store.GetAll(UserId).Count);
        Assert.Equal(100, _store.CreateCount);
    }

    [Fact]
    public async Task GetChangesAsync_CanceledToken_Throws()
        => await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.GetChangesAsync(UserId, null, Window, new CancellationToken(canceled: true)));
}
