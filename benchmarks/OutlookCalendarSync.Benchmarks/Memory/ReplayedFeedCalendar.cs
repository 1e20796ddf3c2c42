using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>
/// The Graph adapter with its first full delta round read beforehand: <see cref="GetChangesAsync(string, string?, Interval, CancellationToken)"/>
/// with no cursor answers that round once (its events are the adapter's own, read from the emulator outside the measurement);
/// every other call goes to the adapter. Lets <see cref="MeasuredPhase.Engine"/> measure what a first sync costs beyond the feed.
/// </summary>
internal sealed class ReplayedFeedCalendar(IOutlookCalendar graph, ChangeFeed firstRound) : IOutlookCalendar
{
    private ChangeFeed? _firstRound = firstRound;

    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
    {
        if (cursor is null && Interlocked.Exchange(ref _firstRound, null) is { } feed)
        {
            return Task.FromResult(feed);
        }

        return graph.GetChangesAsync(userId, cursor, window, cancellationToken);
    }

    public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken)
        => graph.GetAsync(userId, eventId, window, cancellationToken);

    public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken)
        => graph.GetManyAsync(userId, eventIds, window, cancellationToken);

    public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
        => graph.WriteAsync(userId, writes, cancellationToken);
}
