using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>
/// The pure two-way reconciliation: <c>(links, local changes, remote changes, options, now) → SyncPlan</c>.
/// No I/O, no clock, no Graph types; the same input always gives the same plan.
/// </summary>
/// <remarks>
/// <para>Per linked pair, each side is unchanged, changed, or deleted (an event in a feed whose content hash equals the one last
/// seen is unchanged, whatever its version: that is how the echo of the engine's own writes is recognised):</para>
/// <list type="bullet">
/// <item>changed on one side only: the other side gets only the changed fields;</item>
/// <item>changed on both: identical content is only linked; otherwise the <see cref="IConflictResolver"/> decides;</item>
/// <item>deleted on one side and unchanged on the other: deleted there, once; deleted on both: unlinked;</item>
/// <item>deleted on one side and changed on the other: the resolver decides (delete wins by default).</item>
/// </list>
/// <para>Unlinked events are matched before anything is created: by the host id stamped on events this library created, then by
/// iCalUId, then as modifications of the same occurrence of a synced series, then by a unique (subject, start, end). What is
/// left is created on the other side, within the window, and — unless <see cref="ReconciliationOptions.PushPastEvents"/> — not
/// for host events that are already over. A modified occurrence whose series this run deletes, or whose occurrence its series
/// has deleted, is deleted instead.</para>
/// </remarks>
internal static class Reconciler
{
    private enum SideState
    {
        Unseen,
        Unchanged,
        Changed,
        Deleted,
    }

    /// <summary>Plans one sync run.</summary>
    /// <param name="links">The user's links.</param>
    /// <param name="local">What changed in the host calendar.</param>
    /// <param name="remote">What changed in Outlook (removals already confirmed).</param>
    /// <param name="options">The rules.</param>
    /// <param name="resolver">Decides conflicts.</param>
    /// <param name="now">The current instant (for past events).</param>
    /// <returns>The plan.</returns>
    public static SyncPlan Reconcile(
        LinkCollection links,
        SideChanges local,
        SideChanges remote,
        ReconciliationOptions options,
        IConflictResolver resolver,
        Instant now)
    {
        Guard.NotNull(links);
        Guard.NotNull(local);
        Guard.NotNull(remote);
        Guard.NotNull(options);
        Guard.NotNull(resolver);
        var run = new Run(links, options, resolver, now);
        run.Plan(local, remote);
        return run.ToPlan();
    }

    private static readonly string CreatedInHost = $"created in {SyncSide.Host.Described()}";
    private static readonly string CreatedInOutlook = $"created in {SyncSide.Outlook.Described()}";

    private sealed class Run(LinkCollection links, ReconciliationOptions options, IConflictResolver resolver, Instant now)
    {
        private readonly List<PlannedChange> _changes = [];
        private readonly List<SyncNote> _notes = [];
        private readonly List<SyncFailure> _failures = [];
        private Dictionary<string, CalendarEvent> _local = null!;
        private Dictionary<string, CalendarEvent> _remote = null!;
        private HashSet<string> _localDeleted = null!;
        private HashSet<string> _remoteDeleted = null!;

        public void Plan(SideChanges local, SideChanges remote)
        {
            _local = Index(local.Changed, SyncSide.Host);
            _remote = Index(remote.Changed, SyncSide.Outlook);
            _localDeleted = Deletions(local, _local, isLocal: true);
            _remoteDeleted = Deletions(remote, _remote, isLocal: false);

            var touched = new List<EventLink>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var unlinkedLocal = new List<CalendarEvent>();
            var unlinkedRemote = new List<CalendarEvent>();

            foreach (CalendarEvent e in _local.Values)
            {
                Touch(links.FindByLocalId(e.Id!), e, unlinkedLocal);
            }

            foreach (string id in _localDeleted)
            {
                Touch(links.FindByLocalId(id), null, null);
            }

            foreach (CalendarEvent e in _remote.Values)
            {
                Touch(links.FindByRemoteId(e.Id!), e, unlinkedRemote);
            }

            foreach (string id in _remoteDeleted)
            {
                Touch(links.FindByRemoteId(id), null, null);
            }

            foreach (EventLink link in touched)
            {
                PlanLinked(link);
            }

            PlanUnlinked(unlinkedLocal, unlinkedRemote);

            void Touch(EventLink? link, CalendarEvent? e, List<CalendarEvent>? unlinked)
            {
                if (link is null)
                {
                    if (e is not null)
                    {
                        unlinked!.Add(e);
                    }
                }
                else if (seen.Add(link.LocalId))
                {
                    touched.Add(link);
                }
            }
        }

