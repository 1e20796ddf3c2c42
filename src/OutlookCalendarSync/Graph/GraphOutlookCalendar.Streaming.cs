using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Graph;

/// <summary>A full delta round handed over page by page, read one page ahead of the engine (see <see cref="IOutlookRoundPages"/>).</summary>
internal sealed partial class GraphOutlookCalendar : IOutlookRoundPages
{
    public async IAsyncEnumerable<OutlookRoundPage> ReadFullRoundAsync(string userId, Interval window, LinkedEventLookup linked, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Guard.UserId(userId);
        Guard.NotNull(linked);

        // One page waits in the channel while the reader maps the next: the reader is at most two pages ahead of the consumer,
        // and never more (a slow consumer holds the reader back, so memory stays bounded by the page size).
        var pages = Channel.CreateBounded<OutlookRoundPage>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task reading = Task.Run(
            async () =>
            {
                try
                {
                    ChangeFeed rest = await ReadRoundAsync(userId, null, window, linked, page => pages.Writer.WriteAsync(page, stop.Token), stop.Token).ConfigureAwait(false);
                    await pages.Writer.WriteAsync(new OutlookRoundPage(rest.Changed, rest.Removed, rest.Notes, rest.NextCursor), stop.Token).ConfigureAwait(false);
                    pages.Writer.Complete();
                }
                catch (Exception ex)
                {
                    // The consumer sees the reader's exception itself (a ChannelReader's WaitToReadAsync rethrows it as is).
                    pages.Writer.Complete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            await foreach (OutlookRoundPage page in pages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return page;
            }
        }
        finally
        {
            // The consumer stopped (done, failed or cancelled): the reader stops too, and is waited for so that no request of this
            // round outlives the run. It never throws (it completes the channel with its exception instead).
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What one page of a round hands over (<see cref="ReadRoundAsync"/> with a consumer): the page's single events mapped, the ids it
    /// removed, the notes of its single events; the single events and their notes are then dropped from the round's dictionaries.
    /// </summary>
    private static OutlookRoundPage HandOver(
        GraphDeltaPage page,
        Dictionary<string, GraphEventData> singles,
        Dictionary<string, CalendarEvent> changed,
        Dictionary<string, EventRemoval> removed,
        Dictionary<string, SyncNote> notes)
    {
        CalendarEvent[] mapped = [.. changed.Values];
        changed.Clear();
        var pageNotes = new List<SyncNote>();
        foreach (string id in singles.Keys)
        {
            if (notes.Remove(id, out SyncNote? note))
            {
                pageNotes.Add(note);
            }
        }

        // Removals stay in the round's dictionary (its series reading looks masters up there), but each is handed over once,
        // with the page that reported it.
        var pageRemovals = new List<EventRemoval>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (GraphEventData item in page.Items)
        {
            if (item.Id is { Length: > 0 } id && seen.Add(id) && removed.TryGetValue(id, out EventRemoval? removal))
            {
                pageRemovals.Add(removal);
            }
        }

        return new OutlookRoundPage(mapped, pageRemovals, pageNotes, DeltaLink: null);
    }
}
