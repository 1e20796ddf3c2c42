using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Calendars;

/// <summary>
/// An Outlook calendar that can hand the engine a full delta round page by page (the Graph adapter), so that a first sync
/// reconciles and writes each page and drops it instead of holding the whole round. A calendar without it (the in-memory
/// calendar, a host's own implementation) is read whole through <see cref="IOutlookCalendar.GetChangesAsync(string, string?, Interval, LinkedEventLookup, CancellationToken)"/>.
/// </summary>
/// <remarks>Internal for now: no public API changes until the shape has proved itself.</remarks>
internal interface IOutlookRoundPages
{
    /// <summary>
    /// Reads a full round of the window (no cursor), yielding each delta page's single events as soon as the page is mapped, then,
    /// last, everything the round's series produced and the round's cursor (<see cref="OutlookRoundPage.DeltaLink"/> set).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Pages are read ahead of the consumer, at most one page beyond the one it is working on, so the wire and the consumer's work
    /// overlap. The same id may come in two pages (Graph replays an event changed during the round): its last version is the one
    /// that counts, and an id removed in a later page is removed. Series items (masters, occurrences, modified occurrences) are
    /// held back to the last page and read as <see cref="IOutlookCalendar.GetChangesAsync(string, string?, Interval, LinkedEventLookup, CancellationToken)"/> reads them.
    /// </para>
    /// <para>
    /// A failure reading a page (after the adapter's retries) ends the enumeration with the same exception the whole-round read
    /// throws; leaving the enumeration early stops the reading.
    /// </para>
    /// </remarks>
    /// <param name="userId">The host's user id.</param>
    /// <param name="window">The window the round covers.</param>
    /// <param name="linked">As for the whole-round read: the engine's links and whether the stamps of unlinked events matter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The pages, the last one with the cursor.</returns>
    IAsyncEnumerable<OutlookRoundPage> ReadFullRoundAsync(string userId, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken);
}

/// <summary>One page of a full delta round (see <see cref="IOutlookRoundPages"/>).</summary>
/// <param name="Changed">The single events of the page (of the round's series, on the last page).</param>
/// <param name="Removed">The ids the page reports removed (or, on the last page, that the round's series reading found gone).</param>
/// <param name="Notes">Events of the page left out on purpose, with the reason.</param>
/// <param name="DeltaLink">The round's cursor, on the last page only.</param>
internal sealed record OutlookRoundPage(IReadOnlyList<CalendarEvent> Changed, IReadOnlyList<EventRemoval> Removed, IReadOnlyList<SyncNote> Notes, string? DeltaLink);
