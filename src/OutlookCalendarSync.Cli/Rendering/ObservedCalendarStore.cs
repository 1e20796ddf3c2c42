using NodaTime;
using OutlookCalendarSync.Calendars;
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

    public async Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken)
    {
        activity.Enter("Writing the local calendar");
        CalendarEvent created = await inner.CreateAsync(userId, create, cancellationToken).ConfigureAwait(false);
        activity.WroteLocal();
        return created;
    }

    public async Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
    {
        activity.Enter("Writing the local calendar");
        CalendarEvent updated = await inner.UpdateAsync(userId, update, cancellationToken).ConfigureAwait(false);
        activity.WroteLocal();
        return updated;
    }

    public async Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken)
    {
        activity.Enter("Writing the local calendar");
        await inner.DeleteAsync(userId, deletion, cancellationToken).ConfigureAwait(false);
        activity.WroteLocal();
    }
}
