using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>The events of one side at one moment, to tell what a run created, updated and deleted there.</summary>
internal sealed class CalendarSnapshot
{
    private readonly Dictionary<string, CalendarEvent> _events;

    public CalendarSnapshot(IEnumerable<CalendarEvent> events)
    {
        _events = events.Where(e => e.Id is not null).ToDictionary(e => e.Id!, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<CalendarEvent> Events => _events.Values;

    /// <summary>What changed from this snapshot to <paramref name="after"/>.</summary>
    public SideChangesReport Compare(CalendarSnapshot after)
    {
        var created = after._events.Values.Where(e => !_events.ContainsKey(e.Id!)).InPrintOrder().Select(Label).ToList();
        var deleted = _events.Values.Where(e => !after._events.ContainsKey(e.Id!)).InPrintOrder().Select(Label).ToList();
        var updated = after._events.Values
            .InPrintOrder()
            .Where(e => _events.TryGetValue(e.Id!, out CalendarEvent? old) && old.DiffersFrom(e) != EventFields.None)
            .Select(e => $"{Label(e)} ({_events[e.Id!].DiffersFrom(e)})")
            .ToList();
        return new SideChangesReport(created, updated, deleted);
    }

    private static string Label(CalendarEvent e) => e.Subject ?? "(no subject)";
}

/// <summary>The subjects of the events a run created, updated (with the fields) and deleted on one side.</summary>
internal sealed record SideChangesReport(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Deleted)
{
    public int Total => Created.Count + Updated.Count + Deleted.Count;
}
