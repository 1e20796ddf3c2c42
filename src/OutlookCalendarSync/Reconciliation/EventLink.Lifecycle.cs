using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Reconciliation;

/// <remarks>
/// The lifecycle of a link, owned here: every transition is one method, and the reconciler and the executor only call them.
/// <code>
///   (none) ──Settled──▶ Settled ──Sending(side)──▶ Pending ──Settled / RolledBack──▶ Settled
///                          │                                        ▲
///                          └──ReachedOutlookOnly──▶ HalfApplied ──SendingToHost──▶ (HalfApplied + host marker) ──Settled──┘
/// </code>
/// A run journals <see cref="Sending"/> before a write and <see cref="ReachedOutlookOnly"/> between the Outlook write and the host
/// write, so a crash at any point leaves a link from which the next run (<see cref="State"/> not settled: the reconciler completes
/// it as a merge, measuring each side with <see cref="ViewOn"/>) neither loses an edit nor takes the engine's own write for one.
/// </remarks>
internal sealed partial record EventLink
{
    /// <summary>Where the link is in its lifecycle.</summary>
    public LinkState State => LocalBase is not null || RemoteBase is not null ? LinkState.HalfApplied
        : PendingLocal.Count > 0 || PendingRemote.Count > 0 ? LinkState.Pending
        : LinkState.Settled;

    /// <summary>The event's id on a side.</summary>
    public string IdOn(SyncSide side) => side == SyncSide.Host ? LocalId : RemoteId;

    /// <summary>The content a side had when it was last in sync: its half-applied base, otherwise the merge base.</summary>
    public CalendarEvent InSyncOn(SyncSide side) => (side == SyncSide.Host ? LocalBase : RemoteBase) ?? Base;

    /// <summary>What writes of unknown outcome were sending to a side.</summary>
    public IReadOnlyList<CalendarEvent> PendingOn(SyncSide side) => side == SyncSide.Host ? PendingLocal : PendingRemote;

    /// <summary>A side's event as it was last in sync, with the id and version last seen: for a side missing from the feeds.</summary>
    public CalendarEvent LastSeenOn(SyncSide side)
        => InSyncOn(side) with { Id = IdOn(side), Version = side == SyncSide.Host ? LocalVersion : RemoteVersion };

    /// <summary>
    /// A side as the resolver sees it: the base with the side's own changes. For a side that last had a half-applied merge, its
    /// changes are measured from the content it had then, so the other side's receipt of the merge is not a change of its own.
    /// </summary>
    /// <remarks>
    /// A field equal to what a write of unknown outcome was sending is that write's echo, not the side's change. A series'
    /// deleted occurrences are the exception: a merge sends both sides' deletions, so the side's own deletions since it was
    /// in sync are applied to the base instead, whatever reached it.
    /// </remarks>
    public CalendarEvent? ViewOn(SyncSide side, CalendarEvent? current)
    {
        CalendarEvent? sideBase = side == SyncSide.Host ? LocalBase : RemoteBase;
        IReadOnlyList<CalendarEvent> pending = PendingOn(side);
        if (current is null || (sideBase is null && pending.Count == 0))
        {
            return current;
        }

        CalendarEvent inSync = sideBase ?? Base;
        EventFields changed = current.DiffersFrom(inSync);
        foreach (CalendarEvent sent in pending)
        {
            changed &= current.DiffersFrom(sent);
        }

        CalendarEvent view = Base.WithFieldsFrom(current, changed) with { LastModified = current.LastModified, Id = current.Id, Version = current.Version };
        return current.Recurrence is { } rule && inSync.Recurrence is { } inSyncRule && Base.Recurrence is { } baseRule
               && rule.HasSamePatternAs(inSyncRule) && rule.HasSamePatternAs(baseRule)
            ? view with
            {
                Recurrence = baseRule.WithDeletedOccurrences(baseRule.DeletedOccurrences
                    .Union(rule.DeletedOccurrences.Except(inSyncRule.DeletedOccurrences))
                    .Except(inSyncRule.DeletedOccurrences.Except(rule.DeletedOccurrences))),
            }
            : view;
    }

