using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Specification.Tests;

/// <summary>
/// What every <see cref="ICalendarStore"/> must do; derive from it and implement the hooks to check an implementation
/// (the in-memory double, the SQLite store, a host's own store).
/// </summary>
public abstract class CalendarStoreContract
{
    private ICalendarStore? _store;

    protected ICalendarStore Store => _store ??= CreateStore();

    /// <summary>Creates an empty store; called once per test.</summary>
    protected abstract ICalendarStore CreateStore();

    /// <summary>Changes an event the way a person using the host application would (not through the port).</summary>
    protected abstract Task<CalendarEvent> ChangeByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change);

    /// <summary>Makes the store refuse every cursor it handed out so far for the user.</summary>
    protected abstract Task ExpireCursorsAsync(string userId);

    [Fact]
    public async Task GetChangesAsync_NullCursor_ReturnsFullSnapshotOfWindow()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        CalendarEvent b = await CreateAsync(InWindow("b", dayOffset: 3));
        await CreateAsync(OutsideWindow("later"));

        ChangeFeed feed = await Store.GetChangesAsync(UserId, null, Window, default);

        Assert.True(feed.IsFullSnapshot);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), feed.Changed.Select(e => e.Id).Order());
        Assert.Empty(feed.Removed);
        Assert.False(string.IsNullOrWhiteSpace(feed.NextCursor));
    }

    [Fact]
    public async Task GetChangesAsync_NullCursor_IncludesSeriesMasterStartingBeforeWindow()
    {
        CalendarEvent master = await CreateAsync(SeriesMasterStartingBeforeWindow("weekly"));

        ChangeFeed feed = await Store.GetChangesAsync(UserId, null, Window, default);

        Assert.Contains(feed.Changed, e => e.Id == master.Id);
    }

    [Fact]
    public async Task GetChangesAsync_NullCursor_ReturnsEventsAsStored()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));

        ChangeFeed feed = await Store.GetChangesAsync(UserId, null, Window, default);

        CalendarEvent read = Assert.Single(feed.Changed);
        Assert.Equal(a.Version, read.Version);
        Assert.Equal(EventFields.None, read.DiffersFrom(a));
    }

    [Fact]
    public async Task GetChangesAsync_NoChangeSinceCursor_ReturnsEmptyIncrementalFeed()
    {
        await CreateAsync(InWindow("a"));
        ChangeFeed first = await Store.GetChangesAsync(UserId, null, Window, default);

        ChangeFeed second = await Store.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.False(second.IsFullSnapshot);
        Assert.Empty(second.Changed);
        Assert.Empty(second.Removed);
    }

    [Fact]
    public async Task GetChangesAsync_WithCursor_ReturnsOnlyEventsChangedSince()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        CalendarEvent b = await CreateAsync(InWindow("b", dayOffset: 1));
        ChangeFeed first = await Store.GetChangesAsync(UserId, null, Window, default);
        CalendarEvent c = await CreateAsync(InWindow("c", dayOffset: 2));
        CalendarEvent a2 = await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "a2" }, EventFields.Subject), default);

        ChangeFeed second = await Store.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.False(second.IsFullSnapshot);
        Assert.Equal(new[] { a.Id, c.Id }.Order(), second.Changed.Select(e => e.Id).Order());
        Assert.DoesNotContain(second.Changed, e => e.Id == b.Id);
        Assert.Equal("a2", second.Changed.Single(e => e.Id == a.Id).Subject);
        Assert.Equal(a2.Version, second.Changed.Single(e => e.Id == a.Id).Version);
    }

    [Fact]
    public async Task GetChangesAsync_EventChangedTwiceSinceCursor_ReturnsItOnceInLatestState()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        ChangeFeed first = await Store.GetChangesAsync(UserId, null, Window, default);
        CalendarEvent a2 = await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "a2" }, EventFields.Subject), default);
        await Store.UpdateAsync(UserId, UpdateOf(a2 with { Subject = "a3" }, EventFields.Subject), default);

        ChangeFeed second = await Store.GetChangesAsync(UserId, first.NextCursor, Window, default);

        CalendarEvent changed = Assert.Single(second.Changed);
        Assert.Equal("a3", changed.Subject);
    }

    [Fact]
    public async Task GetChangesAsync_EventDeletedSinceCursor_ReportsConfirmedRemoval()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        ChangeFeed first = await Store.GetChangesAsync(UserId, null, Window, default);
        await Store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, a.Version), default);

        ChangeFeed second = await Store.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Empty(second.Changed);
        Assert.Equal(new EventRemoval(a.Id!, IsConfirmedDeletion: true), Assert.Single(second.Removed));
    }

    [Fact]
    public async Task GetChangesAsync_UserChangeSinceCursor_IsReported()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        ChangeFeed first = await Store.GetChangesAsync(UserId, null, Window, default);
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Location = "Room 2" });

        ChangeFeed second = await Store.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Equal("Room 2", Assert.Single(second.Changed).Location);
    }

    [Fact]
    public async Task GetChangesAsync_ChainedCursors_EachReportsOnlyItsOwnChanges()
    {
        ChangeFeed first = await Store.GetChangesAsync(UserId, null, Window, default);
        CalendarEvent a = await CreateAsync(InWindow("a"));
        ChangeFeed second = await Store.GetChangesAsync(UserId, first.NextCursor, Window, default);
        CalendarEvent b = await CreateAsync(InWindow("b"));

        ChangeFeed third = await Store.GetChangesAsync(UserId, second.NextCursor, Window, default);

        Assert.Equal(a.Id, Assert.Single(second.Changed).Id);
        Assert.Equal(b.Id, Assert.Single(third.Changed).Id);
    }

    [Fact]
    public async Task GetChangesAsync_ExpiredCursor_ThrowsCursorExpired()
    {
        await CreateAsync(InWindow("a"));
        ChangeFeed first = await Store.GetChangesAsync(UserId, null, Window, default);
        await ExpireCursorsAsync(UserId);

        await Assert.ThrowsAsync<CursorExpiredException>(() => Store.GetChangesAsync(UserId, first.NextCursor, Window, default));
    }

    [Fact]
    public async Task GetChangesAsync_ExpiredCursor_FullSnapshotStillWorks()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        await Store.GetChangesAsync(UserId, null, Window, default);
        await ExpireCursorsAsync(UserId);

        ChangeFeed snapshot = await Store.GetChangesAsync(UserId, null, Window, default);

        Assert.True(snapshot.IsFullSnapshot);
        Assert.Equal(a.Id, Assert.Single(snapshot.Changed).Id);
    }

    [Fact]
    public async Task GetChangesAsync_CursorNotMadeByStore_ThrowsCursorExpired()
        => await Assert.ThrowsAsync<CursorExpiredException>(() => Store.GetChangesAsync(UserId, "not-a-cursor", Window, default));

    [Fact]
    public async Task GetChangesAsync_OtherUsersEvents_AreNotSeen()
    {
        await CreateAsync(InWindow("mine"));

        ChangeFeed other = await Store.GetChangesAsync(OtherUserId, null, Window, default);

        Assert.Empty(other.Changed);
    }

    [Fact]
    public async Task CreateAsync_NewEvent_AssignsIdAndVersionAndKeepsLinkIdentity()
    {
        CalendarEvent created = await Store.CreateAsync(UserId, EventWrite.Create(InWindow("a") with { ICalUId = "uid-from-outlook", CounterpartId = "AAMk-9" }), default);

        Assert.False(string.IsNullOrWhiteSpace(created.Id));
        Assert.False(string.IsNullOrWhiteSpace(created.Version));
        Assert.Equal("uid-from-outlook", created.ICalUId);
        Assert.Equal("AAMk-9", created.CounterpartId);
        Assert.Equal("a", created.Subject);
    }

    [Fact]
    public async Task CreateAsync_TwoEvents_GetDifferentIds()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        CalendarEvent b = await CreateAsync(InWindow("a"));

        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task CreateManyAsync_CreatesEachEventInOrderAsCreateAsyncWould()
    {
        ChangeFeed before = await Store.GetChangesAsync(UserId, null, Window, default);

        IReadOnlyList<EventWriteResult> results = await Store.CreateManyAsync(
            UserId,
            [EventWrite.Create(InWindow("a")), EventWrite.Create(InWindow("b", dayOffset: 1) with { CounterpartId = "AAMk-b" }), EventWrite.Create(InWindow("c", dayOffset: 2))],
            default);

        Assert.Equal(["a", "b", "c"], results.Select(r => r.Event!.Subject));
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(3, results.Select(r => r.Event!.Id).Distinct().Count());
        foreach (EventWriteResult result in results)
        {
            CalendarEvent? read = await Store.GetAsync(UserId, result.Event!.Id!, default);
            Assert.Equal(result.Event.Version, read!.Version);
            Assert.Equal(EventFields.None, read.DiffersFrom(result.Event));
        }

        Assert.Equal("AAMk-b", (await Store.GetAsync(UserId, results[1].Event!.Id!, default))!.CounterpartId);
        ChangeFeed after = await Store.GetChangesAsync(UserId, before.NextCursor, Window, default);
        Assert.Equal(results.Select(r => r.Event!.Id).Order(), after.Changed.Select(e => e.Id).Order());
        Assert.Empty(await Store.CreateManyAsync(UserId, [], default));
    }

    [Fact]
    public async Task CreateManyAsync_BetweenOtherWrites_EveryEventAndVersionIsNew()
    {
        CalendarEvent first = await CreateAsync(InWindow("first"));

        IReadOnlyList<EventWriteResult> many = await Store.CreateManyAsync(
            UserId, [EventWrite.Create(InWindow("a", dayOffset: 1)), EventWrite.Create(SeriesMasterStartingBeforeWindow("weekly")), EventWrite.Create(OutsideWindow("later"))], default);
        CalendarEvent last = await CreateAsync(InWindow("last", dayOffset: 2));
        CalendarEvent updated = await Store.UpdateAsync(UserId, UpdateOf(many[0].Event! with { Subject = "a2" }, EventFields.Subject), default);

        string[] ids = [first.Id!, .. many.Select(r => r.Event!.Id!), last.Id!];
        string[] versions = [first.Version!, .. many.Select(r => r.Event!.Version!), last.Version!, updated.Version!];
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(versions.Length, versions.Distinct().Count());

        // The snapshot keeps the window's rule for events made together: the series master starting before it is in, the later event out.
        ChangeFeed snapshot = await Store.GetChangesAsync(UserId, null, Window, default);
        Assert.Equal(["a2", "first", "last", "weekly"], snapshot.Changed.Select(e => e.Subject).Order(StringComparer.Ordinal));
        Assert.True(snapshot.Changed.Single(e => e.Subject == "weekly").IsSeriesMaster);
    }

    [Fact]
    public async Task GetAsync_ExistingEvent_ReturnsStoredEvent()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));

        CalendarEvent? read = await Store.GetAsync(UserId, a.Id!, default);

        Assert.NotNull(read);
        Assert.Equal(a.Version, read.Version);
        Assert.Equal("a", read.Subject);
    }

    [Fact]
    public async Task GetAsync_MissingEvent_ReturnsNull()
        => Assert.Null(await Store.GetAsync(UserId, "missing-id", default));

    [Fact]
    public async Task GetAsync_OtherUsersEvent_ReturnsNull()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));

        Assert.Null(await Store.GetAsync(OtherUserId, a.Id!, default));
    }

    [Fact]
    public async Task UpdateAsync_CurrentVersion_StoresChangeWithNewVersion()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));

        CalendarEvent updated = await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "a2" }, EventFields.Subject), default);

        Assert.Equal("a2", updated.Subject);
        Assert.NotEqual(a.Version, updated.Version);
        Assert.Equal("a2", (await Store.GetAsync(UserId, a.Id!, default))!.Subject);
    }

    [Fact]
    public async Task UpdateAsync_EveryWrite_GivesNewVersion()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        CalendarEvent b = await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "b" }, EventFields.Subject), default);
        CalendarEvent c = await Store.UpdateAsync(UserId, UpdateOf(b with { Subject = "c" }, EventFields.Subject), default);

        Assert.Equal(3, new[] { a.Version, b.Version, c.Version }.Distinct().Count());
    }

    [Fact]
    public async Task UpdateAsync_SomeFields_WritesOnlyThoseFields()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));

        CalendarEvent updated = await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "new", Location = "elsewhere" }, EventFields.Subject), default);

        Assert.Equal("new", updated.Subject);
        Assert.Equal("Room 1", updated.Location);
        Assert.Equal("Room 1", (await Store.GetAsync(UserId, a.Id!, default))!.Location);
    }

    [Fact]
    public async Task UpdateAsync_DifferentLinkIdentity_KeepsStoredIdentity()
    {
        CalendarEvent a = await Store.CreateAsync(UserId, EventWrite.Create(InWindow("a") with { ICalUId = "uid-1", CounterpartId = "AAMk-1" }), default);

        CalendarEvent updated = await Store.UpdateAsync(UserId, UpdateOf(a with { ICalUId = "other", CounterpartId = "other", Subject = "b" }, EventFields.All), default);

        Assert.Equal(a.Id, updated.Id);
        Assert.Equal("uid-1", updated.ICalUId);
        Assert.Equal("AAMk-1", updated.CounterpartId);
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ThrowsVersionConflictAndKeepsEvent()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        CalendarEvent a2 = await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "a2" }, EventFields.Subject), default);

        var error = await Assert.ThrowsAsync<EventVersionConflictException>(
            () => Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "stale" }, EventFields.Subject), default));

        Assert.Equal(a.Id, error.EventId);
        CalendarEvent? stored = await Store.GetAsync(UserId, a.Id!, default);
        Assert.Equal("a2", stored!.Subject);
        Assert.Equal(a2.Version, stored.Version);
    }

    [Fact]
    public async Task UpdateAsync_EventChangedByUserSinceRead_ThrowsVersionConflict()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "by user" });

        await Assert.ThrowsAsync<EventVersionConflictException>(() => Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "sync" }, EventFields.Subject), default));
        Assert.Equal("by user", (await Store.GetAsync(UserId, a.Id!, default))!.Subject);
    }

    [Fact]
    public async Task UpdateAsync_NullVersion_WritesWhateverTheVersion()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "a2" }, EventFields.Subject), default);

        CalendarEvent updated = await Store.UpdateAsync(UserId, UpdateOf(a with { Version = null, Subject = "forced" }, EventFields.Subject), default);

        Assert.Equal("forced", updated.Subject);
    }

    [Fact]
    public async Task UpdateAsync_MissingEvent_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<EventNotFoundException>(
            () => Store.UpdateAsync(UserId, UpdateOf(InWindow("a") with { Id = "missing-id", Version = "1" }, EventFields.Subject), default));

        Assert.Equal("missing-id", error.EventId);
    }

    [Fact]
    public async Task UpdateAsync_DeletedEvent_ThrowsNotFound()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        await Store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, a.Version), default);

        await Assert.ThrowsAsync<EventNotFoundException>(() => Store.UpdateAsync(UserId, UpdateOf(a, EventFields.Subject), default));
    }

    [Fact]
    public async Task DeleteAsync_CurrentVersion_RemovesEvent()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));

        await Store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, a.Version), default);

        Assert.Null(await Store.GetAsync(UserId, a.Id!, default));
        Assert.Empty((await Store.GetChangesAsync(UserId, null, Window, default)).Changed);
    }

    [Fact]
    public async Task DeleteAsync_NullVersion_RemovesEventWhateverTheVersion()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "a2" }, EventFields.Subject), default);

        await Store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, null), default);

        Assert.Null(await Store.GetAsync(UserId, a.Id!, default));
    }

    [Fact]
    public async Task DeleteAsync_StaleVersion_ThrowsVersionConflictAndKeepsEvent()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        await Store.UpdateAsync(UserId, UpdateOf(a with { Subject = "a2" }, EventFields.Subject), default);

        await Assert.ThrowsAsync<EventVersionConflictException>(() => Store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, a.Version), default));

        Assert.NotNull(await Store.GetAsync(UserId, a.Id!, default));
    }

    [Fact]
    public async Task DeleteAsync_MissingEvent_ThrowsNotFound()
        => await Assert.ThrowsAsync<EventNotFoundException>(() => Store.DeleteAsync(UserId, EventWrite.Delete("missing-id", null), default));

    [Fact]
    public async Task DeleteAsync_AlreadyDeleted_ThrowsNotFound()
    {
        CalendarEvent a = await CreateAsync(InWindow("a"));
        await Store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, a.Version), default);

        await Assert.ThrowsAsync<EventNotFoundException>(() => Store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, a.Version), default));
    }

    private Task<CalendarEvent> CreateAsync(CalendarEvent newEvent) => Store.CreateAsync(UserId, EventWrite.Create(newEvent), default);
}
