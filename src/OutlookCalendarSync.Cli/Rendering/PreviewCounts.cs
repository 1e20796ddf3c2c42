using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>
/// What a sync run will write, counted from its preview: the plan's writes, plus each modified occurrence of a series the same
/// run creates on the other side. The plan holds such an occurrence only as a note ("synced after its series"), but once the
/// run has created and linked the series it syncs the occurrence in a second pass of the same run.
/// </summary>
internal sealed class PreviewCounts
{
    private readonly int[,] _writes = new int[2, 3];

    private PreviewCounts()
    {
    }

    /// <summary>Gets the counts of a run that would write nothing.</summary>
    public static PreviewCounts None { get; } = new();

    /// <summary>Gets every write the run will make, on both sides.</summary>
    public int Writes { get; private set; }

    /// <summary>Gets about how many emails Outlook will send to attendees because of the run (see <see cref="EmailsFor"/>).</summary>
    public int Emails { get; private set; }

    /// <summary>How many writes of a kind the run will make on a side.</summary>
    public int Count(SyncSide side, WriteKind kind) => _writes[(int)side, (int)kind];

    /// <summary>Counts the writes of <paramref name="plan"/> and of the occurrences that follow a series it creates.</summary>
    /// <param name="plan">The plan of the preview.</param>
    /// <param name="find">Reads an event of a side by id (the plan's notes carry only the id).</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public static async Task<PreviewCounts> CountAsync(SyncPlan plan, Func<SyncSide, string, CancellationToken, Task<CalendarEvent?>> find, CancellationToken cancellationToken)
    {
        var counts = new PreviewCounts();
        foreach (PlannedChange change in plan.Changes)
        {
            counts.Add(SyncSide.Remote, change.RemoteWrite?.Kind);
            counts.Add(SyncSide.Local, change.LocalWrite?.Kind);
            counts.Emails += EmailsFor(change);
        }

        var seriesCreatedFrom = new Dictionary<SyncSide, HashSet<string>>
        {
            [SyncSide.Local] = CreatedFrom(plan, SyncSide.Local),
            [SyncSide.Remote] = CreatedFrom(plan, SyncSide.Remote),
        };
        foreach (SyncNote note in plan.Notes)
        {
            if (!note.WillRetry || note.EventId is null || seriesCreatedFrom[note.Side].Count == 0)
            {
                continue;
            }

            if (await find(note.Side, note.EventId, cancellationToken).ConfigureAwait(false) is { SeriesMasterId: { } master } occurrence
                && seriesCreatedFrom[note.Side].Contains(master))
            {
                SyncSide target = note.Side == SyncSide.Local ? SyncSide.Remote : SyncSide.Local;
                counts.Add(target, WriteKind.Create);
                counts.Emails += target == SyncSide.Remote ? occurrence.Attendees.Count : 0;
            }
        }

        return counts;
    }

    /// <summary>
    /// The emails Outlook sends for a change's Outlook write, as Outlook decides them for a meeting the mailbox organizes: an
    /// invitation to each attendee of a new meeting; an update to each attendee of a meeting that moves or changes place; to
    /// attendees added or changed, an update, and to those removed, a cancellation; a cancellation to each attendee of a meeting
    /// deleted. A meeting someone else organizes sends nothing.
    /// </summary>
    private static int EmailsFor(PlannedChange change)
    {
        if (change.RemoteWrite is not { } write)
        {
            return 0;
        }

        CalendarEvent? before = change.Remote ?? change.ExistingLink?.Base;
        if ((before ?? write.Event)?.Organizer is not null)
        {
            return 0;
        }

        switch (write.Kind)
        {
            case WriteKind.Create:
                return write.Event!.Attendees.Count;
            case WriteKind.Delete:
                return before?.Attendees.Count ?? 0;
            default:
                IReadOnlyList<Attendee> old = before?.Attendees ?? [];
                IReadOnlyList<Attendee> now = write.Event!.Attendees;
                if (write.Fields.HasFlag(EventFields.Timing) || write.Fields.HasFlag(EventFields.Location))
                {
                    return now.Count + old.Count(a => !now.Any(n => SameAddress(n, a)));
                }

                return write.Fields.HasFlag(EventFields.Attendees)
                    ? now.Count(n => !old.Any(a => SameAddress(a, n) && a.Type == n.Type)) + old.Count(a => !now.Any(n => SameAddress(n, a)))
                    : 0;
        }
    }

    private static bool SameAddress(Attendee a, Attendee b) => string.Equals(a.Email.Address, b.Email.Address, StringComparison.OrdinalIgnoreCase);

    /// <summary>The ids, on <paramref name="source"/>, of the events the plan creates on the other side.</summary>
    private static HashSet<string> CreatedFrom(SyncPlan plan, SyncSide source)
        => plan.Changes
            .Where(c => (source == SyncSide.Local ? c.RemoteWrite : c.LocalWrite)?.Kind == WriteKind.Create)
            .Select(c => source == SyncSide.Local ? c.Local?.Id : c.Remote?.Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    private void Add(SyncSide side, WriteKind? kind)
    {
        if (kind is { } write)
        {
            _writes[(int)side, (int)write]++;
            Writes++;
        }
    }
}
