using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Specification.Tests;

namespace OutlookCalendarSync.PostgreSql.Tests.Contracts;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlCalendarStoreContractTests : CalendarStoreContract, IDisposable
{
    private readonly PostgreSqlServer _server;
    private readonly PostgreSqlStoreOptions _options;
    private readonly PostgreSqlCalendarStore _store;

    public PostgreSqlCalendarStoreContractTests(PostgreSqlServer server)
    {
        _server = server;
        _options = server.NewSchema();
        _store = new PostgreSqlCalendarStore(_options, new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0)));
    }

    protected override ICalendarStore CreateStore() => _store;

    protected override Task<CalendarEvent> ChangeByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change)
        => _store.UpdateByUserAsync(userId, eventId, change, default);

    protected override Task ExpireCursorsAsync(string userId) => _store.ExpireCursorsAsync(userId, default);

    public void Dispose() => _server.DropSchema(_options);
}
