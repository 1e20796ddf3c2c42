using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>Passes every call to the Outlook calendar through, telling <see cref="SyncActivity"/> what is happening.</summary>
internal sealed class ObservedOutlookCalendar(IOutlookCalendar inner, SyncActivity activity) : IOutlookCalendar
{
    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
    {
        activity.Enter(cursor is null ? "Reading the Outlook calendar" : "Reading Outlook changes");
        return inner.GetChangesAsync(userId, cursor, window, cancellationToken);
    }

    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken)
    {
        activity.Enter(cursor is null ? "Reading the Outlook calendar" : "Reading Outlook changes");
        return inner.GetChangesAsync(userId, cursor, window, linked, cancellationToken);
    }

    public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken)
        => inner.GetAsync(userId, eventId, window, cancellationToken);

    public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken)
        => inner.GetManyAsync(userId, eventIds, window, cancellationToken);

    public async Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
    {
        activity.Enter("Writing to Outlook");
        IReadOnlyList<EventWriteResult> results = await inner.WriteAsync(userId, writes, cancellationToken).ConfigureAwait(false);
        activity.WroteOutlook(writes.Count);
        return results;
    }
}
