namespace OutlookCalendarSync.Cli.Ics;

/// <summary>An iCalendar text made ready for Ical.Net by <see cref="IcsPreparation.Prepare"/>.</summary>
/// <param name="Text">The text to load.</param>
/// <param name="Problems">Why each VEVENT marked with <see cref="IcsPreparation.ProblemProperty"/> is to be left out, by index.</param>
/// <param name="CalendarZoneId">The time zone database id of the calendar's <c>X-WR-TIMEZONE</c>, or null when it has none known.</param>
internal sealed record PreparedIcs(string Text, IReadOnlyList<string> Problems, string? CalendarZoneId);