    /// <summary>
    /// Settled → Pending: the existing link of a change marked with the content an update is about to send to a side, for the
    /// journal; null when the change sends no update there.
    /// </summary>
    public static EventLink? Sending(PlannedChange change, SyncSide side)
    {
        if (change.ExistingLink is not { } link || change.WriteOn(side) is not EventUpdate update || change.NewBase is null)
        {
            return null;
        }

        // Only the fields the write sends: a field it does not send keeps the side's own value, and an edit there stays an edit.
        // Added to earlier markers: after two interrupted runs, the event may hold what either of them was sending.
        CalendarEvent marker = link.InSyncOn(side).WithFieldsFrom(change.NewBase, update.Fields);
        return side == SyncSide.Outlook
            ? link with { PendingRemote = [.. link.PendingRemote, marker] }
            : link with { PendingLocal = [.. link.PendingLocal, marker] };
    }

    /// <summary>
    /// → HalfApplied: the link of a merge that reached Outlook but not (yet) the host calendar: the new base, Outlook's written state,
    /// and the host event's content as read, from which its own changes are measured. Null when the change wrote no event to Outlook.
    /// </summary>
    public static EventLink? ReachedOutlookOnly(PlannedChange change, EventWriteResult? remote)
    {
        if (change.NewBase is null || change.RemoteWrite is null || change.RemoteWrite.Kind == WriteKind.Delete
            || remote?.Event is not { } written || change.LocalId is not { } localId)
        {
            return null;
        }

        EventLink? previous = change.ExistingLink;
        CalendarEvent localNow = change.Local?.ContentOnly() ?? previous?.LocalBase ?? previous?.Base ?? change.NewBase;
        return new EventLink(localId, written.Id ?? change.RemoteId!, change.NewBase)
        {
            ICalUId = written.ICalUId ?? previous?.ICalUId,
            LocalBase = localNow,
            LocalHash = change.Local?.ContentHash ?? previous?.LocalHash ?? localNow.ContentHash,
            LocalVersion = change.Local?.Version ?? previous?.LocalVersion,
            RemoteHash = written.ContentHash,
            RemoteVersion = written.Version,
        };
    }

    /// <summary>
    /// HalfApplied → HalfApplied with the host marker: the merge reached Outlook and the host write is about to be sent, journaled
    /// with what it sends (the fields of its update; none for another kind of write).
    /// </summary>
    public static EventLink? SendingToHost(PlannedChange change, EventWriteResult remote)
        => ReachedOutlookOnly(change, remote) is { } halfApplied
            ? halfApplied with { PendingLocal = [halfApplied.LocalBase!.WithFieldsFrom(change.NewBase!, (change.LocalWrite as EventUpdate)?.Fields ?? EventFields.None)] }
            : null;

    /// <summary>
    /// → Settled: the link after every write of a change succeeded: the new base, and each side's id, version and hash as written
    /// (or as last seen, for a side that was not written). Null when the change unlinks the pair or an id is unknown.
    /// </summary>
    public static EventLink? Settled(PlannedChange change, EventWriteResult? local, EventWriteResult? remote)
    {
        EventLink? existing = change.ExistingLink;
        if (change.NewBase is null)
        {
            return null;
        }

        CalendarEvent? localAfter = local?.Event ?? (change.LocalWrite?.Kind == WriteKind.Delete ? null : change.Local);
        CalendarEvent? remoteAfter = remote?.Event ?? (change.RemoteWrite?.Kind == WriteKind.Delete ? null : change.Remote);
        string? localId = localAfter?.Id ?? existing?.LocalId;
        string? remoteId = remoteAfter?.Id ?? existing?.RemoteId;
        if (localId is null || remoteId is null)
        {
            return null;
        }

        bool sameLocal = existing is not null && existing.LocalId == localId;
        bool sameRemote = existing is not null && existing.RemoteId == remoteId;
        return new EventLink(localId, remoteId, change.NewBase)
        {
            ICalUId = remoteAfter?.ICalUId ?? localAfter?.ICalUId ?? existing?.ICalUId,
            LocalVersion = localAfter?.Version ?? (sameLocal ? existing!.LocalVersion : null),
            LocalHash = localAfter?.ContentHash ?? (sameLocal ? existing!.LocalHash : change.NewBase.ContentHash),
            RemoteVersion = remoteAfter?.Version ?? (sameRemote ? existing!.RemoteVersion : null),
            RemoteHash = remoteAfter?.ContentHash ?? (sameRemote ? existing!.RemoteHash : change.NewBase.ContentHash),
        };
    }

    /// <summary>
    /// Pending → as before: the Outlook write certainly did not happen, so the marker journaled before it is dropped and the link
    /// is the one the change started from (null for a change without a link).
    /// </summary>
    public static EventLink? RolledBack(PlannedChange change) => change.ExistingLink;
}