        public SyncPlan ToPlan()
        {
            string? blocked = null;
            if (!options.AllowMassDeletion)
            {
                blocked = MassDeletion(SyncSide.Outlook, "Outlook") ?? MassDeletion(SyncSide.Host, "the host calendar");
            }

            return new SyncPlan(_changes, _notes, _failures, blocked);
        }

        private string? MassDeletion(SyncSide side, string sideName)
        {
            int deletions = _changes.Count(c => c.WriteOn(side)?.Kind == WriteKind.Delete);
            if (deletions < Math.Max(1, options.MassDeletionMinimum) || deletions <= options.MassDeletionThreshold * links.TotalCount)
            {
                return null;
            }

            return $"This run would delete {deletions} of the {links.TotalCount} synced events in {sideName}, more than the mass-deletion guard allows " +
                   $"({options.MassDeletionThreshold:P0}). Nothing was written. If the deletions are intended, run once with AllowMassDeletion = true; " +
                   "otherwise check the other calendar's change feed (an emptied or swapped calendar looks like this).";
        }

        private Dictionary<string, CalendarEvent> Index(IReadOnlyList<CalendarEvent> events, SyncSide side)
        {
            var byId = new Dictionary<string, CalendarEvent>(events.Count, StringComparer.Ordinal);
            HashSet<string>? duplicates = null;
            foreach (CalendarEvent e in events)
            {
                if (string.IsNullOrWhiteSpace(e.Id))
                {
                    _failures.Add(new SyncFailure(side, null, null, null, e.Subject,
                        $"The {side.Name()} feed returned an event without an id ('{e.Subject}'): every event in a change feed needs its id. The event was skipped.",
                        null, willRetry: false));
                    continue;
                }

                if (!byId.TryAdd(e.Id, e) && !CalendarEvent.ContentComparer.Equals(byId[e.Id], e))
                {
                    (duplicates ??= new HashSet<string>(StringComparer.Ordinal)).Add(e.Id);
                }
            }

            foreach (string id in duplicates ?? [])
            {
                byId.Remove(id);
                _failures.Add(new SyncFailure(side, null, side == SyncSide.Host ? id : null, side == SyncSide.Outlook ? id : null, null,
                    $"The {side.Name()} feed returned two different events with the id '{id}'; ids must be unique. The event was skipped and will be read again next run.",
                    null, willRetry: true));
            }

            return byId;
        }

        private HashSet<string> Deletions(SideChanges changes, Dictionary<string, CalendarEvent> present, bool isLocal)
        {
            var deleted = new HashSet<string>(StringComparer.Ordinal);
            foreach (string id in changes.DeletedIds)
            {
                if (!present.ContainsKey(id))
                {
                    deleted.Add(id);
                }
            }

            if (changes.IsFullSnapshot)
            {
                foreach (EventLink link in links)
                {
                    string id = isLocal ? link.LocalId : link.RemoteId;
                    if (!present.ContainsKey(id) && link.Base.Timing.Overlaps(options.Window))
                    {
                        deleted.Add(id);
                    }
                }
            }

            return deleted;
        }

        private static SideState StateOf(CalendarEvent? current, bool deleted, ulong lastHash)
            => current is not null ? (current.ContentHash == lastHash ? SideState.Unchanged : SideState.Changed)
                : deleted ? SideState.Deleted : SideState.Unseen;

