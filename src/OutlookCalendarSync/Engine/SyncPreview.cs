using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync.Engine;

/// <summary>What a run would do now, with nothing written and no state changed: counts per side, invitation emails, one line per event.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class SyncPreview
{
    internal SyncPreview(string userId, SyncRunStatus status)
    {
        UserId = userId;
        Status = status;
    }

    /// <summary>The user.</summary>
    public string UserId { get; }

    /// <summary>
    /// <see cref="SyncRunStatus.Synced"/> or <see cref="SyncRunStatus.NothingNew"/> when a run would go ahead; otherwise why it would not.
    /// </summary>
    public SyncRunStatus Status { get; }

    /// <summary>What to do, when the run would not go ahead; otherwise null.</summary>
    public string? Message { get; init; }

    /// <summary>The writes the run would make in the host calendar.</summary>
    public SyncCounts Host { get; init; } = SyncCounts.Zero;

    /// <summary>The writes the run would make in Outlook.</summary>
    public SyncCounts Outlook { get; init; } = SyncCounts.Zero;

    /// <summary>How many events the run would create in Outlook (<c>Outlook.Created</c>).</summary>
    public int OutlookCreates => Outlook.Created;

    /// <summary>
    /// About how many emails Outlook would send to attendees because of the run: an invitation to each attendee of a meeting created;
    /// an update to each attendee of a meeting moved or given a new place, or added to a meeting; a cancellation to each attendee
    /// removed or of a meeting deleted. Meetings someone else organizes send nothing.
    /// </summary>
    public int InvitationEmails { get; init; }

    /// <summary>One line per event the run would write, link or forget, in the order the run would handle them.</summary>
    public IReadOnlyList<PreviewedChange> Changes { get; init; } = [];

    /// <summary>Events the run would leave alone on purpose, and why.</summary>
    public IReadOnlyList<SyncNote> Notes { get; init; } = [];

    /// <summary>Events the run could not sync because of their data.</summary>
    public IReadOnlyList<SyncFailure> Failures { get; init; } = [];

    /// <summary>
    /// The preview of a plan, counting what the run will do: the plan's writes, plus each modified occurrence of a series the same
    /// run creates on the other side. The plan holds such an occurrence only as a note ("synced after its series"); the run, once
    /// it has created and linked the series, creates the occurrence in a second pass (<c>SyncEngine.WaitingForSeries</c>).
    /// </summary>
    internal static SyncPreview FromPlan(string userId, SyncPlan plan, SideChanges local, SideChanges remote)
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
                .Where(c => (source == SyncSide.Host ? c.RemoteWrite : c.LocalWrite)?.Kind == WriteKind.Create)
                .Select(c => source == SyncSide.Host ? c.Local?.Id : c.Remote?.Id)
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
            if (seriesCreated.Count == 0)
            {
                continue;
            }

            Dictionary<string, Model.CalendarEvent> byId = feed.Changed.Where(e => e.Id is not null).ToDictionary(e => e.Id!, StringComparer.Ordinal);
            foreach (SyncNote note in plan.Notes.Where(n => n.Side == source && n.Code == NoteReason.WaitingForSeries && n.EventId is not null))
            {
                if (byId.TryGetValue(note.EventId!, out Model.CalendarEvent? occurrence) && occurrence.SeriesMasterId is { } master && seriesCreated.Contains(master))
                {
                    SyncSide target = source == SyncSide.Host ? SyncSide.Outlook : SyncSide.Host;
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
            Changes = plan.Changes.Select(PreviewedChange.From).ToArray(),
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
}
