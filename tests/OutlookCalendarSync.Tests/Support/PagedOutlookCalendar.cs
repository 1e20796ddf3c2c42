using System.Runtime.CompilerServices;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Support;

/// <summary>
/// The in-memory Outlook calendar with the capability the Graph adapter has (<see cref="IOutlookRoundPages"/>): a full round
/// handed over in pages of single events, then its series, removals and cursor, as the adapter hands a delta round over. It
/// lets the property test run first syncs through the engine's streamed path, crashes and failed writes included.
/// </summary>
internal sealed class PagedOutlookCalendar(InMemoryOutlookCalendar inner, int pageSize) : IOutlookCalendar, IOutlookRoundPages
{
    public int RoundsStreamed { get; private set; }

    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, cancellationToken);

    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken) => ((IOutlookCalendar)inner).GetChangesAsync(userId, cursor, window, linked, cancellationToken);

    public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, window, cancellationToken);

    public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken) => ((IOutlookCalendar)inner).GetManyAsync(userId, eventIds, window, cancellationToken);

    public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken) => inner.WriteAsync(userId, writes, cancellationToken);

    public async IAsyncEnumerable<OutlookRoundPage> ReadFullRoundAsync(string userId, Interval window, LinkedEventLookup linked, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RoundsStreamed++;
        ChangeFeed round = await GetChangesAsync(userId, null, window, linked, cancellationToken);
        List<CalendarEvent> singles = [.. round.Changed.Where(e => e.SeriesMasterId is null && e.Recurrence is null)];
        foreach (CalendarEvent[] page in singles.Chunk(pageSize))
        {
            yield return new OutlookRoundPage(page, [], [], DeltaLink: null);
        }

        yield return new OutlookRoundPage([.. round.Changed.Where(e => e.SeriesMasterId is not null || e.Recurrence is not null)], round.Removed, round.Notes, round.NextCursor);
    }
}
