using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Specification.Tests;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class InMemoryOutlookCalendarContractTests : OutlookCalendarContract
{
    private readonly InMemoryOutlookCalendar _calendar = new(new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0)));

    protected override IOutlookCalendar CreateCalendar() => _calendar;

    protected override Task<CalendarEvent> AddByUserAsync(string userId, CalendarEvent newEvent)
        => Task.FromResult(_calendar.AddByUser(userId, newEvent));

    protected override Task<CalendarEvent> ChangeByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change)
        => Task.FromResult(_calendar.UpdateByUser(userId, eventId, change));

    protected override Task DeleteByUserAsync(string userId, string eventId)
    {
        _calendar.DeleteByUser(userId, eventId);
        return Task.CompletedTask;
    }

    protected override Task ExpireCursorsAsync(string userId)
    {
        _calendar.ExpireCursors(userId);
        return Task.CompletedTask;
    }
}