        private void PlanLinked(EventLink link)
        {
            CalendarEvent? l = _local.GetValueOrDefault(link.LocalId);
            CalendarEvent? r = _remote.GetValueOrDefault(link.RemoteId);
            SideState ls = StateOf(l, _localDeleted.Contains(link.LocalId), link.LocalHash);
            SideState rs = StateOf(r, _remoteDeleted.Contains(link.RemoteId), link.RemoteHash);
            bool localQuiet = ls is SideState.Unseen or SideState.Unchanged;
            bool remoteQuiet = rs is SideState.Unseen or SideState.Unchanged;
            if (link.State != LinkState.Settled && ls != SideState.Deleted && rs != SideState.Deleted)
            {
                // A merge that reached one side only: complete it, measuring each side from the content it last had in sync.
                PlanConflict(
                    link,
                    l ?? link.LastSeenOn(SyncSide.Host),
                    r ?? link.LastSeenOn(SyncSide.Outlook));
                return;
            }

            if (options.Direction == SyncDirection.ToOutlookOnly && !remoteQuiet && localQuiet)
            {
                PlanIgnoredSide(link, l, r, rs, "Outlook", "to Outlook only");
                return;
            }

            if (options.Direction == SyncDirection.FromOutlookOnly && !localQuiet && remoteQuiet)
            {
                PlanIgnoredSide(link, l, r, ls, "the host calendar", "from Outlook only");
                return;
            }

            switch (ls, rs)
            {
                case (_, _) when localQuiet && remoteQuiet:
                    if ((l is not null && l.Version != link.LocalVersion) || (r is not null && r.Version != link.RemoteVersion))
                    {
                        Add(ChangeKind.Acknowledge, ChangeReason.NewVersionSameContent, "new version with unchanged content", link, l, r, newBase: link.Base);
                    }

                    break;
                case (SideState.Changed, _) when remoteQuiet:
                    PlanOneSided(link, l!, r, changedLocally: true);
                    break;
                case (_, SideState.Changed) when localQuiet:
                    PlanOneSided(link, l, r!, changedLocally: false);
                    break;
                case (SideState.Deleted, SideState.Deleted):
                    Add(ChangeKind.Unlink, ChangeReason.DeletedOnBothSides, "deleted on both sides", link, null, null, newBase: null);
                    break;
                case (SideState.Deleted, _) when remoteQuiet:
                    Add(ChangeKind.Delete, ChangeReason.DeletedInHost, "deleted in the host calendar", link, null, r, newBase: null,
                        remoteWrite: EventWrite.Delete(link.RemoteId, r?.Version ?? link.RemoteVersion));
                    break;
                case (_, SideState.Deleted) when localQuiet:
                    Add(ChangeKind.Delete, ChangeReason.DeletedInOutlook, "deleted in Outlook", link, l, null, newBase: null,
                        localWrite: EventWrite.Delete(link.LocalId, l?.Version ?? link.LocalVersion));
                    break;
                default:
                    PlanConflict(link, l, r);
                    break;
            }
        }

        private void PlanIgnoredSide(EventLink link, CalendarEvent? l, CalendarEvent? r, SideState state, string sideName, string direction)
        {
            if (state == SideState.Deleted)
            {
                Add(ChangeKind.Unlink, ChangeReason.IgnoredByDirection, $"deleted in {sideName}; not synced back ({direction})", link, l, r, newBase: null);
            }
            else
            {
                Add(ChangeKind.Acknowledge, ChangeReason.IgnoredByDirection, $"changed in {sideName}; not synced back ({direction})", link, l, r, newBase: link.Base);
            }
        }

        private void PlanOneSided(EventLink link, CalendarEvent? l, CalendarEvent? r, bool changedLocally)
        {
            CalendarEvent changed = changedLocally ? l! : r!;
            EventFields fields = changed.DiffersFrom(link.Base);
            if (fields == EventFields.None)
            {
                Add(ChangeKind.Acknowledge, ChangeReason.ContentUnchanged, "content unchanged", link, l, r, newBase: link.Base);
                return;
            }

            if (changedLocally && InvitationFields.IsInvitation(r ?? link.Base) && (fields & InvitationFields.OrganizerOwned) != EventFields.None)
            {
                PlanInvitationEdit(link, l!, r, fields);
                return;
            }

            CalendarEvent newBase = link.Base.WithFieldsFrom(changed, fields);
            if (changedLocally)
            {
                Add(ChangeKind.Update, ChangeReason.ChangedInHost, $"changed in the host calendar: {fields}", link, l, r, newBase,
                    remoteWrite: EventWrite.Update(link.RemoteId, r?.Version ?? link.RemoteVersion, changed.ContentOnly() with { Id = link.RemoteId }, fields));
            }
            else
            {
                Add(ChangeKind.Update, ChangeReason.ChangedInOutlook, $"changed in Outlook: {fields}", link, l, r, newBase,
                    localWrite: EventWrite.Update(link.LocalId, l?.Version ?? link.LocalVersion, changed.ContentOnly() with { Id = link.LocalId }, fields));
            }
        }

