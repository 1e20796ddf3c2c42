using NodaTime;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>The demo's Outlook as the in-memory double of <c>OutlookCalendarSync.Testing</c>.</summary>
internal sealed class InMemoryDemoOutlook(string userId, IClock clock) : IDemoOutlook
{
    private readonly InMemoryOutlookCalendar _calendar = new(clock);

    public string Description => "the in-memory Outlook calendar of OutlookCalendarSync.Testing";

    public IOutlookCalendar Calendar => _calendar;

    public OutboxSummary? Outbox => null;

    public Task<CalendarEvent> AddAsync(CalendarEvent newEvent, CancellationToken cancellationToken)
        => Task.FromResult(_calendar.AddByUser(userId, newEvent));

    public Task<CalendarEvent> UpdateAsync(string eventId, Func<CalendarEvent, CalendarEvent> change, CancellationToken cancellationToken)
        => Task.FromResult(_calendar.UpdateByUser(userId, eventId, change));

    public Task DeleteAsync(string eventId, CancellationToken cancellationToken)
    {
        _calendar.DeleteByUser(userId, eventId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CalendarEvent>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult(_calendar.GetAll(userId));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
