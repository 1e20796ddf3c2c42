using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Testing;

public sealed class InMemoryOutlookCalendarTests
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));
    private readonly InMemoryOutlookCalendar _calendar;

    public InMemoryOutlookCalendarTests() => _calendar = new InMemoryOutlookCalendar(_clock);

    [Fact]
    public async Task WriteAsync_Create_AssignsGraphLikeIdsAndIgnoresClientICalUId()
    {
        IReadOnlyList<EventWriteResult> results = await _calendar.WriteAsync(
            UserId,
            [EventWrite.Create(InWindow("a") with { ICalUId = "client-uid" }), EventWrite.Create(InWindow("b"))],
            default);

        Assert.Equal(("AAMk-1", "ck-1", "uid-remote-1"), (results[0].Event!.Id, results[0].Event!.Version, results[0].Event!.ICalUId));
        Assert.Equal(("AAMk-2", "ck-2", "uid-remote-2"), (results[1].Event!.Id, results[1].Event!.Version, results[1].Event!.ICalUId));
        Assert.Equal(_clock.GetCurrentInstant(), results[0].Event!.LastModified);
    }

    [Fact]
    public void AddByUser_EventWithICalUId_KeepsInvitationUid()
        => Assert.Equal("invite-uid", _calendar.AddByUser(UserId, InWindow("a") with { ICalUId = "invite-uid" }).ICalUId);

    [Fact]
    public async Task WriteAsync_Failures_CarryGraphErrorCodes()
    {
        CalendarEvent a = _calendar.AddByUser(UserId, InWindow("a"));
        _calendar.UpdateByUser(UserId, a.Id!, e => e with { Subject = "by user" });

        IReadOnlyList<EventWriteResult> results = await _calendar.WriteAsync(
            UserId,
            [EventWrite.Delete("AAMk-404", null), EventWrite.Update(a.Id!, a.Version, a, EventFields.Subject)],
            default);

        Assert.Equal("ErrorItemNotFound", results[0].ErrorCode);
        Assert.Equal("ErrorIrresolvableConflict", results[1].ErrorCode);
        Assert.All(results, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
    }

    [Fact]
    public async Task WriteAsync_CreateWithCounterpartIdOfDeletedEvent_CreatesNewEvent()
    {
        EventWrite create = EventWrite.Create(InWindow("a") with { CounterpartId = "local-1" });
        CalendarEvent first = (await _calendar.WriteAsync(UserId, [create], default))[0].Event!;
        _calendar.DeleteByUser(UserId, first.Id!);

        CalendarEvent second = (await _calendar.WriteAsync(UserId, [create], default))[0].Event!;

        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task GetChangesAsync_WithCursor_UsesWindowTheCursorWasMadeFor()
    {
        ChangeFeed first = await _calendar.GetChangesAsync(UserId, null, Window, default);
        _calendar.AddByUser(UserId, OutsideWindow("later"));
        var widerWindow = new Interval(Window.Start, Instant.FromUtc(2028, 1, 1, 0, 0));

        ChangeFeed second = await _calendar.GetChangesAsync(UserId, first.NextCursor, widerWindow, default);

        Assert.Empty(second.Changed);
        Assert.Empty(second.Removed);
    }

    [Fact]
    public async Task GetChangesAsync_EventMovedIntoWindow_IsReportedAsChanged()
    {
        CalendarEvent later = _calendar.AddByUser(UserId, OutsideWindow("later"));
        ChangeFeed first = await _calendar.GetChangesAsync(UserId, null, Window, default);
        _calendar.UpdateByUser(UserId, later.Id!, e => e with { Timing = InWindow("x").Timing });

        ChangeFeed second = await _calendar.GetChangesAsync(UserId, first.NextCursor, Window, default);

        Assert.Equal(later.Id, Assert.Single(second.Changed).Id);
    }

    [Fact]
    public async Task Counters_BatchOfWrites_CountsEachWriteAndTheBatch()
    {
        CalendarEvent a = _calendar.AddByUser(UserId, InWindow("a"));
        await _calendar.WriteAsync(
            UserId,
            [EventWrite.Create(InWindow("b")), EventWrite.Update(a.Id!, null, a, EventFields.Subject), EventWrite.Delete(a.Id!, null)],
            default);
        await _calendar.GetAsync(UserId, a.Id!, Window, default);

        Assert.Equal((3, 1, 1, 1, 1, 1), (_calendar.WriteCount, _calendar.CreateCount, _calendar.UpdateCount, _calendar.DeleteCount, _calendar.BatchCount, _calendar.ReadCount));

        _calendar.ResetCounters();

        Assert.Equal((0, 0, 0), (_calendar.WriteCount, _calendar.BatchCount, _calendar.ReadCount));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentBatches_AllWritesApplied()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            _calendar.WriteAsync(UserId, [EventWrite.Create(InWindow($"e{i}")), EventWrite.Create(InWindow($"f{i}"))], default))));

        Assert.Equal(40, _calendar.GetAll(UserId).Select(e => e.Id).Distinct().Count());
    }
}
