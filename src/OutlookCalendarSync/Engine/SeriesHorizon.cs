using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// Outlook tells deleted occurrences only up to the end of the sync window (past it, it would have to list a never-ending
/// series' instances forever). Both sides' series are compared up to that horizon, and a host series keeps the deletions it
/// has past it when Outlook's version of the series is written over it.
/// </summary>
internal static class SeriesHorizon
{
    /// <summary>The side's changes with deleted occurrences past the horizon left out.</summary>
    public static SideChanges Clip(SideChanges side, Instant horizon)
    {
        if (!side.Changed.Any(e => PastHorizon(e, horizon).Length > 0))
        {
            return side;
        }

        return new SideChanges(side.Changed.Select(e => Clip(e, horizon)), side.DeletedIds, side.IsFullSnapshot);
    }

    /// <summary>The event with deleted occurrences past the horizon left out.</summary>
    public static CalendarEvent Clip(CalendarEvent e, Instant horizon)
    {
        LocalDate[] past = PastHorizon(e, horizon);
        return past.Length == 0 ? e : e with { Recurrence = e.Recurrence!.WithDeletedOccurrences(e.Recurrence!.DeletedOccurrences.Except(past)) };
    }

    /// <summary>
    /// The series to write to the host: <paramref name="written"/> plus the deletions past the horizon that the host's current
    /// version has, when both have the same pattern.
    /// </summary>
    public static CalendarEvent Restore(CalendarEvent written, CalendarEvent? current, Instant horizon)
    {
        if (written.Recurrence is not { } rule || current?.Recurrence is not { } currentRule)
        {
            return written;
        }

        LocalDate[] past = PastHorizon(current, horizon);
        if (past.Length == 0 || !rule.HasSamePatternAs(currentRule))
        {
            return written;
        }

        return written with { Recurrence = rule.WithDeletedOccurrences(rule.DeletedOccurrences.Union(past)) };
    }

    private static LocalDate[] PastHorizon(CalendarEvent e, Instant horizon)
    {
        if (e.Recurrence is not { DeletedOccurrences.Count: > 0 } rule)
        {
            return [];
        }

        LocalDate last = horizon.InZone(DateTimeZoneProviders.Tzdb[rule.TimeZoneId]).Date;
        return rule.DeletedOccurrences.Where(d => d > last).ToArray();
    }
}