        /// <summary>
        /// A host edit of an invitation that touches its organizer's fields: only the attendee's own fields go to Outlook; the
        /// organizer's fields get Outlook's values back in the host calendar (unless the direction never writes it), with a note.
        /// </summary>
        private void PlanInvitationEdit(EventLink link, CalendarEvent l, CalendarEvent? r, EventFields fields)
        {
            CalendarEvent outlook = r ?? link.Base;
            EventFields refused = fields & InvitationFields.OrganizerOwned;
            EventFields allowed = fields & ~InvitationFields.OrganizerOwned;
            CalendarEvent newBase = link.Base.WithFieldsFrom(l, allowed);
            bool rewriteHost = options.Direction != SyncDirection.ToOutlookOnly;
            Note(SyncSide.Host, l, InvitationFields.RefusedEdit(outlook.Organizer!, refused, rewriteHost), willRetry: false, NoteReason.InvitationOrganizerFields);
            EventWrite? remoteWrite = allowed == EventFields.None ? null
                : EventWrite.Update(link.RemoteId, r?.Version ?? link.RemoteVersion, l.ContentOnly() with { Id = link.RemoteId }, allowed);
            EventWrite? localWrite = rewriteHost ? EventWrite.Update(link.LocalId, l.Version, newBase with { Id = link.LocalId }, refused) : null;
            string description = allowed == EventFields.None
                ? $"changed in the host calendar: {refused}, which belong to the invitation's organizer: not written to Outlook"
                : $"changed in the host calendar: {allowed} (and {refused}, which belong to the invitation's organizer: not written to Outlook)";
            Add(remoteWrite is null && localWrite is null ? ChangeKind.Acknowledge : ChangeKind.Update, ChangeReason.InvitationOrganizerFieldsKept, description, link, l, r, newBase,
                remoteWrite: remoteWrite, localWrite: localWrite);
        }

        /// <summary>
        /// Keeps an invitation's organizer fields as Outlook has them, whatever the resolver decided, and reports the host's values
        /// that are not written.
        /// </summary>
        /// <param name="result">The resolved content.</param>
        /// <param name="l">The host event, or null when deleted.</param>
        /// <param name="r">The Outlook invitation.</param>
        /// <param name="hostEdits">The organizer's fields the host changed.</param>
        /// <returns>The content with Outlook's organizer fields.</returns>
        private CalendarEvent KeepOrganizerFields(CalendarEvent result, CalendarEvent? l, CalendarEvent r, EventFields hostEdits)
        {
            EventFields refused = hostEdits & InvitationFields.OrganizerOwned & (l?.DiffersFrom(r) ?? EventFields.None);
            if (l is not null && refused != EventFields.None)
            {
                Note(SyncSide.Host, l, InvitationFields.RefusedEdit(r.Organizer!, refused, options.Direction != SyncDirection.ToOutlookOnly), willRetry: false, NoteReason.InvitationOrganizerFields);
            }

            return result.WithFieldsFrom(r, InvitationFields.OrganizerOwned);
        }

        /// <summary>Which side a result equals, once an invitation's organizer fields were kept from Outlook.</summary>
        private static ConflictWinner WinnerOf(CalendarEvent result, CalendarEvent? l, CalendarEvent? r)
            => l is not null && result.DiffersFrom(l) == EventFields.None ? ConflictWinner.Host
                : r is not null && result.DiffersFrom(r) == EventFields.None ? ConflictWinner.Outlook
                : ConflictWinner.Merged;

