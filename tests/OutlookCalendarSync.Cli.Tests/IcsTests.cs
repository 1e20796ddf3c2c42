using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Cli.Ics;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;
using OutlookCalendarSync.Sqlite;

namespace OutlookCalendarSync.Cli.Tests;

public sealed partial class IcsTests
{
    private static readonly CalendarEvent[] Events =
    [
        new()
        {
            ICalUId = "planning-1@example",
            Subject = "Sprint planning",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 3, 30, 9, 30), new LocalDateTime(2026, 3, 30, 11, 0), "Europe/London"),
            Location = "Room 2.14",
            Body = EventBody.Html("<p>Agenda</p>"),
            Organizer = new EmailAddress("ada@contoso.example", "Ada Lovelace"),
            Attendees =
            [
                Attendee.Create("grace@contoso.example", "Grace Hopper", AttendeeType.Required, ResponseStatus.Accepted),
                Attendee.Create("alan@contoso.example", "Alan Turing", AttendeeType.Optional, ResponseStatus.TentativelyAccepted),
                Attendee.Create("room-4@contoso.example", "Room 4", AttendeeType.Resource, ResponseStatus.Declined),
            ],
            ReminderMinutesBeforeStart = 15,
            Categories = ["Planning", "Team"],
        },
        new()
        {
            ICalUId = "offsite@example",
            Subject = "Company offsite",
            Timing = EventTiming.AllDay(new LocalDate(2026, 4, 1), new LocalDate(2026, 4, 3)),
            ShowAs = ShowAs.OutOfOffice,
            Body = EventBody.Text("Bring walking shoes."),
        },
        new()
        {
            ICalUId = "tokyo@example",
            Subject = "Design review with Tokyo",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 3, 31, 17, 0), new LocalDateTime(2026, 3, 31, 18, 0), "Asia/Tokyo"),
            OnlineMeetingUrl = new Uri("https://teams.example/l/meetup-join/x"),
            Sensitivity = Sensitivity.Private,
            ShowAs = ShowAs.Tentative,
        },
    ];

    [Fact]
    public void WriteThenRead_ManyFields_SameContent()
    {
        string text = IcsConverter.Write(Events, out IReadOnlyList<SkippedEvent> skippedOnWrite);
        IcsImport read = IcsConverter.Read(text);

        Assert.Empty(skippedOnWrite);
        Assert.Empty(read.Skipped);
        Assert.Equal(Events.Length, read.Events.Count);
        for (int i = 0; i < Events.Length; i++)
        {
            Assert.Equal(EventFields.None, Events[i].DiffersFrom(read.Events[i].Event));
            Assert.Equal(Events[i].ICalUId, read.Events[i].Event.ICalUId);
            Assert.Empty(read.Events[i].Exceptions);
        }
    }

    [Fact]
    public void Read_DailyNumberedSeriesAndSingle_MasterAndSingle()
    {
        const string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            + "BEGIN:VEVENT\r\nUID:standup@example\r\nSUMMARY:Stand-up\r\nDTSTART;TZID=Europe/London:20260330T093000\r\nDTEND;TZID=Europe/London:20260330T094500\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:one@example\r\nSUMMARY:One-off\r\nDTSTART:20260330T120000Z\r\nDTEND:20260330T130000Z\r\nEND:VEVENT\r\n"
            + "END:VCALENDAR\r\n";

        IcsImport read = IcsConverter.Read(text);

        Assert.Empty(read.Skipped);
        Assert.Equal(2, read.Events.Count);
        Assert.Equal(new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 3, 30), "Europe/London", numberOfOccurrences: 5), read.Events[0].Event.Recurrence);
        CalendarEvent single = read.Events[1].Event;
        Assert.Equal("One-off", single.Subject);
        Assert.Null(single.Recurrence);
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 12, 0), single.Timing.StartInstant);
    }

    [Fact]
    public void Read_NotICalendar_FormatException()
    {
        Assert.Throws<FormatException>(() => IcsConverter.Read("this is not a calendar"));
    }

    [Fact]
    public async Task ImportThenExport_RoundTripThroughTwoDatabases_SameEvents()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("in.ics"), IcsConverter.Write(Events, out _));
        var first = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("first.db") });
        var second = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("second.db") });

        Assert.Equal(ExitCodes.Ok, await first.RunAsync("import-ics", folder.File("in.ics")));
        Assert.Equal(ExitCodes.Ok, await first.RunAsync("export-ics", folder.File("out.ics")));
        Assert.Equal(ExitCodes.Ok, await second.RunAsync("import-ics", folder.File("out.ics")));

        Assert.Contains("3 added, 0 updated", first.Output, StringComparison.Ordinal);
        var store = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = folder.File("second.db") });
        IReadOnlyList<CalendarEvent> stored = store.GetAll(AccountSettings.DefaultUser);
        Assert.Equal(Events.Length, stored.Count);
        foreach (CalendarEvent original in Events)
        {
            CalendarEvent copy = Assert.Single(stored, e => e.ICalUId == original.ICalUId);
            Assert.Equal(EventFields.None, original.DiffersFrom(copy));
        }
    }

    [Fact]
    public async Task ImportTwice_SameFile_CountedUnchangedAndNotWritten()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("in.ics"), IcsConverter.Write(Events, out _));
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("twice.db") });
        var store = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = folder.File("twice.db") });

        await cli.RunAsync("import-ics", folder.File("in.ics"));
        string[] versionsBefore = store.GetAll(AccountSettings.DefaultUser).Select(e => e.Version!).ToArray();
        int exitCode = await cli.RunAsync("import-ics", folder.File("in.ics"));

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("0 added, 0 updated, 3 unchanged.", cli.Output, StringComparison.Ordinal);
        Assert.Equal(versionsBefore, store.GetAll(AccountSettings.DefaultUser).Select(e => e.Version!).ToArray());
    }

    [Fact]
    public async Task ImportTwice_OneEventChanged_OneUpdatedOthersUnchanged()
    {
        using var folder = new TemporaryFolder();
        string text = IcsConverter.Write(Events, out _);
        File.WriteAllText(folder.File("v1.ics"), text);
        File.WriteAllText(folder.File("v2.ics"), text.Replace("SUMMARY:Company offsite", "SUMMARY:Company offsite (Lisbon)", StringComparison.Ordinal));
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("twice.db") });

        await cli.RunAsync("import-ics", folder.File("v1.ics"));
        await cli.RunAsync("import-ics", folder.File("v2.ics"));

        Assert.Contains("0 added, 1 updated, 2 unchanged.", cli.Output, StringComparison.Ordinal);
        var store = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = folder.File("twice.db") });
        Assert.Single(store.GetAll(AccountSettings.DefaultUser), e => e.Subject == "Company offsite (Lisbon)");
    }

    [Fact]
    public async Task Import_MissingFile_FileErrorExitCode()
    {
        using var folder = new TemporaryFolder();
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("x.db") });

        int exitCode = await cli.RunAsync("import-ics", folder.File("missing.ics"));

        Assert.Equal(ExitCodes.FileError, exitCode);
        Assert.Contains("missing.ics", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenRead_WeeklySeriesOnTwoDaysWithEndDate_SameSeries()
    {
        CalendarEvent master = Series(
            "weekly@example",
            "Gym",
            EventTiming.Timed(new LocalDateTime(2026, 3, 30, 18, 0), new LocalDateTime(2026, 3, 30, 19, 0), "Europe/London"),
            new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 30), "Europe/London", daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Thursday], endDate: new LocalDate(2026, 6, 25)));

        string text = IcsConverter.Write([master], out IReadOnlyList<SkippedEvent> skipped);
        ImportedEvent read = Assert.Single(IcsConverter.Read(text).Events);

        Assert.Empty(skipped);
        Assert.Contains("RRULE:FREQ=WEEKLY;BYDAY=MO,TH;WKST=SU;UNTIL=20260625T170000Z", text, StringComparison.Ordinal);
        AssertSameSeries(master, read);
        AssertIcalNetExpandsAsOutlook(text, master);
    }

    [Fact]
    public void WriteThenRead_DailyEndlessSeries_SameSeries()
    {
        CalendarEvent master = Series(
            "daily@example",
            "Stand-up",
            EventTiming.Timed(new LocalDateTime(2026, 3, 2, 9, 15), new LocalDateTime(2026, 3, 2, 9, 30), "America/Los_Angeles"),
            new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 3, 2), "America/Los_Angeles"));

        string text = IcsConverter.Write([master], out _);
        ImportedEvent read = Assert.Single(IcsConverter.Read(text).Events);

        Assert.Contains("RRULE:FREQ=DAILY\r\n", text, StringComparison.Ordinal);
        Assert.True(read.Event.Recurrence!.IsEndless);
        AssertSameSeries(master, read);
        AssertIcalNetExpandsAsOutlook(text, master);
    }

    [Fact]
    public void WriteThenRead_NumberedLastFridayMonthlySeries_SameSeriesWeekStartKept()
    {
        // Weeks starting on Monday: Ical.Net alone would drop WKST=MO (its default), and the rule would come back with Sunday.
        CalendarEvent master = Series(
            "retro@example",
            "Retrospective",
            EventTiming.Timed(new LocalDateTime(2026, 1, 30, 15, 0), new LocalDateTime(2026, 1, 30, 16, 0), "Europe/Berlin"),
            new Recurrence(
                RecurrenceFrequency.RelativeMonthly, new LocalDate(2026, 1, 30), "Europe/Berlin",
                daysOfWeek: [IsoDayOfWeek.Friday], index: WeekIndex.Last, firstDayOfWeek: IsoDayOfWeek.Monday, numberOfOccurrences: 6));

        string text = IcsConverter.Write([master], out _);
        ImportedEvent read = Assert.Single(IcsConverter.Read(text).Events);

        Assert.Contains("RRULE:FREQ=MONTHLY;BYDAY=-1FR;WKST=MO;COUNT=6", text, StringComparison.Ordinal);
        AssertSameSeries(master, read);
        AssertIcalNetExpandsAsOutlook(text, master);
    }

    [Fact]
    public void WriteThenRead_AllDayYearlySeries_SameSeriesAndZone()
    {
        CalendarEvent master = Series(
            "birthday@example",
            "Ada's birthday",
            EventTiming.AllDay(new LocalDate(2026, 12, 10), new LocalDate(2026, 12, 11)),
            new Recurrence(RecurrenceFrequency.AbsoluteYearly, new LocalDate(2026, 12, 10), "Europe/London", dayOfMonth: 10, month: 12));

        string text = IcsConverter.Write([master], out _);
        ImportedEvent read = Assert.Single(IcsConverter.Read(text).Events);

        Assert.Contains("DTSTART;VALUE=DATE:20261210", text, StringComparison.Ordinal);
        Assert.Contains("RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=10\r\n", text, StringComparison.Ordinal);
        Assert.True(read.Event.Timing.IsAllDay);
        Assert.Equal("Europe/London", read.Event.Recurrence!.TimeZoneId);
        AssertSameSeries(master, read);
        AssertIcalNetExpandsAsOutlook(text, master);
    }

    [Fact]
    public void WriteThenRead_SeriesWithDeletedOccurrences_ExDatesAtStartTimeAndBack()
    {
        CalendarEvent master = Series(
            "one-to-one@example",
            "1:1",
            EventTiming.Timed(new LocalDateTime(2026, 3, 3, 11, 0), new LocalDateTime(2026, 3, 3, 11, 30), "Europe/Berlin"),
            new Recurrence(
                RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 3), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Tuesday], numberOfOccurrences: 8,
                deletedOccurrences: [new LocalDate(2026, 3, 17), new LocalDate(2026, 4, 7)]));
        CalendarEvent allDay = Series(
            "cleanup@example",
            "Desk clean-up",
            EventTiming.AllDay(new LocalDate(2026, 3, 6), new LocalDate(2026, 3, 7)),
            new Recurrence(
                RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 6), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Friday], numberOfOccurrences: 4,
                deletedOccurrences: [new LocalDate(2026, 3, 13)]));

        string text = IcsConverter.Write([master, allDay], out _);
        IcsImport read = IcsConverter.Read(text);

        Assert.Contains("EXDATE;TZID=Europe/Berlin:20260317T110000,20260407T110000", text, StringComparison.Ordinal);
        Assert.Contains("EXDATE;VALUE=DATE:20260313", text, StringComparison.Ordinal);
        Assert.Equal([new LocalDate(2026, 3, 17), new LocalDate(2026, 4, 7)], read.Events[0].Event.Recurrence!.DeletedOccurrences);
        AssertSameSeries(master, read.Events[0]);
        AssertSameSeries(allDay, read.Events[1]);
        AssertIcalNetExpandsAsOutlook(text, master);
        AssertIcalNetExpandsAsOutlook(text, allDay);
    }

    [Fact]
    public void WriteThenRead_SeriesWithMovedOccurrence_ExceptionComesBackAttachedToItsMaster()
    {
        CalendarEvent master = Series(
            "review@example",
            "Design review",
            EventTiming.Timed(new LocalDateTime(2026, 3, 2, 10, 0), new LocalDateTime(2026, 3, 2, 11, 0), "Europe/London"),
            new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "Europe/London", daysOfWeek: [IsoDayOfWeek.Monday], numberOfOccurrences: 6))
            with { Id = "local-1" };
        Instant originalStart = new LocalDateTime(2026, 4, 6, 10, 0).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/London"]).ToInstant();
        var moved = new CalendarEvent
        {
            Id = "local-2",
            ICalUId = "occurrence-own-uid@example",
            SeriesMasterId = "local-1",
            OriginalStart = originalStart,
            Subject = "Design review (moved to Tuesday)",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 4, 7, 14, 0), new LocalDateTime(2026, 4, 7, 15, 0), "Europe/London"),
            Location = "Room 5",
        };

        string text = IcsConverter.Write([master, moved], out IReadOnlyList<SkippedEvent> skipped);
        ImportedEvent read = Assert.Single(IcsConverter.Read(text).Events);

        Assert.Empty(skipped);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/London:20260406T100000", text, StringComparison.Ordinal);
        Assert.Equal(2, Ical.Net.Calendar.Load(text)!.Events.Count(e => e.Uid == "review@example"));
        AssertSameSeries(master, read);
        CalendarEvent exception = Assert.Single(read.Exceptions);
        Assert.Equal("review@example", exception.SeriesMasterId);
        Assert.Equal(originalStart, exception.OriginalStart);
        Assert.Null(exception.Recurrence);
        Assert.Equal(EventFields.None, moved.DiffersFrom(exception));
    }

    [Fact]
    public void Write_ExceptionWithoutItsMaster_LeftOutWithReason()
    {
        var orphan = new CalendarEvent
        {
            Id = "local-9",
            SeriesMasterId = "local-404",
            OriginalStart = Instant.FromUtc(2026, 4, 6, 9, 0),
            Subject = "Lost occurrence",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 4, 7, 9, 0), new LocalDateTime(2026, 4, 7, 10, 0), "UTC"),
        };

        string text = IcsConverter.Write([orphan, Events[1]], out IReadOnlyList<SkippedEvent> skipped);

        SkippedEvent left = Assert.Single(skipped);
        Assert.Equal("Lost occurrence", left.Subject);
        Assert.Contains("local-404", left.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Lost occurrence", text, StringComparison.Ordinal);
        Assert.Equal("Company offsite", Assert.Single(IcsConverter.Read(text).Events).Event.Subject);
    }

    [Fact]
    public void Read_Rfc5545SampleInNewYorkWithExDateAndOverride_SeriesWithException()
    {
        // An RFC 5545 style file: a VTIMEZONE (whose own RRULEs are not events' rules), a folded RRULE across the March DST change,
        // an EXDATE and an override moving one occurrence, listed after its series.
        const string text = """
            BEGIN:VCALENDAR
            PRODID:-//Example Corp.//CalDAV Client//EN
            VERSION:2.0
            BEGIN:VTIMEZONE
            TZID:America/New_York
            BEGIN:STANDARD
            DTSTART:20071104T020000
            RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
            TZOFFSETFROM:-0400
            TZOFFSETTO:-0500
            TZNAME:EST
            END:STANDARD
            BEGIN:DAYLIGHT
            DTSTART:20070311T020000
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
            TZOFFSETFROM:-0500
            TZOFFSETTO:-0400
            TZNAME:EDT
            END:DAYLIGHT
            END:VTIMEZONE
            BEGIN:VEVENT
            UID:review-2026@example.com
            DTSTAMP:20260101T120000Z
            DTSTART;TZID=America/New_York:20260302T100000
            DURATION:PT1H
            RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=2026
             0427T140000Z
            EXDATE;TZID=America/New_York:20260316T100000
            SUMMARY:Weekly review
            END:VEVENT
            BEGIN:VEVENT
            UID:review-2026@example.com
            DTSTAMP:20260101T120000Z
            RECURRENCE-ID;TZID=America/New_York:20260309T100000
            DTSTART;TZID=America/New_York:20260310T150000
            DURATION:PT1H
            SUMMARY:Weekly review (moved to Tuesday)
            END:VEVENT
            END:VCALENDAR
            """;

        IcsImport read = IcsConverter.Read(text.ReplaceLineEndings("\r\n"));

        Assert.Empty(read.Skipped);
        ImportedEvent series = Assert.Single(read.Events);
        Assert.Equal("review-2026@example.com", series.Event.ICalUId);
        Assert.Equal(
            new Recurrence(
                RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "America/New_York", daysOfWeek: [IsoDayOfWeek.Monday],
                firstDayOfWeek: IsoDayOfWeek.Monday, endDate: new LocalDate(2026, 4, 27), deletedOccurrences: [new LocalDate(2026, 3, 16)]),
            series.Event.Recurrence);
        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 3, 2, 10, 0), new LocalDateTime(2026, 3, 2, 11, 0), "America/New_York"), series.Event.Timing);
        CalendarEvent moved = Assert.Single(series.Exceptions);
        Assert.Equal("review-2026@example.com", moved.SeriesMasterId);
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 14, 0), moved.OriginalStart); // 10:00 EDT, after the change on 8 March
        Assert.Equal("Weekly review (moved to Tuesday)", moved.Subject);
        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 3, 10, 15, 0), new LocalDateTime(2026, 3, 10, 16, 0), "America/New_York"), moved.Timing);
    }

    [Theory]
    [InlineData("DTSTART;TZID=W. Europe Standard Time:20260302T090000", "Europe/Berlin")]
    [InlineData("DTSTART;TZID=America/New_York:20260302T090000", "America/New_York")]
    [InlineData("DTSTART:20260302T090000Z", "UTC")]
    [InlineData("DTSTART:20260302T090000", "UTC")]
    public void Read_SeriesStartZone_IsTheSeriesZone(string start, string zone)
    {
        string text = Calendar(Event("zoned@example", "Zoned", start, "DURATION:PT30M", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4"));

        CalendarEvent master = Assert.Single(IcsConverter.Read(text).Events).Event;

        Assert.Equal(zone, master.Recurrence!.TimeZoneId);
        Assert.Equal(new LocalDate(2026, 3, 2), master.Recurrence.StartDate);
        Assert.Equal(new LocalDateTime(2026, 3, 2, 9, 0), master.Timing.Start.LocalDateTime);
    }

    [Fact]
    public void Read_AllDaySeriesWithoutItsZone_TakesTheCalendarZone()
    {
        string text = Calendar(Event("holiday@example", "Holiday", "DTSTART;VALUE=DATE:20260501", "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20270501"))
            .Replace("VERSION:2.0\r\n", "VERSION:2.0\r\nX-WR-TIMEZONE:Europe/Paris\r\n", StringComparison.Ordinal);

        Recurrence rule = Assert.Single(IcsConverter.Read(text).Events).Event.Recurrence!;

        Assert.Equal(
            new Recurrence(RecurrenceFrequency.AbsoluteYearly, new LocalDate(2026, 5, 1), "Europe/Paris", dayOfMonth: 1, month: 5, deletedOccurrences: [new LocalDate(2027, 5, 1)]),
            rule);
    }

    [Theory]
    [InlineData("FREQ=HOURLY;COUNT=3", "FREQ=HOURLY")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1,-1", "BYSETPOS=1,-1")]
    [InlineData("FREQ=DAILY;X-PRIORITY=1", "X-PRIORITY=1")]
    public void Read_RRuleOutlookCannotExpress_SkippedWithReasonOtherEventsRead(string rrule, string part)
    {
        string text = Calendar(
            Event("hourly@example", "Ping", "DTSTART:20260302T090000Z", "DTEND:20260302T091000Z", "RRULE:" + rrule),
            Event("hourly@example", "Ping (later)", "RECURRENCE-ID:20260302T100000Z", "DTSTART:20260302T103000Z", "DTEND:20260302T104000Z"),
            Event("single@example", "Lunch", "DTSTART:20260302T120000Z", "DTEND:20260302T130000Z"));

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        Assert.Equal(2, read.Skipped.Count);
        Assert.Equal("Ping", read.Skipped[0].Subject);
        Assert.StartsWith($"Outlook cannot express the recurrence rule part {part}", read.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Equal("Ping (later)", read.Skipped[1].Subject);
        Assert.Contains("hourly@example', which was left out", read.Skipped[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RDate_SkippedWithReason()
    {
        string text = Calendar(Event(
            "dentist@example", "Dentist", "DTSTART;TZID=Europe/Berlin:20260302T080000", "DTEND;TZID=Europe/Berlin:20260302T090000",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=2;COUNT=3", "RDATE;TZID=Europe/Berlin:20260415T080000"));

        IcsImport read = IcsConverter.Read(text);

        Assert.Empty(read.Events);
        SkippedEvent skipped = Assert.Single(read.Skipped);
        Assert.Equal("Dentist", skipped.Subject);
        Assert.Contains("RDATE", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("Outlook series has only the dates of its pattern", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RecurrenceIdWithoutItsSeries_SkippedWithReason()
    {
        string text = Calendar(
            Event("elsewhere@example", "Moved occurrence", "RECURRENCE-ID:20260302T090000Z", "DTSTART:20260303T090000Z", "DTEND:20260303T100000Z"),
            Event("single@example", "Lunch", "DTSTART:20260302T120000Z", "DTEND:20260302T130000Z"));

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        Assert.Empty(read.Events[0].Exceptions);
        SkippedEvent skipped = Assert.Single(read.Skipped);
        Assert.Equal("Moved occurrence", skipped.Subject);
        Assert.Contains("'elsewhere@example', which is not in the file", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RecurrenceIdForThisAndFuture_SkippedWithReason()
    {
        string text = Calendar(
            Event("weekly@example", "Sync", "DTSTART:20260302T090000Z", "DTEND:20260302T100000Z", "RRULE:FREQ=WEEKLY;COUNT=5"),
            Event("weekly@example", "Sync (later from now on)", "RECURRENCE-ID;RANGE=THISANDFUTURE:20260316T090000Z", "DTSTART:20260316T100000Z", "DTEND:20260316T110000Z"));

        IcsImport read = IcsConverter.Read(text);

        Assert.Empty(Assert.Single(read.Events).Exceptions);
        Assert.Contains("RANGE=THISANDFUTURE", Assert.Single(read.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportThenExport_SeriesWithExceptionAndDeletedOccurrence_SurvivesThroughTwoDatabases()
    {
        using var folder = new TemporaryFolder();
        string file = Calendar(
            Event("review@example", "Weekly review", "DTSTART;TZID=Europe/Berlin:20260302T100000", "DTEND;TZID=Europe/Berlin:20260302T110000",
                "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;WKST=MO;COUNT=10", "EXDATE;TZID=Europe/Berlin:20260309T100000"),
            Event("review@example", "Weekly review (moved)", "RECURRENCE-ID;TZID=Europe/Berlin:20260311T100000",
                "DTSTART;TZID=Europe/Berlin:20260312T160000", "DTEND;TZID=Europe/Berlin:20260312T170000"),
            Event("ping@example", "Ping", "DTSTART:20260302T090000Z", "DTEND:20260302T091000Z", "RRULE:FREQ=HOURLY;COUNT=3"),
            Event("lunch@example", "Lunch", "DTSTART:20260302T120000Z", "DTEND:20260302T130000Z"));
        File.WriteAllText(folder.File("in.ics"), file);
        var first = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("first.db") });
        var second = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("second.db") });

        Assert.Equal(ExitCodes.Ok, await first.RunAsync("import-ics", folder.File("in.ics")));
        Assert.Equal(ExitCodes.Ok, await first.RunAsync("export-ics", folder.File("out.ics")));
        Assert.Equal(ExitCodes.Ok, await second.RunAsync("import-ics", folder.File("out.ics")));

        Assert.Contains("3 added, 0 updated.", first.Output, StringComparison.Ordinal);
        Assert.Contains("Skipped 1 event: 'Ping' — Outlook cannot express the recurrence rule part FREQ=HOURLY", first.Output, StringComparison.Ordinal);
        Assert.Contains("Exported 3 events", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Left out", first.Output, StringComparison.Ordinal);
        Assert.Contains("3 added, 0 updated.", second.Output, StringComparison.Ordinal);
        string exported = File.ReadAllText(folder.File("out.ics"));
        Assert.Contains("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;WKST=MO;COUNT=10", exported, StringComparison.Ordinal);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/Berlin:20260311T100000", exported, StringComparison.Ordinal);

        IReadOnlyList<CalendarEvent> stored = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = folder.File("second.db") }).GetAll(AccountSettings.DefaultUser);
        Assert.Equal(3, stored.Count);
        CalendarEvent master = Assert.Single(stored, e => e.IsSeriesMaster);
        Assert.Equal("review@example", master.ICalUId);
        Assert.Equal(
            new Recurrence(
                RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday],
                firstDayOfWeek: IsoDayOfWeek.Monday, numberOfOccurrences: 10, deletedOccurrences: [new LocalDate(2026, 3, 9)]),
            master.Recurrence);
        CalendarEvent moved = Assert.Single(stored, e => e.IsSeriesException);
        Assert.Equal(master.Id, moved.SeriesMasterId);
        Assert.Equal(Instant.FromUtc(2026, 3, 11, 9, 0), moved.OriginalStart);
        Assert.Equal("Weekly review (moved)", moved.Subject);
        Assert.NotEqual(master.ICalUId, moved.ICalUId);
        Assert.Equal("Lunch", Assert.Single(stored, e => e is { IsSeriesMaster: false, IsSeriesException: false }).Subject);
    }

    [Fact]
    public async Task ImportTwice_SeriesWithException_UpdatesBothAndRemovesOccurrenceNoLongerInFile()
    {
        using var folder = new TemporaryFolder();
        string master = Event("sync@example", "Sync", "DTSTART:20260302T090000Z", "DTEND:20260302T100000Z", "RRULE:FREQ=DAILY;COUNT=10");
        string moved = Event("sync@example", "Sync (moved)", "RECURRENCE-ID:20260303T090000Z", "DTSTART:20260303T150000Z", "DTEND:20260303T160000Z");
        string renamed = Event("sync@example", "Sync (moved again)", "RECURRENCE-ID:20260304T090000Z", "DTSTART:20260304T150000Z", "DTEND:20260304T160000Z");
        File.WriteAllText(folder.File("v1.ics"), Calendar(master, moved, renamed));
        File.WriteAllText(folder.File("v2.ics"), Calendar(master, moved.Replace("Sync (moved)", "Sync (moved later)", StringComparison.Ordinal)));
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("twice.db") });

        await cli.RunAsync("import-ics", folder.File("v1.ics"));
        int exitCode = await cli.RunAsync("import-ics", folder.File("v2.ics"));

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("3 added, 0 updated.", cli.Output, StringComparison.Ordinal);
        Assert.Contains("0 added, 1 updated, 1 unchanged, 1 removed (modified occurrences no longer in the file).", cli.Output, StringComparison.Ordinal);
        IReadOnlyList<CalendarEvent> stored = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = folder.File("twice.db") }).GetAll(AccountSettings.DefaultUser);
        CalendarEvent exception = Assert.Single(stored, e => e.IsSeriesException);
        Assert.Equal("Sync (moved later)", exception.Subject);
        Assert.Equal(Assert.Single(stored, e => e.IsSeriesMaster).Id, exception.SeriesMasterId);
    }

    private static CalendarEvent Series(string uid, string subject, EventTiming timing, Recurrence rule)
        => new() { ICalUId = uid, Subject = subject, Timing = timing, Recurrence = rule };

    private static void AssertSameSeries(CalendarEvent expected, ImportedEvent actual)
    {
        Assert.Equal(expected.ICalUId, actual.Event.ICalUId);
        Assert.Equal(expected.Recurrence, actual.Event.Recurrence);
        Assert.Equal(EventFields.None, expected.DiffersFrom(actual.Event));
    }

    /// <summary>Ical.Net reads the written file and expands the series (RFC 5545) into the dates Outlook shows.</summary>
    private static void AssertIcalNetExpandsAsOutlook(string text, CalendarEvent master)
    {
        Ical.Net.CalendarComponents.CalendarEvent series = Ical.Net.Calendar.Load(text)!.Events
            .Single(e => e.Uid == master.ICalUId && e.RecurrenceIdentifier is null);
        LocalDate[] icalNet = series.GetOccurrences(null, null).Take(40)
            .Select(o => new LocalDate(o.Period.StartTime.Year, o.Period.StartTime.Month, o.Period.StartTime.Day))
            .ToArray();

        Assert.Equal(RecurrenceExpander.OccurrenceDates(master.Recurrence!).Take(40), icalNet);
    }

    private static string Calendar(params string[] events)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + string.Concat(events) + "END:VCALENDAR\r\n";

    private static string Event(string uid, string subject, params string[] lines)
        => $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{subject}\r\n" + string.Concat(lines.Select(l => l + "\r\n")) + "END:VEVENT\r\n";
}
