using NodaTime;
using OutlookCalendarSync.Cli.Ics;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>Time zones the file defines in VTIMEZONEs, as Outlook writes them, and the VTIMEZONEs the export writes.</summary>
public sealed partial class IcsTests
{
    private const string OutlookBerlinName = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna";

    /// <summary>Outlook's VTIMEZONE for W. Europe Standard Time: rules from 1601, named by its display name.</summary>
    private const string OutlookBerlinZone = """
        BEGIN:VTIMEZONE
        TZID:(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna
        BEGIN:STANDARD
        DTSTART:16011028T030000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:16010325T020000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        END:DAYLIGHT
        END:VTIMEZONE

        """;

    [Fact]
    public void Read_OutlookDisplayNameDefinedInVTimeZone_ZoneOfItsFirstCityWithTheSameRules()
    {
        string text = Calendar(
            OutlookBerlinZone,
            Event("winter@example", "Winter", $"DTSTART;TZID=\"{OutlookBerlinName}\":20260302T100000", $"DTEND;TZID=\"{OutlookBerlinName}\":20260302T110000"),
            Event("summer@example", "Summer", $"DTSTART;TZID=\"{OutlookBerlinName}\":20260330T100000", $"DTEND;TZID=\"{OutlookBerlinName}\":20260330T110000"));

        IcsImport read = IcsConverter.Read(text.ReplaceLineEndings("\r\n"));

        Assert.Empty(read.Skipped);
        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 3, 2, 10, 0), new LocalDateTime(2026, 3, 2, 11, 0), "Europe/Amsterdam"), read.Events[0].Event.Timing);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 9, 0), read.Events[0].Event.Timing.StartInstant);
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 8, 0), read.Events[1].Event.Timing.StartInstant);
    }

    [Fact]
    public void Read_CustomizedTimeZoneWithUsRules_TheWindowsZonesIanaZone()
    {
        const string zone = """
            BEGIN:VTIMEZONE
            TZID:Customized Time Zone
            BEGIN:STANDARD
            DTSTART:16011104T020000
            RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
            TZOFFSETFROM:-0400
            TZOFFSETTO:-0500
            END:STANDARD
            BEGIN:DAYLIGHT
            DTSTART:16010311T020000
            RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
            TZOFFSETFROM:-0500
            TZOFFSETTO:-0400
            END:DAYLIGHT
            END:VTIMEZONE

            """;
        string text = Calendar(
            zone,
            Event("call@example", "Call", "DTSTART;TZID=Customized Time Zone:20260302T093000", "DTEND;TZID=Customized Time Zone:20260302T100000",
                "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3"));

        ImportedEvent read = Assert.Single(IcsConverter.Read(text.ReplaceLineEndings("\r\n")).Events);

        Assert.Equal("America/New_York", read.Event.Timing.TimeZoneId);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 14, 30), read.Event.Timing.StartInstant);
        Assert.Equal("America/New_York", read.Event.Recurrence!.TimeZoneId);
    }

    [Fact]
    public void Read_CustomizedTimeZoneWithOneOffset_FixedEtcZone()
    {
        const string zone = """
            BEGIN:VTIMEZONE
            TZID:Customized Time Zone
            BEGIN:STANDARD
            DTSTART:16010101T000000
            TZOFFSETFROM:+0900
            TZOFFSETTO:+0900
            END:STANDARD
            END:VTIMEZONE

            """;
        string text = Calendar(zone, Event("tokyo@example", "Tokyo", "DTSTART;TZID=Customized Time Zone:20260302T170000", "DTEND;TZID=Customized Time Zone:20260302T180000"));

        CalendarEvent read = Assert.Single(IcsConverter.Read(text.ReplaceLineEndings("\r\n")).Events).Event;

        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 3, 2, 17, 0), new LocalDateTime(2026, 3, 2, 18, 0), "Etc/GMT-9"), read.Timing);
    }

    [Fact]
    public void Read_VTimeZoneNoTzdbZoneFollows_TimesFromItsOwnRulesInFixedZones()
    {
        // Daylight saving time from the first Sunday of June to the first Sunday of September: no zone has these rules.
        const string zone = """
            BEGIN:VTIMEZONE
            TZID:Base Station
            BEGIN:STANDARD
            DTSTART:20000903T030000
            RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=1SU
            TZOFFSETFROM:+0400
            TZOFFSETTO:+0300
            END:STANDARD
            BEGIN:DAYLIGHT
            DTSTART:20000604T020000
            RRULE:FREQ=YEARLY;BYMONTH=6;BYDAY=1SU
            TZOFFSETFROM:+0300
            TZOFFSETTO:+0400
            END:DAYLIGHT
            END:VTIMEZONE

            """;
        string text = Calendar(
            zone,
            Event("winter@example", "Winter", "DTSTART;TZID=Base Station:20260302T100000", "DTEND;TZID=Base Station:20260302T110000"),
            Event("summer@example", "Summer", "DTSTART;TZID=Base Station:20260701T100000", "DTEND;TZID=Base Station:20260701T110000"));

        IcsImport read = IcsConverter.Read(text.ReplaceLineEndings("\r\n"));

        Assert.Empty(read.Skipped);
        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 3, 2, 10, 0), new LocalDateTime(2026, 3, 2, 11, 0), "Etc/GMT-3"), read.Events[0].Event.Timing);
        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 7, 1, 10, 0), new LocalDateTime(2026, 7, 1, 11, 0), "Etc/GMT-4"), read.Events[1].Event.Timing);
        Assert.Equal(Instant.FromUtc(2026, 7, 1, 6, 0), read.Events[1].Event.Timing.StartInstant);
    }

    [Fact]
    public void Read_VTimeZoneWithRuleItCannotRead_EventSkippedWithReason()
    {
        const string zone = """
            BEGIN:VTIMEZONE
            TZID:Odd Zone
            BEGIN:STANDARD
            DTSTART:20000101T000000
            RRULE:FREQ=MONTHLY;BYMONTHDAY=1
            TZOFFSETFROM:+0100
            TZOFFSETTO:+0100
            END:STANDARD
            END:VTIMEZONE

            """;
        string text = Calendar(zone, Event("odd@example", "Odd", "DTSTART;TZID=Odd Zone:20260302T100000", "DURATION:PT1H"), Lunch);

        IcsImport read = IcsConverter.Read(text.ReplaceLineEndings("\r\n"));

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        SkippedEvent skipped = Assert.Single(read.Skipped);
        Assert.StartsWith("its time zone 'Odd Zone' is defined in the file (VTIMEZONE), but its rule RRULE:FREQ=MONTHLY;BYMONTHDAY=1", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CustomizedTimeZoneInYear9999_EventReadInItsOwnRules()
    {
        string zone = OutlookBerlinZone.Replace(OutlookBerlinName, "Customized Time Zone", StringComparison.Ordinal);
        string text = Calendar(zone, Event("far@example", "Far future", "DTSTART;TZID=Customized Time Zone:99990701T100000", "DURATION:PT1H"));

        CalendarEvent read = Assert.Single(IcsConverter.Read(text.ReplaceLineEndings("\r\n")).Events).Event;

        Assert.Equal(Instant.FromUtc(9999, 7, 1, 8, 0), read.Timing.StartInstant);
    }

    [Fact]
    public void Read_OutlookDisplayNameWithoutVTimeZone_ZoneOfItsFirstKnownCity()
    {
        string text = Calendar(Event("x@example", "X", $"DTSTART;TZID=\"{OutlookBerlinName}\":20260302T100000", "DURATION:PT1H"));

        CalendarEvent read = Assert.Single(IcsConverter.Read(text).Events).Event;

        Assert.Equal("Europe/Amsterdam", read.Timing.TimeZoneId);
    }

    [Fact]
    public void Write_TimedEvents_OneVTimeZonePerTzidBeforeTheEvents()
    {
        string text = IcsConverter.Write(Events, out _);

        Assert.Equal(1, Count(text, "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"));
        Assert.Equal(1, Count(text, "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n"));
        Assert.Equal(2, Count(text, "BEGIN:VTIMEZONE"));
        Assert.True(text.LastIndexOf("END:VTIMEZONE", StringComparison.Ordinal) < text.IndexOf("BEGIN:VEVENT", StringComparison.Ordinal));
        Assert.Contains("DTSTART;TZID=Europe/London:20260330T093000", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SeriesInAZone_ItsVTimeZoneAloneGivesTheSameTimes()
    {
        // Renamed, the TZIDs mean nothing to a reader: the times come from the VTIMEZONEs the export wrote.
        CalendarEvent series = Series(
            "weekly@example",
            "Gym",
            EventTiming.Timed(new LocalDateTime(2026, 3, 2, 18, 0), new LocalDateTime(2026, 3, 2, 19, 0), "America/Los_Angeles"),
            new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "America/Los_Angeles", daysOfWeek: [IsoDayOfWeek.Monday], numberOfOccurrences: 4));
        CalendarEvent[] events = [series, Events[0], Events[2]];
        string text = IcsConverter.Write(events, out _);
        foreach (string zone in new[] { "America/Los_Angeles", "Europe/London", "Asia/Tokyo" })
        {
            text = text.Replace(zone, "Office " + zone.Replace('/', ' '), StringComparison.Ordinal);
        }

        IcsImport read = IcsConverter.Read(text);

        Assert.Empty(read.Skipped);
        Assert.DoesNotContain("America/Los_Angeles", text, StringComparison.Ordinal);
        for (int i = 0; i < events.Length; i++)
        {
            Assert.Equal(events[i].Timing.StartInstant, read.Events[i].Event.Timing.StartInstant);
            Assert.Equal(events[i].Timing.EndInstant, read.Events[i].Event.Timing.EndInstant);
            Assert.Equal(events[i].Timing.Start.Offset, read.Events[i].Event.Timing.Start.Offset);
        }

        Assert.Equal(RecurrenceExpander.OccurrenceDates(series.Recurrence!).Take(4), RecurrenceExpander.OccurrenceDates(read.Events[0].Event.Recurrence!).Take(4));
    }

    [Fact]
    public void Write_EventInFixedOffsetZone_VTimeZoneWithOneOffsetAndNoRule()
    {
        CalendarEvent fixedZone = new()
        {
            ICalUId = "station@example",
            Subject = "Base station check",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 7, 1, 10, 0), new LocalDateTime(2026, 7, 1, 11, 0), "Etc/GMT-4"),
        };

        string text = IcsConverter.Write([fixedZone], out _);
        string zone = text[text.IndexOf("BEGIN:VTIMEZONE", StringComparison.Ordinal)..(text.IndexOf("END:VTIMEZONE", StringComparison.Ordinal) + 13)];
        CalendarEvent read = Assert.Single(IcsConverter.Read(text.Replace("Etc/GMT-4", "Station Time", StringComparison.Ordinal)).Events).Event;

        Assert.Contains("TZID:Etc/GMT-4\r\n", zone, StringComparison.Ordinal);
        Assert.Contains("TZOFFSETFROM:+0400\r\n", zone, StringComparison.Ordinal);
        Assert.Contains("TZOFFSETTO:+0400\r\n", zone, StringComparison.Ordinal);
        Assert.DoesNotContain("RRULE", zone, StringComparison.Ordinal);
        Assert.Equal(fixedZone.Timing, read.Timing);
    }

    private static int Count(string text, string part)
        => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
