using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Engine;

/// <summary>Builds the public <see cref="SyncPreview"/> from the engine's internal plan.</summary>
internal static class SyncPreviews
{
    /// <summary>
    /// The preview of a plan, counting what the run will do: the plan's writes, plus each modified occurrence of a series the same
    /// run creates on the other side. The plan holds such an occurrence only as a note ("synced after its series"); the run, once
    /// it has created and linked the series, creates the occurrence in a second pass (<c>SyncEngine.WaitingForSeries</c>).
    /// </summary>
    internal static SyncPreview Of(string userId, SyncPlan plan, SideChanges local, SideChanges remote)
    {
        SyncRunStatus status = plan.IsBlocked ? SyncRunStatus.MassDeletionBlocked
            : plan.Changes.Any(c => c.RemoteWrite is not null || c.LocalWrite is not null) ? SyncRunStatus.Synced
            : SyncRunStatus.NothingNew;
        int[,] writes = new int[2, 3];
        int emails = 0;
        foreach (PlannedChange change in plan.Changes)
        {
            Add(writes, SyncSide.Outlook, change.RemoteWrite?.Kind);
            Add(writes, SyncSide.Host, change.LocalWrite?.Kind);
            emails += SyncPlan.EmailsFor(change);
        }

        var followers = new List<SyncNote>();
        foreach ((SyncSide source, SideChanges feed) in new[] { (SyncSide.Host, local), (SyncSide.Outlook, remote) })
        {
            HashSet<string> seriesCreated = plan.Changes
                .Where(c => c.WriteOn(source.Other())?.Kind == WriteKind.Create)
                .Select(c => c.EventOn(source)?.Id)
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
            if (seriesCreated.Count == 0)
            {
                continue;
            }

            Dictionary<string, CalendarEvent> byId = feed.Changed.Where(e => e.Id is not null).ToDictionary(e => e.Id!, StringComparer.Ordinal);
            foreach (SyncNote note in plan.Notes.Where(n => n.Side == source && n.Code == NoteReason.WaitingForSeries && n.EventId is not null))
            {
                if (byId.TryGetValue(note.EventId!, out CalendarEvent? occurrence) && occurrence.SeriesMasterId is { } master && seriesCreated.Contains(master))
                {
                    SyncSide target = source.Other();
                    Add(writes, target, WriteKind.Create);
                    emails += target == SyncSide.Outlook && occurrence.Organizer is null ? occurrence.Attendees.Count : 0;
                    followers.Add(note);
                }
            }
        }

        return new SyncPreview(userId, status)
        {
            Message = plan.BlockedReason,
            Host = Counts(writes, SyncSide.Host),
            Outlook = Counts(writes, SyncSide.Outlook),
            InvitationEmails = emails,
            Changes = plan.Changes.Select(Of).ToArray(),
            Notes = plan.Notes.Except(followers).ToArray(),
            Failures = plan.Failures,
        };
    }

    private static void Add(int[,] writes, SyncSide side, WriteKind? kind)
    {
        if (kind is { } write)
        {
            writes[(int)side, (int)write]++;
        }
    }

    private static SyncCounts Counts(int[,] writes, SyncSide side)
        => new(writes[(int)side, (int)WriteKind.Create], writes[(int)side, (int)WriteKind.Update], writes[(int)side, (int)WriteKind.Delete]);

    /// <summary>The preview line of one planned change.</summary>
    internal static PreviewedChange Of(PlannedChange change) => new(change.Kind, change.Description)
    {
        Subject = change.Subject,
        HostId = change.LocalId,
        OutlookId = change.RemoteId,
        HostWrite = change.LocalWrite?.Kind,
        OutlookWrite = change.RemoteWrite?.Kind,
        IsConflict = change.Conflict is not null,
    };
}
