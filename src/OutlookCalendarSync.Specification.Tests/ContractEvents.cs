using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Specification.Tests;

/// <summary>Events and the window the contract tests use.</summary>
public static class ContractEvents
{
    public const string UserId = "user-1";

    public const string OtherUserId = "user-2";

    /// <summary>November and December 2026.</summary>
    public static Interval Window { get; } = new(Instant.FromUtc(2026, 11, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0));

    /// <summary>A one-hour meeting on 1 December 2026 (inside <see cref="Window"/>), plus <paramref name="dayOffset"/> days.</summary>
    public static CalendarEvent InWindow(string subject, int dayOffset = 0)
        => new()
        {
            Subject = subject,
            Location = "Room 1",
            Timing = EventTiming.Timed(
                new LocalDateTime(2026, 12, 1, 9, 0).PlusDays(dayOffset),
                new LocalDateTime(2026, 12, 1, 10, 0).PlusDays(dayOffset),
                "Europe/Berlin"),
        };

    /// <summary>A meeting on 1 March 2027, after <see cref="Window"/>.</summary>
    public static CalendarEvent OutsideWindow(string subject)
        => new()
        {
            Subject = subject,
            Timing = EventTiming.Timed(new LocalDateTime(2027, 3, 1, 9, 0), new LocalDateTime(2027, 3, 1, 10, 0), "Europe/Berlin"),
        };

    /// <summary>A weekly series master whose first occurrence is in 2025, before <see cref="Window"/>.</summary>
    public static CalendarEvent SeriesMasterStartingBeforeWindow(string subject)
        => new()
        {
            Subject = subject,
            Timing = EventTiming.Timed(new LocalDateTime(2025, 1, 6, 9, 0), new LocalDateTime(2025, 1, 6, 9, 30), "Europe/Berlin"),
            Recurrence = new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2025, 1, 6), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday]),
        };

    /// <summary>An update of <paramref name="changed"/>'s fields to the event it was read as: its id, at the version it carries.</summary>
    /// <param name="changed">An event as read, with new values.</param>
    /// <param name="fields">The fields to write.</param>
    /// <returns>The write.</returns>
    public static EventUpdate UpdateOf(CalendarEvent changed, EventFields fields)
        => EventWrite.Update(changed.Id ?? throw new ArgumentException("The event has no id: pass one that was read from the store.", nameof(changed)), changed.Version, changed, fields);

    /// <summary>The timing of <see cref="OutsideWindow"/>, to move an event out of the window.</summary>
    public static EventTiming OutsideWindowTiming { get; } = OutsideWindow("x").Timing;
}
