using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Tests.Contracts;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

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
}
