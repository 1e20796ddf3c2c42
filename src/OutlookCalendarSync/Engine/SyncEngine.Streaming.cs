using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// A first sync that reconciles and writes the Outlook round page by page (<see cref="IOutlookRoundPages"/>), so that it never
/// holds the whole round, its plan or its links: each page's single events are reconciled, written to the host calendar, their
/// links journaled, and dropped, while the adapter reads the next page.
/// </summary>
/// <remarks>
/// <para>
/// Used only where it does what the whole-round path does: a run that reads both sides in full (no cursor), for a user with no
/// link, no pending id and no interrupted run before it (an interrupted run may have created Outlook events whose link was never
/// journaled: the whole-round path reads their stamps and pairs them). Everything else, full resyncs with links included (they
/// need "absent from the round means removed"), takes the whole-round path.
/// </para>
/// <para>
/// The host calendar is read whole first, as the whole-round path reads it. An Outlook single event that the reconciler could pair
/// with a host event (<see cref="EventMatcher"/>: by a host-id stamp, by a host event's stamp naming it, by iCalUId, or by a
/// subject, start and end that a host event has) is held back to the end of the round, and so is every series item (see
/// below): the end of the round then reconciles the host calendar with what was held back exactly as the whole-round path
/// reconciles it with the whole round. The single events streamed share no key with any host event, so the whole-round path
/// would have created each of them in the host calendar on its own too (nothing else of the reconciler looks across events).
/// </para>
/// <para>
/// Series: Graph's documentation does not promise that a delta page never splits a series, so series items (masters,
/// occurrences, modified occurrences) are never streamed: the adapter holds them to the round's end and reads them as it does
/// for the whole round (a first sync of many series keeps the whole-round path's memory).
/// </para>
/// <para>
/// Replays: Graph may report the same id in two pages of a round. An id a page reports that an earlier page created and linked
/// is found by id in the state store (the page's ids only) and becomes an update of that link, never a second host event; an id
/// a later page reports removed has its host copy deleted and its link dropped, since the whole-round path, which keeps only an
/// id's last state in the round, would never have created it.
/// </para>
/// <para>
/// Failure: each page's writes are journaled as they settle, with the state marked interrupted, and the cursor is saved only at
/// the end of the round. A run that stops mid-round (a crash, a cancellation, a throttled or failed page read) leaves journaled
/// links and no cursor: the next run is a full resync with links (the whole-round path), which recognises every write made.
/// </para>
/// <para>
/// Memory: what stays alive across pages is the host feed (read first, as today), the held-back events, the counts, failures and
/// notes of the report, and the ids the run reads again next time (<see cref="SyncState.PendingLocalIds"/>: every host event a
/// run creates is one, as on the whole-round path, about 100 bytes each).
/// </para>
/// </remarks>
internal sealed partial class SyncEngine
{
    private static readonly IReadOnlyDictionary<string, CalendarEvent> NothingLinked = new Dictionary<string, CalendarEvent>();

    /// <summary>Whether a run of this state may stream the Outlook round (see the remarks of this file's class part).</summary>
    private static bool StreamsFirstSync(SyncState state)
        => state is { RemoteCursor: null, LocalCursor: null, IsInterrupted: false, IsLinkCountKnown: true, Links.TotalCount: 0 }
           && state.PendingLocalIds.Count == 0
           && state.PendingRemoteIds.Count == 0;

