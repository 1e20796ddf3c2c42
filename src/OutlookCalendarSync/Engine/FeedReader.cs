using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// Reads both change feeds for a run and turns them into reconciler input: expired cursors become full reads, Outlook removals are
/// confirmed by id (an event moved out of the window is not a deletion), and events whose last change failed are read again.
/// </summary>
internal sealed class FeedReader(ICalendarStore localStore, IOutlookCalendar remoteCalendar, ILogger logger)
{
    public sealed record Feeds(SideChanges Local, string LocalCursor, SideChanges Remote, string RemoteCursor, Interval RemoteWindow, bool WasFullResync, IReadOnlyList<SyncNote> Notes);

    /// <summary>Reads both feeds, loading into <paramref name="links"/> the links the run touches (all of them for a full read).</summary>
    public async Task<Feeds> ReadAsync(SyncState state, RunLinks links, Interval window, Duration reanchorAfter, CancellationToken cancellationToken)
    {
        string userId = state.UserId;
        string? remoteCursor = state.RemoteCursor;
        Interval remoteWindow = state.RemoteCursorWindow ?? window;
        string? localCursor = state.LocalCursor;
        if (state.IsInterrupted && (remoteCursor is not null || localCursor is not null))
        {
            Log.FullResync(logger, userId, SyncSide.Outlook, "the previous run was interrupted");
            remoteCursor = null;
            localCursor = null;
        }

        bool fullResync = remoteCursor is null || localCursor is null;
        if (remoteCursor is not null && (state.RemoteCursorWindow is null || window.Start - remoteWindow.Start > reanchorAfter))
        {
            Log.FullResync(logger, userId, SyncSide.Outlook, "the sync window moved on");
            remoteCursor = null;
        }

        if (remoteCursor is null)
        {
            remoteWindow = window;
        }

        // The host feed is read first: whether the library's stamps on unlinked Outlook events can matter depends on it.
        ChangeFeed localFeed;
        try
        {
            localFeed = await localStore.GetChangesAsync(userId, localCursor, window, cancellationToken).ConfigureAwait(false);
        }
        catch (CursorExpiredException)
        {
            Log.FullResync(logger, userId, SyncSide.Host, "the cursor expired");
            localFeed = await localStore.GetChangesAsync(userId, null, window, cancellationToken).ConfigureAwait(false);
        }

        // The Outlook feed asks which of its events are linked (the Graph adapter then reads no stamps of those): a full read
        // loads every link now, as it does below anyway; an incremental one only the links of the ids asked about.
        bool loadsAllLinks = fullResync || remoteCursor is null || links.NeedsFullLoad || localFeed.IsFullSnapshot;
        var linked = new LinkedEventLookup(
            async (outlookIds, ct) =>
            {
                if (loadsAllLinks)
                {
                    await links.LoadAllAsync(ct).ConfigureAwait(false);
                }
                else
                {
                    await links.EnsureAsync([], outlookIds, ct).ConfigureAwait(false);
                }

                var found = new Dictionary<string, CalendarEvent>(StringComparer.Ordinal);
                foreach (string id in outlookIds)
                {
                    if (links.Current.FindByRemoteId(id) is { } link)
                    {
                        found[id] = link.Base with { Id = id, CounterpartId = link.LocalId };
                    }
                }

                return found;
            },
            await StampsOfUnlinkedMatterAsync(state, localFeed, links, loadsAllLinks, cancellationToken).ConfigureAwait(false));

        ChangeFeed remoteFeed;
        try
        {
            remoteFeed = await remoteCalendar.GetChangesAsync(userId, remoteCursor, remoteWindow, linked, cancellationToken).ConfigureAwait(false);
        }
        catch (CursorExpiredException)
        {
            Log.FullResync(logger, userId, SyncSide.Outlook, "the delta link expired");
            remoteWindow = window;
            remoteCursor = null;
            loadsAllLinks = true;
            remoteFeed = await remoteCalendar.GetChangesAsync(userId, null, remoteWindow, linked, cancellationToken).ConfigureAwait(false);
        }

        fullResync |= remoteFeed.IsFullSnapshot || localFeed.IsFullSnapshot;

        // A full snapshot (or a state that does not say how many links it has) needs every link; otherwise only the links of the
        // ids the feeds, the pending ids and the events read by id below name, asked for before each step that looks them up.
        if (fullResync || remoteCursor is null || links.NeedsFullLoad)
        {
            await links.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EnsureNamedAsync(state, links, localFeed, remoteFeed, cancellationToken).ConfigureAwait(false);
        }

        return await FinishAsync(state, links, localFeed, remoteFeed, remoteWindow, fullResync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The host side of a first sync that streams the Outlook round (see <c>SyncEngine.Streaming.cs</c>): the whole host
    /// calendar of the window, read with no cursor as a first sync reads it.
    /// </summary>
    public Task<ChangeFeed> ReadFullLocalAsync(string userId, Interval window, CancellationToken cancellationToken)
        => localStore.GetChangesAsync(userId, null, window, cancellationToken);

    /// <summary>Whether the stamps of unlinked Outlook events matter to a run that has read this host feed (see <see cref="StampsOfUnlinkedMatterAsync"/>).</summary>
    public static Task<bool> StampsMatterAsync(SyncState state, ChangeFeed localFeed, RunLinks links, CancellationToken cancellationToken)
        => StampsOfUnlinkedMatterAsync(state, localFeed, links, loadsAllLinks: false, cancellationToken);

    /// <summary>
    /// The end of a streamed first sync: the host feed read first and what the Outlook round held back (the single events that
    /// could match a host event, and its series) become reconciler input as <see cref="ReadAsync"/> makes it, with the links
    /// loaded by id (the links the streamed pages made are not the host snapshot's business: neither side is read as a full
    /// snapshot here, which in a first sync changes nothing, since a full snapshot only speaks for links made before the run).
    /// </summary>
    public async Task<Feeds> CompleteStreamedAsync(SyncState state, RunLinks links, ChangeFeed localFeed, ChangeFeed remoteRest, Interval window, CancellationToken cancellationToken)
    {
        var local = new ChangeFeed(localFeed.Changed, localFeed.Removed, localFeed.NextCursor, isFullSnapshot: false, localFeed.Notes);
        var remote = new ChangeFeed(remoteRest.Changed, remoteRest.Removed, remoteRest.NextCursor, isFullSnapshot: false, remoteRest.Notes);
        await EnsureNamedAsync(state, links, local, remote, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(state, links, local, remote, window, fullResync: true, cancellationToken).ConfigureAwait(false);
    }

    private static Task EnsureNamedAsync(SyncState state, RunLinks links, ChangeFeed localFeed, ChangeFeed remoteFeed, CancellationToken cancellationToken)
        => links.EnsureAsync(
            localFeed.Changed.Select(e => e.Id!).Concat(localFeed.Removed.Select(r => r.Id)).Concat(state.PendingLocalIds)
                .Concat(localFeed.Changed.Select(e => e.SeriesMasterId!)).Concat(remoteFeed.Changed.Select(e => e.CounterpartId!)),
            remoteFeed.Changed.Select(e => e.Id!).Concat(remoteFeed.Removed.Select(r => r.Id)).Concat(state.PendingRemoteIds)
                .Concat(remoteFeed.Changed.Select(e => e.SeriesMasterId!)).Concat(localFeed.Changed.Select(e => e.CounterpartId!)),
            cancellationToken);

    private async Task<Feeds> FinishAsync(SyncState state, RunLinks links, ChangeFeed localFeed, ChangeFeed remoteFeed, Interval remoteWindow, bool fullResync, CancellationToken cancellationToken)
    {
        string userId = state.UserId;
        SideChanges local = await ToLocalChangesAsync(userId, localFeed, state, cancellationToken).ConfigureAwait(false);
        SideChanges remote = await ToRemoteChangesAsync(userId, remoteFeed, state, links.Current, remoteWindow, cancellationToken).ConfigureAwait(false);
        await links.EnsureAsync(local, remote, cancellationToken).ConfigureAwait(false);
        remote = await AddCounterpartsAsync(local, remote, id => links.Current.FindByRemoteId(id), id => remoteCalendar.GetAsync(userId, id, remoteWindow, cancellationToken)).ConfigureAwait(false);
        await links.EnsureAsync(local, remote, cancellationToken).ConfigureAwait(false);
        local = await AddCounterpartsAsync(remote, local, id => links.Current.FindByLocalId(id), id => localStore.GetAsync(userId, id, cancellationToken)).ConfigureAwait(false);
        await links.EnsureAsync(local, remote, cancellationToken).ConfigureAwait(false);
        local = await AddDeletedSeriesAsync(local, id => links.Current.FindByLocalId(id), id => localStore.GetAsync(userId, id, cancellationToken)).ConfigureAwait(false);
        remote = await AddDeletedSeriesAsync(remote, id => links.Current.FindByRemoteId(id), id => remoteCalendar.GetAsync(userId, id, remoteWindow, cancellationToken)).ConfigureAwait(false);
        local = SeriesHorizon.Clip(local, remoteWindow.End);
        remote = SeriesHorizon.Clip(remote, remoteWindow.End);
        return new Feeds(local, localFeed.NextCursor, remote, remoteFeed.NextCursor, remoteWindow, fullResync, [.. localFeed.Notes, .. remoteFeed.Notes]);
    }

    /// <summary>
    /// Whether the library's stamps on Outlook events the engine has not linked can change what this run does, so that the Outlook
    /// feed must read them (the Graph adapter spends one request per 20 events on it: a pull of 10,000 new Outlook events would
    /// cost 500 requests for nothing).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The host-id stamp of an unlinked Outlook event names the host event a run created it for and never linked (its create answer
    /// was lost, or the run stopped before journaling the link). It changes the outcome only through a host event the engine has not
    /// linked: <see cref="Reconciliation.EventMatcher"/> pairs it with an unlinked host event of the run, the reconciler deletes it
    /// as the copy of a host event the run sees deleted, and <see cref="AddCounterpartsAsync"/> reads by id a host event the host
    /// feed left out. A stamp naming a linked host event changes nothing (the matcher and the read look at unlinked host events only).
    /// </para>
    /// <para>
    /// Such a host event is always in the host side of the run that follows the lost create: a create whose answer came back as a
    /// failure puts its host event among the ids read again (<see cref="SyncState.PendingLocalIds"/>), and a run that stopped while
    /// writing leaves <see cref="SyncState.IsInterrupted"/> (the engine marks it before sending the first create) and its cursors
    /// where they were, so the next run reads both sides in full. So the stamps matter when that run is interrupted, or when one of
    /// the host side's ids (changed, removed, or read again) is not linked. A pull or a first sync into a host calendar whose events
    /// are all linked (or that has none) reads no stamps.
    /// </para>
    /// <para>
    /// What this gives up: an Outlook event whose link was dropped while both events stayed (a reset that kept both sides and then a
    /// host calendar emptied, or a host deletion not synced back under <see cref="Reconciliation.SyncDirection.FromOutlookOnly"/>) is
    /// copied to the host calendar as a new event with Outlook's own online-meeting URL, where reading its stamp would have deleted it
    /// from Outlook as the copy of a deleted host event.
    /// </para>
    /// </remarks>
    private static async Task<bool> StampsOfUnlinkedMatterAsync(SyncState state, ChangeFeed localFeed, RunLinks links, bool loadsAllLinks, CancellationToken cancellationToken)
    {
        if (state.IsInterrupted)
        {
            return true;
        }

        string[] hostIds = [.. localFeed.Changed.Select(e => e.Id!).Concat(localFeed.Removed.Select(r => r.Id)).Concat(state.PendingLocalIds).Where(id => !string.IsNullOrWhiteSpace(id))];
        if (hostIds.Length == 0)
        {
            return false;
        }

        if (loadsAllLinks)
        {
            await links.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await links.EnsureAsync(hostIds, [], cancellationToken).ConfigureAwait(false);
        }

        return hostIds.Any(id => links.Current.FindByLocalId(id) is null);
    }

    private async Task<SideChanges> ToLocalChangesAsync(string userId, ChangeFeed feed, SyncState state, CancellationToken cancellationToken)
    {
        var changed = new List<CalendarEvent>(feed.Changed);
        var deleted = new List<string>(feed.Removed.Select(r => r.Id));
        await AddPendingAsync(state.PendingLocalIds, feed, changed, deleted, id => localStore.GetAsync(userId, id, cancellationToken)).ConfigureAwait(false);
        return new SideChanges(changed, deleted, feed.IsFullSnapshot);
    }

    private async Task<SideChanges> ToRemoteChangesAsync(string userId, ChangeFeed feed, SyncState state, LinkCollection links, Interval window, CancellationToken cancellationToken)
    {
        var changed = new List<CalendarEvent>(feed.Changed);
        var deleted = new List<string>();
        var present = new HashSet<string>(feed.Changed.Where(e => e.Id is not null).Select(e => e.Id!), StringComparer.Ordinal);
        var toConfirm = new List<string>();
        foreach (EventRemoval removal in feed.Removed)
        {
            if (present.Contains(removal.Id) || links.FindByRemoteId(removal.Id) is null)
            {
                continue;
            }

            if (removal.IsConfirmedDeletion)
            {
                deleted.Add(removal.Id);
            }
            else
            {
                toConfirm.Add(removal.Id);
            }
        }

        if (feed.IsFullSnapshot)
        {
            // A full listing leaves out what is outside its window; a linked event missing from it is confirmed by id.
            foreach (EventLink link in links)
            {
                if (!present.Contains(link.RemoteId) && link.Base.Timing.Overlaps(window))
                {
                    toConfirm.Add(link.RemoteId);
                }
            }
        }

        // Read together (the Graph adapter batches them): deleted, moved to another calendar, or only out of the window.
        string[] confirming = [.. toConfirm.Distinct(StringComparer.Ordinal)];
        IReadOnlyList<CalendarEvent?> confirmed = await remoteCalendar.GetManyAsync(userId, confirming, window, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < confirming.Length; i++)
        {
            string id = confirming[i];
            CalendarEvent? current = confirmed[i];
            if (current is null)
            {
                deleted.Add(id);
            }
            else
            {
                changed.Add(current);
                present.Add(id);
            }
        }

        await AddPendingAsync(state.PendingRemoteIds, feed, changed, deleted, id => remoteCalendar.GetAsync(userId, id, window, cancellationToken)).ConfigureAwait(false);
        return new SideChanges(changed, deleted, isFullSnapshot: false);
    }

    /// <summary>
    /// An unlinked event stamped with the id of its counterpart (a run created it, then stopped before saving the link) is matched
    /// with that counterpart: read by id when the other feed does not have it, and reported deleted when it no longer exists, so
    /// the copy is removed instead of bringing the deleted event back.
    /// </summary>
    private static async Task<SideChanges> AddCounterpartsAsync(
        SideChanges stamped,
        SideChanges other,
        Func<string, EventLink?> linkOfOther,
        Func<string, Task<CalendarEvent?>> getOther)
    {
        var present = new HashSet<string>(other.Changed.Where(e => e.Id is not null).Select(e => e.Id!), StringComparer.Ordinal);
        var deleted = new HashSet<string>(other.DeletedIds, StringComparer.Ordinal);
        var missing = stamped.Changed
            .Where(e => e.CounterpartId is { } c && !string.IsNullOrWhiteSpace(c) && !present.Contains(c) && !deleted.Contains(c) && linkOfOther(c) is null)
            .Select(e => e.CounterpartId!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (missing.Count == 0)
        {
            return other;
        }

        var changed = new List<CalendarEvent>(other.Changed);
        var deletedIds = new List<string>(other.DeletedIds);
        foreach (string id in missing)
        {
            if (await getOther(id).ConfigureAwait(false) is { } current)
            {
                changed.Add(current);
            }
            else
            {
                deletedIds.Add(id);
            }
        }

        return new SideChanges(changed, deletedIds, other.IsFullSnapshot);
    }

    /// <summary>
    /// A modified occurrence whose series is neither linked nor in the feed may have outlived its series (a run deleted the
    /// series, then stopped before deleting the occurrence): the series is read by id and reported deleted when it is gone, so
    /// the occurrence is deleted instead of waiting for its series forever.
    /// </summary>
    private static async Task<SideChanges> AddDeletedSeriesAsync(SideChanges side, Func<string, EventLink?> linkOf, Func<string, Task<CalendarEvent?>> get)
    {
        var known = new HashSet<string>(side.Changed.Where(e => e.Id is not null).Select(e => e.Id!), StringComparer.Ordinal);
        known.UnionWith(side.DeletedIds);
        var missing = side.Changed
            .Where(e => e.SeriesMasterId is { } series && !known.Contains(series) && linkOf(series) is null)
            .Select(e => e.SeriesMasterId!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var deleted = new List<string>();
        foreach (string id in missing)
        {
            if (await get(id).ConfigureAwait(false) is null)
            {
                deleted.Add(id);
            }
        }

        return deleted.Count == 0 ? side : new SideChanges(side.Changed, [.. side.DeletedIds, .. deleted], side.IsFullSnapshot);
    }

    private static async Task AddPendingAsync(
        IReadOnlySet<string> pending,
        ChangeFeed feed,
        List<CalendarEvent> changed,
        List<string> deleted,
        Func<string, Task<CalendarEvent?>> get)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var known = new HashSet<string>(changed.Where(e => e.Id is not null).Select(e => e.Id!), StringComparer.Ordinal);
        known.UnionWith(deleted);
        known.UnionWith(feed.Removed.Select(r => r.Id));
        foreach (string id in pending)
        {
            if (known.Contains(id))
            {
                continue;
            }

            CalendarEvent? current = await get(id).ConfigureAwait(false);
            if (current is null)
            {
                deleted.Add(id);
            }
            else
            {
                changed.Add(current);
            }
        }
    }
}
