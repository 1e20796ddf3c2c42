using NodaTime;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Tests.Contracts;
using static OutlookCalendarSync.Tests.Contracts.ContractEvents;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>The remote-port contract, run against the Graph adapter over the real SDK and the Graph emulator.</summary>
public sealed class GraphOutlookCalendarContractTests : OutlookCalendarContract, IAsyncLifetime
{
    private GraphTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GraphTestHost.StartAsync(Instant.FromUtc(2026, 11, 15, 8, 0));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    protected override IOutlookCalendar CreateCalendar() => _host.Calendar;

    protected override Task<CalendarEvent> AddByUserAsync(string userId, CalendarEvent newEvent) => _host.AddByUserAsync(userId, newEvent);

    protected override Task<CalendarEvent> ChangeByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change)
        => _host.ChangeByUserAsync(userId, eventId, change);

    protected override Task DeleteByUserAsync(string userId, string eventId)
    {
        _host.Emulator.DeleteEvent(userId, eventId);
        return Task.CompletedTask;
    }

    protected override Task ExpireCursorsAsync(string userId)
    {
        _host.Emulator.ExpireDeltaTokens(userId);
        return Task.CompletedTask;
    }

    /// <summary>Until recurrence is supported, every part of a series is left out of the feed with a note, never synced as a single event.</summary>
    [Fact]
    public override async Task GetChangesAsync_NullCursor_IncludesSeriesMasterStartingBeforeWindow()
    {
        const string Weekly = """
            {"subject":"Weekly","start":{"dateTime":"2025-01-06T09:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2025-01-06T09:30:00","timeZone":"W. Europe Standard Time"},
             "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd","startDate":"2025-01-06"}}}
            """;
        string master = _host.Emulator.AddEvent(UserId, Weekly)["id"]!.GetValue<string>();
        string exception = _host.Emulator.UpdateEvent(UserId, $"{master}_20261207T080000Z", """{"subject":"Weekly, moved room"}""")["id"]!.GetValue<string>();
        CalendarEvent single = await AddByUserAsync(UserId, InWindow("single"));

        ChangeFeed feed = await Calendar.GetChangesAsync(UserId, null, Window, default);

        Assert.Equal(single.Id, Assert.Single(feed.Changed).Id);
        Assert.Contains(feed.Notes, n => n.EventId == master);
        Assert.Contains(feed.Notes, n => n.EventId == exception);
        Assert.Equal(10, feed.Notes.Count);
        Assert.All(feed.Notes, n => Assert.Equal(GraphEventMapper.RecurringNotSupported, n.Reason));
    }
}
