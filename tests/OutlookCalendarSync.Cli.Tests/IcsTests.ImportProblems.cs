using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Cli.Ics;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>Events with a fault are left out one by one with the reason; floating times, Apple attendees, ends before starts.</summary>
public sealed partial class IcsTests
{
    private static readonly string Lunch = Event("lunch@example", "Lunch", "DTSTART:20260302T120000Z", "DTEND:20260302T130000Z");

    [Fact]
    public void Read_EventWithoutStart_SkippedWithReasonOthersRead()
    {
        string text = Calendar(Event("nostart@example", "Someday", "DTEND:20260302T100000Z"), Lunch);

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        SkippedEvent skipped = Assert.Single(read.Skipped);
        Assert.Equal("Someday", skipped.Subject);
        Assert.StartsWith("it has no start (DTSTART)", skipped.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DTSTART:2026-03-02", "DTSTART:2026-03-02")]
    [InlineData("DTSTART;TZID=Europe/Berlin:20260302T25", "DTSTART:20260302T25")]
    [InlineData("DTSTART;TZID=Europe/Berlin:20260231T090000", "DTSTART:20260231T090000")]
    [InlineData("DTSTART;VALUE=DATE:2026032", "DTSTART:2026032")]
    public void Read_MalformedStart_SkippedAsUnreadableNotAsMissing(string start, string quoted)
    {
        string text = Calendar(Event("bad@example", "Broken", start, "DTEND:20260302T100000Z"), Lunch);

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        SkippedEvent skipped = Assert.Single(read.Skipped);
        Assert.Equal("Broken", skipped.Subject);
        Assert.StartsWith($"its start ({quoted}) cannot be read", skipped.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("no start", skipped.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Customized Time Zone")]
    public void Read_UnknownTimeZone_SkippedWithReasonOthersRead(string tzid)
    {
        string text = Calendar(
            Event("mars@example", "Rover check", $"DTSTART;TZID={tzid}:20260302T090000", $"DTEND;TZID={tzid}:20260302T100000"),
            Lunch);

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        SkippedEvent skipped = Assert.Single(read.Skipped);
        Assert.Equal("Rover check", skipped.Subject);
        Assert.StartsWith($"its time zone '{tzid}' is not known", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("defines no VTIMEZONE", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownTimeZoneOnSeries_SeriesAndItsOccurrenceSkipped()
    {
        string text = Calendar(
            Event("s@example", "Series", "DTSTART;TZID=Nowhere:20260302T090000", "DTEND;TZID=Nowhere:20260302T100000", "RRULE:FREQ=DAILY;COUNT=3"),
            Event("s@example", "Series (moved)", "RECURRENCE-ID;TZID=Nowhere:20260303T090000", "DTSTART:20260303T150000Z", "DTEND:20260303T160000Z"),
            Lunch);

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        Assert.Equal(["Series", "Series (moved)"], read.Skipped.Select(s => s.Subject));
        Assert.StartsWith("its time zone 'Nowhere' is not known", read.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'s@example', which was left out", read.Skipped[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FileWithOneBrokenEvent_ImportsTheRestAndNamesTheReason()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("in.ics"), Calendar(Event("bad@example", "Broken", "DTSTART:2026-03-02"), Lunch));
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("x.db") });

        int exitCode = await cli.RunAsync("import-ics", folder.File("in.ics"));

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("1 added, 0 updated.", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Skipped 1 event: 'Broken' — its start (DTSTART:2026-03-02) cannot be read", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FloatingTimesWithCalendarZone_TakeTheCalendarZone()
    {
        string text = Calendar(
            Event("standup@example", "Stand-up", "DTSTART:20260302T090000", "DTEND:20260302T091500", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4", "EXDATE:20260309T090000"),
            Event("standup@example", "Stand-up (late)", "RECURRENCE-ID:20260316T090000", "DTSTART:20260316T110000", "DTEND:20260316T111500"),
            Event("utc@example", "In UTC", "DTSTART:20260302T120000Z", "DTEND:20260302T130000Z"))
            .Replace("VERSION:2.0\r\n", "VERSION:2.0\r\nX-WR-TIMEZONE:America/New_York\r\n", StringComparison.Ordinal);

        IcsImport read = IcsConverter.Read(text);

        Assert.Empty(read.Skipped);
        ImportedEvent series = read.Events[0];
        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 3, 2, 9, 0), new LocalDateTime(2026, 3, 2, 9, 15), "America/New_York"), series.Event.Timing);
        Assert.Equal(
            new Recurrence(
                RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "America/New_York", daysOfWeek: [IsoDayOfWeek.Monday], firstDayOfWeek: IsoDayOfWeek.Monday, numberOfOccurrences: 4,
                deletedOccurrences: [new LocalDate(2026, 3, 9)]),
            series.Event.Recurrence);
        CalendarEvent moved = Assert.Single(series.Exceptions);
        Assert.Equal(Instant.FromUtc(2026, 3, 16, 13, 0), moved.OriginalStart); // 09:00 EDT
        Assert.Equal(Instant.FromUtc(2026, 3, 16, 15, 0), moved.Timing.StartInstant);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 12, 0), read.Events[1].Event.Timing.StartInstant);
        Assert.Equal("UTC", read.Events[1].Event.Timing.TimeZoneId);
    }

    [Fact]
    public void Read_AppleAttendeesAsUrnUuid_AddressesFromEmailParameter()
    {
        string text = Calendar(Event(
            "apple@example", "Design review", "DTSTART:20260302T090000Z", "DTEND:20260302T100000Z",
            "ORGANIZER;CN=\"Ada Lovelace\";EMAIL=\"ada@icloud.example\":urn:uuid:3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "ATTENDEE;CN=\"Grace Hopper\";CUTYPE=INDIVIDUAL;EMAIL=\"grace@example.com\";PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:urn:uuid:7C9E6679-7425-40DE-944B-E07FC1F90AE7",
            "ATTENDEE;CN=\"Alan Turing\";CUTYPE=INDIVIDUAL;EMAIL=alan@example.com;PARTSTAT=TENTATIVE;ROLE=OPT-PARTICIPANT:urn:uuid:1B4E28BA-2FA1-11D2-883F-0016D3CCA427",
            "ATTENDEE;CN=Room 4;CUTYPE=ROOM;PARTSTAT=DECLINED:mailto:room-4@example.com"));

        CalendarEvent read = Assert.Single(IcsConverter.Read(text).Events).Event;

        Assert.Equal(new EmailAddress("ada@icloud.example", "Ada Lovelace"), read.Organizer);
        Assert.Equal(
            [
                Attendee.Create("grace@example.com", "Grace Hopper", AttendeeType.Required, ResponseStatus.Accepted),
                Attendee.Create("alan@example.com", "Alan Turing", AttendeeType.Optional, ResponseStatus.TentativelyAccepted),
                Attendee.Create("room-4@example.com", "Room 4", AttendeeType.Resource, ResponseStatus.Declined),
            ],
            read.Attendees);
    }

    [Theory]
    [InlineData("DTSTART;TZID=Europe/Berlin:20260302T100000", "DTEND;TZID=Europe/Berlin:20260302T090000", "its end (DTEND 2026-03-02 09:00 Europe/Berlin) is before its start (DTSTART 2026-03-02 10:00 Europe/Berlin)")]
    [InlineData("DTSTART;VALUE=DATE:20260305", "DTEND;VALUE=DATE:20260303", "its end (DTEND 2026-03-03) is before its start (DTSTART 2026-03-05)")]
    [InlineData("DTSTART:20260302T100000Z", "DURATION:-PT1H", "its end (DURATION 2026-03-02 09:00 UTC) is before its start (DTSTART 2026-03-02 10:00 UTC)")]
    public void Read_EndBeforeStart_SkippedWithReason(string start, string end, string reason)
    {
        string text = Calendar(Event("backwards@example", "Backwards", start, end), Lunch);

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Lunch", Assert.Single(read.Events).Event.Subject);
        SkippedEvent skipped = Assert.Single(read.Skipped);
        Assert.Equal("Backwards", skipped.Subject);
        Assert.StartsWith(reason, skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileWithOurProblemMarker_MarkerIgnored()
    {
        string text = Calendar(
            Event("bad@example", "Broken", "DTSTART:2026-03-02"),
            Event("marked@example", "Marked", "DTSTART:20260302T090000Z", "DURATION:PT1H", IcsPreparation.ProblemProperty + ":0"));

        IcsImport read = IcsConverter.Read(text);

        Assert.Equal("Marked", Assert.Single(read.Events).Event.Subject);
        Assert.Equal("Broken", Assert.Single(read.Skipped).Subject);
    }

    [Fact]
    public void Read_EndEqualToStart_ZeroLengthEventKept()
    {
        string text = Calendar(Event("reminder@example", "Deadline", "DTSTART:20260302T170000Z", "DTEND:20260302T170000Z"));

        CalendarEvent read = Assert.Single(IcsConverter.Read(text).Events).Event;

        Assert.Equal(read.Timing.StartInstant, read.Timing.EndInstant);
    }
}