        private void PlanConflict(EventLink link, CalendarEvent? l, CalendarEvent? r)
        {
            if (l is not null && r is not null && CalendarEvent.ContentComparer.Equals(l, r))
            {
                Add(ChangeKind.Acknowledge, ChangeReason.ChangedIdentically, "changed identically on both sides", link, l, r, newBase: l.ContentOnly());
                return;
            }

            CalendarEvent? localView = link.ViewOn(SyncSide.Host, l);
            CalendarEvent? remoteView = link.ViewOn(SyncSide.Outlook, r);
            ChangeReason reason = options.Direction == SyncDirection.TwoWay && localView is not null && remoteView is not null
                && CalendarEvent.ContentComparer.Equals(localView, remoteView)
                ? ChangeReason.CompletesHalfAppliedMerge
                : ChangeReason.Conflict;
            ConflictResolution resolution = options.Direction switch
            {
                SyncDirection.ToOutlookOnly when l is not null => ConflictResolution.Keep(l, ConflictWinner.Host, "to Outlook only: the host calendar wins"),
                SyncDirection.ToOutlookOnly => ConflictResolution.Delete("to Outlook only: the host calendar's deletion wins"),
                SyncDirection.FromOutlookOnly when r is not null => ConflictResolution.Keep(r, ConflictWinner.Outlook, "from Outlook only: Outlook wins"),
                SyncDirection.FromOutlookOnly => ConflictResolution.Delete("from Outlook only: Outlook's deletion wins"),
                _ when reason == ChangeReason.CompletesHalfAppliedMerge
                    => ConflictResolution.Keep(localView!, ConflictWinner.Merged, "completes a merge that reached one side only"),
                _ => resolver.Resolve(new SyncConflict(link.Base, localView, remoteView, options.DeleteVersusChange)),
            };

            bool invitation = InvitationFields.IsInvitation(r ?? link.Base);
            if (invitation && r is null && resolution.Result is not null)
            {
                // Created again, an invitation gone from Outlook would be a new meeting the owner organizes, emailed to every attendee.
                if (options.Direction == SyncDirection.ToOutlookOnly)
                {
                    Note(SyncSide.Host, l!, $"an invitation organized by {InvitationFields.Describe(link.Base.Organizer!)} was removed from Outlook; only its organizer can send it again, so it is not created there (the host calendar keeps its copy: the sync direction does not write it)", willRetry: false, NoteReason.InvitationRemovedFromOutlook);
                    Add(ChangeKind.Unlink, ChangeReason.InvitationRemovedFromOutlook, "an invitation removed from Outlook: not created again", link, l, r, newBase: null);
                    return;
                }

                reason = ChangeReason.InvitationRemovedFromOutlook;
                resolution = ConflictResolution.Delete(
                    $"an invitation organized by {InvitationFields.Describe(link.Base.Organizer!)} was removed from Outlook and changed in the host calendar: only its organizer can send it again, so the deletion wins");
            }

            CalendarEvent? result = resolution.Result?.ContentOnly();
            if (invitation && result is not null)
            {
                result = KeepOrganizerFields(result, l, r!, localView is null ? EventFields.None : localView.DiffersFrom(link.Base));
            }

            var report = new ConflictReport(link.LocalId, link.RemoteId, (l ?? r)?.Subject ?? link.Base.Subject,
                localView is null ? EventFields.All : localView.DiffersFrom(link.Base), remoteView is null ? EventFields.All : remoteView.DiffersFrom(link.Base),
                invitation && result is not null ? WinnerOf(result, l, r) : resolution.Winner, resolution.Explanation);

            if (result is null)
            {
                Add(ChangeKind.Delete, reason, $"conflict: {resolution.Explanation}", link, l, r, newBase: null,
                    remoteWrite: r is null ? null : EventWrite.Delete(link.RemoteId, r.Version),
                    localWrite: l is null ? null : EventWrite.Delete(link.LocalId, l.Version),
                    conflict: report);
                return;
            }

            EventWrite? remoteWrite = WriteTowards(result, r, link.RemoteId, SyncSide.Outlook, link);
            EventWrite? localWrite = options.Direction == SyncDirection.ToOutlookOnly && l is not null ? null : WriteTowards(result, l, link.LocalId, SyncSide.Host, link);
            bool recreates = remoteWrite?.Kind == WriteKind.Create || localWrite?.Kind == WriteKind.Create;
            ChangeKind kind = recreates ? ChangeKind.Create : remoteWrite is null && localWrite is null ? ChangeKind.Acknowledge : ChangeKind.Update;
            Add(kind, reason, $"conflict: {resolution.Explanation}", link, l, r, result,
                remoteWrite: remoteWrite, localWrite: localWrite, conflict: reason == ChangeReason.CompletesHalfAppliedMerge ? null : report);
        }

