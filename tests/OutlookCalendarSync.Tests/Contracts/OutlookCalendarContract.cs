using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Model;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Contracts;

/// <summary>
/// What every <see cref="IOutlookCalendar"/> must do, as Microsoft Graph does it; derive from it to check an implementation
/// (the in-memory double, the Graph adapter against the emulator).
/// </summary>
public abstract class OutlookCalendarContract
{
    private IOutlookCalendar? _calendar;

    protected IOutlookCalendar Calendar => _calendar ??= CreateCalendar();

    /// <summary>Creates an empty calendar; called once per test.</summary>
    protected abstract IOutlookCalendar CreateCalendar();

    /// <summary>Adds an event the way the mailbox owner would in Outlook.</summary>
    protected abstract Task<CalendarEvent> AddByUserAsync(string userId, CalendarEvent newEvent);

    /// <summary>Changes an event the way the mailbox owner would in Outlook.</summary>
    protected abstract Task<CalendarEvent> ChangeByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change);

    /// <summary>Deletes an event the way the mailbox owner would in Outlook.</summary>
    protected abstract Task DeleteByUserAsync(string userId, string eventId);

    /// <summary>Makes the calendar refuse every delta link it handed out so far for the user (Graph's 410 Gone).</summary>
    protected abstract Task ExpireCursorsAsync(string userId);

    [Fact]
    public async Task GetChangesAsync_NullCursor_ReturnsFullListingOfWindow()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        CalendarEvent b = await AddByUserAsync(UserId, InWindow("b", dayOffset: 5));
        await AddByUserAsync(UserId, OutsideWindow("later"));

        ChangeFeed feed = await Calendar.GetChangesAsync(UserId, null, Window, default);

        Assert.True(feed.IsFullSnapshot);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), feed.Changed.Select(e => e.Id).Order());
        Assert.Empty(feed.Removed);
        Assert.False(string.IsNullOrWhiteSpace(feed.NextCursor));
    }

    /// <remarks>
    /// Virtual until recurrence is supported everywhere: the Graph adapter leaves series out of its feed with a note instead, and
    /// overrides this with that expectation.
    /// </remarks>
    [Fact]
    public virtual async Task GetChangesAsync_NullCursor_IncludesSeriesMasterStartingBeforeWindow()
    {
        CalendarEvent master = await AddByUserAsync(UserId, SeriesMasterStartingBeforeWindow("weekly"));

        ChangeFeed feed = await Calendar.GetChangesAsync(UserId, null, Window, default);

        Assert.Contains(feed.Changed, e => e.Id == master.Id);
    }

    [Fact]
    public async Task GetChangesAsync_WithCursor_ReturnsOnlyEventsChangedSince()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        CalendarEvent b = await AddByUserAsync(UserId, InWindow("b", dayOffset: 1));
        ChangeFeed first = await Calendar.GetChangesAsync(UserId, null, Window, default);
        CalendarEvent c = await AddByUserAsync(UserId, InWindow("c", dayOffset: 2));
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "a2" });

        ChangeFeed second = await Calendar.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.False(second.IsFullSnapshot);
        Assert.Equal(new[] { a.Id, c.Id }.Order(), second.Changed.Select(e => e.Id).Order());
        Assert.DoesNotContain(second.Changed, e => e.Id == b.Id);
        Assert.Equal("a2", second.Changed.Single(e => e.Id == a.Id).Subject);
    }

    [Fact]
    public async Task GetChangesAsync_EventChangedTwiceSinceCursor_ReturnsItOnceInLatestState()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        ChangeFeed first = await Calendar.GetChangesAsync(UserId, null, Window, default);
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "a2" });
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "a3" });

        ChangeFeed second = await Calendar.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Equal("a3", Assert.Single(second.Changed).Subject);
    }

    [Fact]
    public async Task GetChangesAsync_EventDeletedSinceCursor_ReportsUnconfirmedRemoval()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        ChangeFeed first = await Calendar.GetChangesAsync(UserId, null, Window, default);
        await DeleteByUserAsync(UserId, a.Id!);

        ChangeFeed second = await Calendar.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Empty(second.Changed);
        Assert.Equal(new EventRemoval(a.Id!, IsConfirmedDeletion: false), Assert.Single(second.Removed));
        Assert.Null(await Calendar.GetAsync(UserId, a.Id!, Window, default));
    }

    [Fact]
    public async Task GetChangesAsync_EventMovedOutOfWindow_ReportsUnconfirmedRemovalButEventExists()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        ChangeFeed first = await Calendar.GetChangesAsync(UserId, null, Window, default);
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Timing = OutsideWindowTiming });

        ChangeFeed second = await Calendar.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Empty(second.Changed);
        Assert.Equal(new EventRemoval(a.Id!, IsConfirmedDeletion: false), Assert.Single(second.Removed));
        Assert.NotNull(await Calendar.GetAsync(UserId, a.Id!, Window, default));
    }

    [Fact]
    public async Task GetChangesAsync_OwnWritesSinceCursor_AreReported()
    {
        ChangeFeed first = await Calendar.GetChangesAsync(UserId, null, Window, default);
        IReadOnlyList<EventWriteResult> results = await Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default);

        ChangeFeed second = await Calendar.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Equal(results[0].Event!.Id, Assert.Single(second.Changed).Id);
    }

    [Fact]
    public async Task GetChangesAsync_ExpiredCursor_ThrowsCursorExpired()
    {
        await AddByUserAsync(UserId, InWindow("a"));
        ChangeFeed first = await Calendar.GetChangesAsync(UserId, null, Window, default);
        await ExpireCursorsAsync(UserId);

        await Assert.ThrowsAsync<CursorExpiredException>(() => Calendar.GetChangesAsync(UserId, first.NextCursor, Window, default));
    }

    [Fact]
    public async Task GetChangesAsync_CursorNotMadeByCalendar_ThrowsCursorExpired()
        => await Assert.ThrowsAsync<CursorExpiredException>(() => Calendar.GetChangesAsync(UserId, "not-a-delta-link", Window, default));

    [Fact]
    public async Task GetChangesAsync_OtherUsersEvents_AreNotSeen()
    {
        await AddByUserAsync(UserId, InWindow("mine"));

        Assert.Empty((await Calendar.GetChangesAsync(OtherUserId, null, Window, default)).Changed);
    }

    [Fact]
    public async Task GetAsync_MissingEvent_ReturnsNull()
        => Assert.Null(await Calendar.GetAsync(UserId, "AAMk-missing", Window, default));

    [Fact]
    public async Task WriteAsync_Create_AssignsIdChangeKeyAndICalUIdAndKeepsCounterpartId()
    {
        IReadOnlyList<EventWriteResult> results = await Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a") with { CounterpartId = "local-7" })], default);

        EventWriteResult result = Assert.Single(results);
        Assert.True(result.Succeeded);
        CalendarEvent created = result.Event!;
        Assert.False(string.IsNullOrWhiteSpace(created.Id));
        Assert.False(string.IsNullOrWhiteSpace(created.Version));
        Assert.False(string.IsNullOrWhiteSpace(created.ICalUId));
        Assert.Equal("local-7", created.CounterpartId);
        Assert.Equal("local-7", (await Calendar.GetAsync(UserId, created.Id!, Window, default))!.CounterpartId);
    }

    [Fact]
    public async Task WriteAsync_CreateRepeatedWithSameCounterpartId_ReturnsFirstEventInsteadOfDuplicate()
    {
        EventWrite create = EventWrite.Create(InWindow("a") with { CounterpartId = "local-7" });
        CalendarEvent first = (await Calendar.WriteAsync(UserId, [create], default))[0].Event!;

        EventWriteResult again = (await Calendar.WriteAsync(UserId, [create], default))[0];

        Assert.True(again.Succeeded);
        Assert.Equal(first.Id, again.Event!.Id);
        Assert.Single((await Calendar.GetChangesAsync(UserId, null, Window, default)).Changed);
    }

    [Fact]
    public async Task WriteAsync_CreatesWithoutCounterpartId_AreNotDeduplicated()
    {
        IReadOnlyList<EventWriteResult> results = await Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a")), EventWrite.Create(InWindow("a"))], default);

        Assert.NotEqual(results[0].Event!.Id, results[1].Event!.Id);
    }

    [Fact]
    public async Task WriteAsync_MixedBatch_ReturnsOneResultPerWriteInOrder()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        CalendarEvent b = await AddByUserAsync(UserId, InWindow("b"));

        IReadOnlyList<EventWriteResult> results = await Calendar.WriteAsync(
            UserId,
            [
                EventWrite.Create(InWindow("c")),
                EventWrite.Delete("AAMk-missing", null),
                EventWrite.Update(a.Id!, a.Version, a with { Subject = "a2" }, EventFields.Subject),
                EventWrite.Delete(b.Id!, b.Version),
            ],
            default);

        Assert.Equal(
            new[] { WriteStatus.Succeeded, WriteStatus.NotFound, WriteStatus.Succeeded, WriteStatus.Succeeded },
            results.Select(r => r.Status));
        Assert.Equal("c", results[0].Event!.Subject);
        Assert.Equal("a2", results[2].Event!.Subject);
        Assert.Null(results[3].Event);
    }

    [Fact]
    public async Task WriteAsync_UpdateCurrentVersion_ChangesChangeKey()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));

        EventWriteResult result = (await Calendar.WriteAsync(UserId, [EventWrite.Update(a.Id!, a.Version, a with { Subject = "a2" }, EventFields.Subject)], default))[0];

        Assert.True(result.Succeeded);
        Assert.Equal("a2", result.Event!.Subject);
        Assert.NotEqual(a.Version, result.Event.Version);
    }

    [Fact]
    public async Task WriteAsync_EveryWrite_GivesNewChangeKey()
    {
        CalendarEvent a = (await Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default))[0].Event!;
        CalendarEvent b = (await Calendar.WriteAsync(UserId, [EventWrite.Update(a.Id!, a.Version, a with { Subject = "b" }, EventFields.Subject)], default))[0].Event!;
        CalendarEvent c = await ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "c" });

        Assert.Equal(3, new[] { a.Version, b.Version, c.Version }.Distinct().Count());
    }

    [Fact]
    public async Task WriteAsync_UpdateSomeFields_WritesOnlyThoseFields()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));

        EventWriteResult result = (await Calendar.WriteAsync(
            UserId,
            [EventWrite.Update(a.Id!, a.Version, a with { Subject = "new", Location = "elsewhere" }, EventFields.Location)],
            default))[0];

        Assert.Equal("a", result.Event!.Subject);
        Assert.Equal("elsewhere", result.Event.Location);
        Assert.Equal("a", (await Calendar.GetAsync(UserId, a.Id!, Window, default))!.Subject);
    }

    [Fact]
    public async Task WriteAsync_UpdateStaleChangeKey_FailsWithVersionConflictAndKeepsEvent()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "by user" });

        EventWriteResult result = (await Calendar.WriteAsync(UserId, [EventWrite.Update(a.Id!, a.Version, a with { Subject = "sync" }, EventFields.Subject)], default))[0];

        Assert.Equal(WriteStatus.VersionConflict, result.Status);
        Assert.Null(result.Event);
        Assert.Equal("by user", (await Calendar.GetAsync(UserId, a.Id!, Window, default))!.Subject);
    }

    [Fact]
    public async Task WriteAsync_UpdateMissingEvent_FailsWithNotFound()
    {
        EventWriteResult result = (await Calendar.WriteAsync(UserId, [EventWrite.Update("AAMk-missing", null, InWindow("a"), EventFields.Subject)], default))[0];

        Assert.Equal(WriteStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task WriteAsync_DeleteCurrentVersion_RemovesEvent()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));

        EventWriteResult result = (await Calendar.WriteAsync(UserId, [EventWrite.Delete(a.Id!, a.Version)], default))[0];

        Assert.True(result.Succeeded);
        Assert.Null(await Calendar.GetAsync(UserId, a.Id!, Window, default));
    }

    [Fact]
    public async Task WriteAsync_DeleteStaleChangeKey_FailsWithVersionConflictAndKeepsEvent()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        await ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "by user" });

        EventWriteResult result = (await Calendar.WriteAsync(UserId, [EventWrite.Delete(a.Id!, a.Version)], default))[0];

        Assert.Equal(WriteStatus.VersionConflict, result.Status);
        Assert.NotNull(await Calendar.GetAsync(UserId, a.Id!, Window, default));
    }

    [Fact]
    public async Task WriteAsync_DeleteDeletedEvent_FailsWithNotFound()
    {
        CalendarEvent a = await AddByUserAsync(UserId, InWindow("a"));
        await DeleteByUserAsync(UserId, a.Id!);

        EventWriteResult result = (await Calendar.WriteAsync(UserId, [EventWrite.Delete(a.Id!, a.Version)], default))[0];

        Assert.Equal(WriteStatus.NotFound, result.Status);
    }
}
