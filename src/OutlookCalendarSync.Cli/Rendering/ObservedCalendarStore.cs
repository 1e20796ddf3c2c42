using NodaTime;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>Passes every call to the local calendar through, telling <see cref="SyncActivity"/> what is happening.</summary>
internal sealed class ObservedCalendarStore(ICalendarStore inner, SyncActivity activity) : ICalendarStore
{
    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
    {
        activity.Enter(cursor is null ? "Reading the local calendar" : "Reading local changes");
        return inner.GetChangesAsync(userId, cursor, window, cancellationToken);
    }

    public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken)
        => inner.GetAsync(userId, eventId, cancellationToken);

    public async Task<CalendarEvent> CreateAsync(string userId, CalendarEvent newEvent, CancellationToken cancellationToken)
    {
        activity.Enter("Writing the local calendar");
        CalendarEvent created = await inner.CreateAsync(userId, newEvent, cancellationToken).ConfigureAwait(false);
        activity.WroteLocal();
        return created;
    }

    public async Task<CalendarEvent> UpdateAsync(string userId, CalendarEvent updatedEvent, EventFields changedFields, CancellationToken cancellationToken)
    {
        activity.Enter("Writing the local calendar");
        CalendarEvent updated = await inner.UpdateAsync(userId, updatedEvent, changedFields, cancellationToken).ConfigureAwait(false);
        activity.WroteLocal();
        return updated;
    }

    public async Task DeleteAsync(string userId, string eventId, string? expectedVersion, CancellationToken cancellationToken)
    {
        activity.Enter("Writing the local calendar");
        await inner.DeleteAsync(userId, eventId, expectedVersion, cancellationToken).ConfigureAwait(false);
        activity.WroteLocal();
    }
}