        private EventWrite? WriteTowards(CalendarEvent result, CalendarEvent? current, string id, SyncSide side, EventLink link)
        {
            if (current is null)
            {
                CalendarEvent? source = EventsOn(side.Other()).GetValueOrDefault(link.IdOn(side.Other()));
                return EventWrite.Create(result with { CounterpartId = source?.Id, ICalUId = source?.ICalUId ?? link.ICalUId });
            }

            EventFields fields = result.DiffersFrom(current);
            return fields == EventFields.None ? null : EventWrite.Update(id, current.Version, result with { Id = id }, fields);
        }

        private void PlanUnlinked(List<CalendarEvent> unlinkedLocal, List<CalendarEvent> unlinkedRemote)
        {
            var seriesAfterRun = new Dictionary<string, CalendarEvent?>(StringComparer.Ordinal);
            foreach (PlannedChange change in _changes)
            {
                if (change.ExistingLink is { Base.IsSeriesMaster: true } series)
                {
                    seriesAfterRun[series.LocalId] = change.NewBase;
                }
            }

            var orphans = new HashSet<string>(StringComparer.Ordinal);
            unlinkedLocal.RemoveAll(e => PlanOrphan(e, SyncSide.Host, orphans));
            unlinkedRemote.RemoveAll(e => PlanOrphan(e, SyncSide.Outlook, orphans));
            unlinkedLocal.RemoveAll(e => PlanOccurrenceGoneFromItsSeries(e, SyncSide.Host, seriesAfterRun, orphans));
            unlinkedRemote.RemoveAll(e => PlanOccurrenceGoneFromItsSeries(e, SyncSide.Outlook, seriesAfterRun, orphans));
            var pairs = EventMatcher.Match(unlinkedLocal, unlinkedRemote, links, out List<CalendarEvent> onlyLocal, out List<CalendarEvent> onlyRemote);
            foreach ((CalendarEvent l, CalendarEvent r) in pairs)
            {
                PlanMatched(l, r);
            }

            foreach (CalendarEvent l in onlyLocal)
            {
                PlanCreate(l, SyncSide.Outlook);
            }

            foreach (CalendarEvent r in onlyRemote)
            {
                PlanCreate(r, SyncSide.Host);
            }
        }

        /// <summary>
        /// An unlinked event this library created as a copy of an event now deleted on the other side is deleted too: the link
        /// was never saved (a crash), and pushing the copy back would bring the deleted event back.
        /// </summary>
        /// <param name="e">The unlinked event.</param>
        /// <param name="side">Its side.</param>
        /// <param name="orphans">Collects the ids of the copies deleted.</param>
        private bool PlanOrphan(CalendarEvent e, SyncSide side, HashSet<string> orphans)
        {
            if (e.CounterpartId is null || !DeletedOn(side.Other()).Contains(e.CounterpartId))
            {
                return false;
            }

            AddDeleteOf(e, side, ChangeReason.CopyOfDeletedEvent, $"a copy of an event deleted in {side.Other().Described()}");
            orphans.Add(e.Id!);
            return true;
        }