    private async Task<SyncResult> RunStreamedAsync(IOutlookRoundPages pages, SyncState state, OutlookCalendarSyncOptions options, Instant started, CancellationToken cancellationToken)
    {
        string userId = state.UserId;
        Interval window = options.WindowAt(started);
        var reader = new FeedReader(_localStore, _remoteCalendar, _logger);
        ChangeFeed localFeed = await reader.ReadFullLocalAsync(userId, window, cancellationToken).ConfigureAwait(false);

        // As on the whole-round path: the user has no link, so the look-up finds none, and the stamps of unlinked Outlook events
        // matter when the host calendar has events.
        bool stampsMatter = await FeedReader.StampsMatterAsync(state, localFeed, new RunLinks(_stateStore, state), cancellationToken).ConfigureAwait(false);
        var linked = new LinkedEventLookup((_, _) => Task.FromResult(NothingLinked), stampsMatter);
        var hostKeys = new HostMatchKeys(localFeed.Changed);
        ReconciliationOptions rules = options.ToReconciliationOptions(started) with
        {
            // A page deletes only host copies this run created of events a later page reported removed: never a user's event.
            AllowMassDeletion = true,
        };
        var executor = new PlanExecutor(_localStore, _remoteCalendar, options.OutlookBatchSize, _logger) { SeriesHorizon = window.End };
        var round = new StreamedRound(state);
        var heldBack = new Dictionary<string, CalendarEvent>(StringComparer.Ordinal);
        OutlookRoundPage? last = null;
        await foreach (OutlookRoundPage page in pages.ReadFullRoundAsync(userId, window, linked, cancellationToken).ConfigureAwait(false))
        {
            if (page.DeltaLink is not null)
            {
                last = page;
                continue;
            }

            await StreamPageAsync(page).ConfigureAwait(false);
        }

        if (last is null)
        {
            throw new OutlookCalendarSyncException("The Outlook round ended without a cursor; the next run reads it again.");
        }

        // The series of the round (and single events that became series items in a later page: the last version counts).
        foreach (string id in last.Changed.Select(e => e.Id!).Concat(last.Removed.Select(r => r.Id)))
        {
            heldBack.Remove(id);
            round.ForgetNote(id);
        }

        round.AddNotes(last.Notes);
        var rest = new ChangeFeed([.. heldBack.Values, .. last.Changed], last.Removed, last.DeltaLink!, isFullSnapshot: false);
        heldBack.Clear();

        // The links the pages made are looked up by id from here on, as an incremental run looks them up. The mass-deletion guard
        // of the end's reconcile counts them (the whole-round path counts none in a first sync): it is only more lenient, for
        // deletions the end of a first sync can plan (copies of host events deleted since an earlier, lost run created them).
        SyncState counted = state with { Links = LinkCollection.Partial([], round.LinkCount) };
        var links = new RunLinks(_stateStore, counted);
        FeedReader.Feeds feeds = await reader.CompleteStreamedAsync(counted, links, localFeed, rest, window, cancellationToken).ConfigureAwait(false);
        feeds = feeds with { Notes = [.. round.Notes, .. feeds.Notes] };
        return await ReconcileAndSaveAsync(counted, links, feeds, options, started, round, cancellationToken).ConfigureAwait(false);

        async Task StreamPageAsync(OutlookRoundPage page)
        {
            var streamed = new List<CalendarEvent>(page.Changed.Count);
            foreach (CalendarEvent e in page.Changed)
            {
                string id = e.Id!;
                heldBack.Remove(id);
                round.ForgetNote(id);
                if (e.SeriesMasterId is not null || e.Recurrence is not null || hostKeys.CouldMatch(e))
                {
                    heldBack[id] = e;
                }
                else
                {
                    streamed.Add(e);
                }
            }

            foreach (EventRemoval removal in page.Removed)
            {
                heldBack.Remove(removal.Id);
                round.ForgetNote(removal.Id);
            }

            round.AddNotes(page.Notes);
            string[] outlookIds = [.. streamed.Select(e => e.Id!), .. page.Removed.Select(r => r.Id)];
            if (outlookIds.Length == 0)
            {
                return;
            }

            // An id an earlier page created and linked (a replay) is found here: the page updates or deletes its link.
            IReadOnlyList<StoredLink> found = await _stateStore.FindLinksAsync(userId, [], outlookIds, cancellationToken).ConfigureAwait(false);
            LinkCollection pageLinks = LinkCollection.Create(found.Select(LinkPayload.FromStored));
            string[] deleted = [.. page.Removed.Select(r => r.Id).Where(id => pageLinks.FindByRemoteId(id) is not null)];
            if (streamed.Count == 0 && deleted.Length == 0)
            {
                return;
            }

            SyncPlan plan = Reconciler.Reconcile(pageLinks, SideChanges.None, new SideChanges(streamed, deleted, isFullSnapshot: false), rules, _resolver, started);
            if (plan.Changes.Any(c => c.RemoteWrite?.Kind == WriteKind.Create) && !round.Current.IsInterrupted)
            {
                // Never the case for pages that only bring Outlook events in; kept so that a create in flight is always known.
                round.Current = await _states.SaveAsync(round.Current with { IsInterrupted = true }, [], [], cancellationToken).ConfigureAwait(false);
            }

            PlanExecutor.Outcome outcome = await executor.ExecuteAsync(
                userId,
                plan,
                async (upserts, removed) => round.Current = await _states.SaveAsync(round.Current with { IsInterrupted = true }, removed, upserts, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            round.Add(plan, outcome, pageLinks);
        }
    }

    /// <summary>What the streamed pages of a first sync did, kept for the run's end: counts, failures, notes, never the events.</summary>
    private sealed class StreamedRound(SyncState state)
    {
        private readonly Dictionary<string, SyncNote> _notesById = new(StringComparer.Ordinal);
        private readonly List<SyncNote> _otherNotes = [];

        /// <summary>The state at its latest saved revision.</summary>
        public SyncState Current { get; set; } = state;

        /// <summary>The pages' outcomes, without their links (journaled already).</summary>
        public PlanExecutor.Outcome Outcome { get; } = new();

        public List<SyncNote> PlanNotes { get; } = [];

        public List<SyncFailure> PlanFailures { get; } = [];

        /// <summary>How many links the pages made (less those they dropped).</summary>
        public int LinkCount { get; private set; }

        /// <summary>The notes of the round's events, each event's last.</summary>
        public IEnumerable<SyncNote> Notes => _otherNotes.Concat(_notesById.Values);

        public void ForgetNote(string id) => _notesById.Remove(id);

        public void AddNotes(IEnumerable<SyncNote> notes)
        {
            foreach (SyncNote note in notes)
            {
                if (note.EventId is { } id)
                {
                    _notesById[id] = note;
                }
                else
                {
                    _otherNotes.Add(note);
                }
            }
        }

        public void Add(SyncPlan plan, PlanExecutor.Outcome outcome, LinkCollection pageLinks)
        {
            PlanNotes.AddRange(plan.Notes);
            PlanFailures.AddRange(plan.Failures);
            LinkCount += pageLinks.With(outcome.RemovedLinks, outcome.UpsertedLinks).Count - pageLinks.Count;
            outcome.RemovedLinks.Clear();
            outcome.UpsertedLinks.Clear();
            Outcome.Absorb(outcome);
        }
    }

    /// <summary>
    /// The keys by which <see cref="EventMatcher"/> could pair an unlinked Outlook event with one of the host events: an Outlook
    /// event that has none of them can pair with no host event, whatever else the round holds.
    /// </summary>
    private sealed class HostMatchKeys
    {
        private readonly HashSet<string> _stampedOutlookIds = new(StringComparer.Ordinal);
        private readonly HashSet<string> _iCalUIds = new(StringComparer.Ordinal);
        private readonly HashSet<(string Subject, bool IsAllDay, Instant Start, Instant End)> _naturalKeys = [];

        public HostMatchKeys(IEnumerable<CalendarEvent> hostEvents)
        {
            foreach (CalendarEvent e in hostEvents)
            {
                if (!string.IsNullOrWhiteSpace(e.CounterpartId))
                {
                    _stampedOutlookIds.Add(e.CounterpartId);
                }

                if (!string.IsNullOrWhiteSpace(e.ICalUId))
                {
                    _iCalUIds.Add(e.ICalUId);
                }

                if (NaturalKeyOf(e) is { } key)
                {
                    _naturalKeys.Add(key);
                }
            }
        }

        /// <summary>
        /// True when the Outlook event could be paired with a host event, or is the library's copy of one (a host-id stamp: the
        /// whole-round path reads that host event by id and may delete the copy), so it must wait for the round's end.
        /// </summary>
        public bool CouldMatch(CalendarEvent e)
            => !string.IsNullOrWhiteSpace(e.CounterpartId)
               || _stampedOutlookIds.Contains(e.Id!)
               || (!string.IsNullOrWhiteSpace(e.ICalUId) && _iCalUIds.Contains(e.ICalUId))
               || (NaturalKeyOf(e) is { } key && _naturalKeys.Contains(key));

        /// <summary>The (subject, start, end) key of <see cref="EventMatcher"/>'s last rule (it keeps the keys unique on both sides).</summary>
        private static (string, bool, Instant, Instant)? NaturalKeyOf(CalendarEvent e)
            => e.Subject is null ? null : (e.Subject, e.Timing.IsAllDay, e.Timing.StartInstant, e.Timing.EndInstant);
    }
}
