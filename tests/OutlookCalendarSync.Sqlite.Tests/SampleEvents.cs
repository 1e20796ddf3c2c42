using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Sqlite.Tests;

/// <summary>Events with every field set, for round-trip tests.</summary>
public static class SampleEvents
{
    public static CalendarEvent EveryField()
        => new()
        {
            Id = "local-7",
            Version = "12",
            ICalUId = "uid-123@example.com",
            CounterpartId = "AAMkAGI2-outlook-id",
            LastModified = Instant.FromUnixTimeTicks(17_640_000_000_000_123) + Duration.FromNanoseconds(45),
            Subject = "Quarterly planning – Ünïcødé \"quoted\"",
            Body = EventBody.Html("<p>Agenda:<br/><b>budget</b> &amp; hiring</p>"),
            Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 1, 9, 30), new LocalDateTime(2026, 12, 1, 11, 0), "Europe/Berlin"),
            Location = "Room 4.01",
            OnlineMeetingUrl = new Uri("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc?context=%7b%7d"),
            Attendees =
            [
                Attendee.Create("Bob@Example.com", "Bob Builder", AttendeeType.Required, ResponseStatus.Accepted),
                Attendee.Create("carol@example.com", null, AttendeeType.Optional, ResponseStatus.TentativelyAccepted),
                Attendee.Create("room-4@example.com", "Room 4.01", AttendeeType.Resource, ResponseStatus.NotResponded),
            ],
            Organizer = new EmailAddress("alice@example.com", "Alice"),
            ShowAs = ShowAs.Tentative,
            Sensitivity = Sensitivity.Private,
            ReminderMinutesBeforeStart = 15,
            Categories = ["Planning", "Blue category"],
            IsCancelled = true,
            MyResponse = ResponseStatus.TentativelyAccepted,
        };

    public static CalendarEvent AllDay()
        => new()
        {
            Subject = "Company offsite",
            Timing = EventTiming.AllDay(new LocalDate(2026, 12, 10), new LocalDate(2026, 12, 12)),
            ShowAs = ShowAs.OutOfOffice,
            Categories = ["Travel"],
        };

    public static CalendarEvent WeeklySeries()
        => new()
        {
            Subject = "Stand-up",
            Body = EventBody.Text("Daily sync, 15 minutes."),
            Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 2, 9, 0), new LocalDateTime(2026, 11, 2, 9, 15), "America/New_York"),
            Recurrence = new Recurrence(
                RecurrenceFrequency.Weekly,
                new LocalDate(2026, 11, 2),
                "America/New_York",
                interval: 1,
                daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday],
                firstDayOfWeek: IsoDayOfWeek.Monday,
                endDate: new LocalDate(2027, 3, 31),
                deletedOccurrences: [new LocalDate(2026, 12, 25), new LocalDate(2027, 1, 1)]),
        };

    public static CalendarEvent RelativeYearlySeries()
        => new()
        {
            Subject = "Thanksgiving dinner",
            Timing = EventTiming.AllDay(new LocalDate(2026, 11, 26), new LocalDate(2026, 11, 27)),
            Recurrence = new Recurrence(
                RecurrenceFrequency.RelativeYearly,
                new LocalDate(2026, 11, 26),
                "America/Chicago",
                daysOfWeek: [IsoDayOfWeek.Thursday],
                month: 11,
                index: WeekIndex.Fourth,
                numberOfOccurrences: 10),
        };

    public static CalendarEvent AbsoluteMonthlySeries()
        => new()
        {
            Subject = "Invoice run",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 15, 14, 0), new LocalDateTime(2026, 11, 15, 15, 0), "Asia/Tokyo"),
            Recurrence = new Recurrence(RecurrenceFrequency.AbsoluteMonthly, new LocalDate(2026, 11, 15), "Asia/Tokyo", interval: 2, dayOfMonth: 15),
        };

    public static CalendarEvent SeriesException()
        => new()
        {
            Subject = "Stand-up (moved)",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 4, 10, 0), new LocalDateTime(2026, 11, 4, 10, 15), "America/New_York"),
            SeriesMasterId = "local-1",
            OriginalStart = Instant.FromUtc(2026, 11, 4, 14, 0),
        };

    /// <summary>02:30 on the night clocks go back in Berlin happens twice; this is the second one (UTC+1).</summary>
    public static CalendarEvent AmbiguousLocalTime()
    {
        DateTimeZone berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        ZonedDateTime start = Instant.FromUtc(2026, 10, 25, 1, 30).InZone(berlin);
        return new CalendarEvent { Subject = "Night shift", Timing = EventTiming.Timed(start, start.PlusHours(1)) };
    }

    /// <summary>A start and end in two different zones (a flight).</summary>
    public static CalendarEvent TwoZones()
        => new()
        {
            Subject = "Flight FRA → JFK",
            Timing = EventTiming.Timed(
                new LocalDateTime(2026, 12, 3, 10, 0).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/Berlin"]),
                new LocalDateTime(2026, 12, 3, 13, 0).InZoneStrictly(DateTimeZoneProviders.Tzdb["America/New_York"])),
        };

    public static TheoryData<string> Names { get; } =
        ["EveryField", "AllDay", "WeeklySeries", "RelativeYearlySeries", "AbsoluteMonthlySeries", "SeriesException", "AmbiguousLocalTime", "TwoZones"];

    public static CalendarEvent ByName(string name) => name switch
    {
        "EveryField" => EveryField(),
        "AllDay" => AllDay(),
        "WeeklySeries" => WeeklySeries(),
        "RelativeYearlySeries" => RelativeYearlySeries(),
        "AbsoluteMonthlySeries" => AbsoluteMonthlySeries(),
        "SeriesException" => SeriesException(),
        "AmbiguousLocalTime" => AmbiguousLocalTime(),
        "TwoZones" => TwoZones(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown sample."),
    };
}