        /// <summary>
        /// An unlinked modified occurrence whose series is deleted (by this run, as a deleted event or as the copy of one, or
        /// earlier by a run that stopped before the occurrence), or whose occurrence the series now lists as deleted, is deleted:
        /// Outlook deletes an occurrence's modification with the occurrence or the series. Created on the other side, it would
        /// belong to no series, or stand for an occurrence the series no longer has.
        /// </summary>
        /// <param name="e">The unlinked event.</param>
        /// <param name="side">Its side.</param>
        /// <param name="seriesAfterRun">By host id, the series this run changes: their content after the run, null when deleted.</param>
        /// <param name="orphans">The ids of the unlinked copies this run deletes.</param>
        private bool PlanOccurrenceGoneFromItsSeries(CalendarEvent e, SyncSide side, Dictionary<string, CalendarEvent?> seriesAfterRun, HashSet<string> orphans)
        {
            if (e is not { SeriesMasterId: { } masterId, OriginalStart: { } originalStart })
            {
                return false;
            }

            CalendarEvent? series;
            if (FindLink(side, masterId) is { } link)
            {
                series = seriesAfterRun.TryGetValue(link.LocalId, out CalendarEvent? planned) ? planned : link.Base;
            }
            else if (DeletedOn(side).Contains(masterId) || orphans.Contains(masterId))
            {
                series = null;
            }
            else
            {
                return false;
            }

            if (series is null)
            {
                AddDeleteOf(e, side, ChangeReason.OccurrenceOfDeletedSeries, "an occurrence of a deleted series");
                return true;
            }

            if (series.Recurrence is { } rule && rule.DeletedOccurrences.Contains(EventMatcher.OriginalDate(originalStart, series, rule)))
            {
                AddDeleteOf(e, side, ChangeReason.OccurrenceDeletedBySeries, "a modified occurrence its series has deleted");
                return true;
            }

            return false;
        }

        private void PlanMatched(CalendarEvent l, CalendarEvent r)
        {
            if (CalendarEvent.ContentComparer.Equals(l, r))
            {
                Add(ChangeKind.Link, ChangeReason.SameEventOnBothSides, "the same event on both sides", null, l, r, newBase: l.ContentOnly());
                return;
            }

            ConflictResolution resolution = options.Direction switch
            {
                SyncDirection.ToOutlookOnly => ConflictResolution.Keep(l, ConflictWinner.Host, "to Outlook only: the host calendar wins"),
                SyncDirection.FromOutlookOnly => ConflictResolution.Keep(r, ConflictWinner.Outlook, "from Outlook only: Outlook wins"),
                _ => resolver.Resolve(new SyncConflict(null, l, r, options.DeleteVersusChange)),
            };

            CalendarEvent? result = resolution.Result?.ContentOnly();
            bool invitation = InvitationFields.IsInvitation(r);
            if (invitation && result is not null)
            {
                // No base: every organizer field the host copy holds differently is one the host would change.
                result = KeepOrganizerFields(result, l, r, l.DiffersFrom(r));
            }

            var report = new ConflictReport(l.Id, r.Id, l.Subject, EventFields.All, EventFields.All,
                invitation && result is not null ? WinnerOf(result, l, r) : resolution.Winner, "matched unlinked events differ: " + resolution.Explanation);
            if (result is null)
            {
                Add(ChangeKind.Delete, ChangeReason.MatchedEventsDiffer, "matched unlinked events: " + resolution.Explanation, null, l, r, newBase: null,
                    remoteWrite: EventWrite.Delete(r.Id!, r.Version), localWrite: EventWrite.Delete(l.Id!, l.Version), conflict: report);
                return;
            }

            EventFields toRemote = result.DiffersFrom(r);
            EventFields toLocal = options.Direction == SyncDirection.ToOutlookOnly ? EventFields.None : result.DiffersFrom(l);
            Add(ChangeKind.Update, ChangeReason.MatchedEventsDiffer, "matched unlinked events: " + resolution.Explanation, null, l, r, result,
                remoteWrite: toRemote == EventFields.None ? null : EventWrite.Update(r.Id!, r.Version, result with { Id = r.Id }, toRemote),
                localWrite: toLocal == EventFields.None ? null : EventWrite.Update(l.Id!, l.Version, result with { Id = l.Id }, toLocal),
                conflict: report);
        }

