using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>
/// The order events are printed in: by start, then end, subject and id, so that events with the same start come out the same
/// way on every run (the stores list them in no particular order).
/// </summary>
internal static class EventOrder
{
    public static IOrderedEnumerable<CalendarEvent> InPrintOrder(this IEnumerable<CalendarEvent> events)
        => events
            .OrderBy(e => e.Timing.StartInstant)
            .ThenBy(e => e.Timing.EndInstant)
            .ThenBy(e => e.Subject, StringComparer.Ordinal)
            .ThenBy(e => e.Id, StringComparer.Ordinal);
}
