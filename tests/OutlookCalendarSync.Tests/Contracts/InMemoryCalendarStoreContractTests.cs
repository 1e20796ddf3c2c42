using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Specification.Tests;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class InMemoryCalendarStoreContractTests : CalendarStoreContract
{
    private readonly InMemoryCalendarStore _store = new(new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0)));

    protected override ICalendarStore CreateStore() => _store;

    protected override Task<CalendarEvent> ChangeByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change)
        => Task.FromResult(_store.UpdateByUser(userId, eventId, change));

    protected override Task ExpireCursorsAsync(string userId)
    {
        _store.ExpireCursors(userId);
        return Task.CompletedTask;
    }
}
