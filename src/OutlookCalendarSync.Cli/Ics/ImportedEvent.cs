using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>A single event or a series master read from an iCalendar file, with the series' modified occurrences.</summary>
/// <param name="Event">The event; a series master has a <see cref="CalendarEvent.Recurrence"/>.</param>
/// <param name="Exceptions">
/// The modified occurrences of a series (the VEVENTs with its UID and a RECURRENCE-ID), each with its
/// <see cref="CalendarEvent.OriginalStart"/>. Their <see cref="CalendarEvent.SeriesMasterId"/> is the master's UID, its id in the
/// file: once the master is stored, set it to the master's id there. Empty for a single event.
/// </param>
internal sealed record ImportedEvent(CalendarEvent Event, IReadOnlyList<CalendarEvent> Exceptions);