        private void PlanCreate(CalendarEvent source, SyncSide target)
        {
            SyncSide sourceSide = target.Other();
            if ((target == SyncSide.Outlook && options.Direction == SyncDirection.FromOutlookOnly)
                || (target == SyncSide.Host && options.Direction == SyncDirection.ToOutlookOnly))
            {
                return;
            }

            if (source.IsCancelled)
            {
                Note(sourceSide, source, "cancelled events are not created on the other side", willRetry: false, NoteReason.Cancelled);
                return;
            }

            if (!source.Timing.Overlaps(options.Window) && !source.IsSeriesMaster)
            {
                Note(sourceSide, source, "outside the sync window", willRetry: false, NoteReason.OutsideWindow);
                return;
            }

            if (target == SyncSide.Outlook && !options.PushPastEvents && source.Timing.EndsBefore(now) && !source.IsSeriesMaster)
            {
                Note(sourceSide, source,
                    "ended before now: past events are not created in Outlook, which would email their attendees (set PushPastEvents to create them)",
                    willRetry: false, NoteReason.PastEvent);
                return;
            }

            string? seriesMasterId = null;
            if (source.SeriesMasterId is not null)
            {
                EventLink? master = FindLink(sourceSide, source.SeriesMasterId);
                if (master is null)
                {
                    Note(sourceSide, source, "an occurrence of a series that is not synced yet: synced after its series", willRetry: true, NoteReason.WaitingForSeries);
                    return;
                }

                seriesMasterId = master.IdOn(target);
            }

            // Two copies per created event, not three: a first sync plans one create per event of the calendar. The hash is taken
            // first so that the copies, and the event the store makes of them, carry it instead of computing it again.
            _ = source.ContentHash;
            CalendarEvent content = source with { Id = null, Version = null, LastModified = null, CounterpartId = source.Id, SeriesMasterId = seriesMasterId };
            AddUnlinked(ChangeKind.Create, ChangeReason.NewOnOneSide, sourceSide == SyncSide.Host ? CreatedInHost : CreatedInOutlook, source, sourceSide,
                EventWrite.Create(content), target, newBase: source.ContentOnly());
        }

        private void Note(SyncSide side, CalendarEvent e, string reason, bool willRetry, NoteReason code) => _notes.Add(new SyncNote(side, e.Id, e.Subject, reason, willRetry, code));

        private void Add(
            ChangeKind kind,
            ChangeReason reason,
            string description,
            EventLink? link,
            CalendarEvent? l,
            CalendarEvent? r,
            CalendarEvent? newBase,
            EventWrite? remoteWrite = null,
            EventWrite? localWrite = null,
            ConflictReport? conflict = null)
            => _changes.Add(new PlannedChange
            {
                Kind = kind,
                Reason = reason,
                Description = description,
                ExistingLink = link,
                Local = l,
                Remote = r,
                NewBase = newBase,
                RemoteWrite = remoteWrite,
                LocalWrite = localWrite,
                Conflict = conflict,
            });

        private EventLink? FindLink(SyncSide side, string id) => links.Find(side, id);

        private Dictionary<string, CalendarEvent> EventsOn(SyncSide side) => side.Pick(_local, _remote);

        private HashSet<string> DeletedOn(SyncSide side) => side.Pick(_localDeleted, _remoteDeleted);

        /// <summary>Plans the deletion of an unlinked event on its own side.</summary>
        private void AddDeleteOf(CalendarEvent e, SyncSide side, ChangeReason reason, string description)
            => AddUnlinked(ChangeKind.Delete, reason, description, e, side, EventWrite.Delete(e.Id!, e.Version), side, newBase: null);

        /// <summary>Plans a change of one unlinked event (on <paramref name="eventSide"/>) that writes to one side.</summary>
        private void AddUnlinked(ChangeKind kind, ChangeReason reason, string description, CalendarEvent e, SyncSide eventSide, EventWrite write, SyncSide writeSide, CalendarEvent? newBase)
            => Add(kind, reason, description, null,
                eventSide.Pick<CalendarEvent?>(e, null), eventSide.Pick<CalendarEvent?>(null, e), newBase,
                remoteWrite: writeSide.Pick<EventWrite?>(null, write), localWrite: writeSide.Pick<EventWrite?>(write, null));
    }
}
