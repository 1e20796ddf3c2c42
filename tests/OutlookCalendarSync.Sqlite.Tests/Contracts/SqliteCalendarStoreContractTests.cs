using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Specification.Tests;

namespace OutlookCalendarSync.Sqlite.Tests.Contracts;

public sealed class SqliteCalendarStoreContractTests : CalendarStoreContract, IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly SqliteCalendarStore _store;

    public SqliteCalendarStoreContractTests() => _store = new SqliteCalendarStore(_database.Options, new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0)));

    protected override ICalendarStore CreateStore() => _store;

    protected override Task<CalendarEvent> ChangeByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change)
        => Task.FromResult(_store.UpdateByUser(userId, eventId, change));

    protected override Task ExpireCursorsAsync(string userId)
    {
        _store.ExpireCursors(userId);
        return Task.CompletedTask;
    }

    public void Dispose() => _database.Dispose();
}
