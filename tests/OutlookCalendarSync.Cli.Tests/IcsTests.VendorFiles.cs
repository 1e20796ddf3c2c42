using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Cli.Ics;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>Files as Google Calendar, Outlook and Apple Calendar export them: read, written back, read again; HTML bodies.</summary>
public sealed partial class IcsTests
{
    public static TheoryData<string, string> VendorFiles => new()
    {
        { "Google", IcsVendorFiles.Google },
        { "Outlook", IcsVendorFiles.Outlook },
        { "Apple", IcsVendorFiles.Apple },
    };

    [Fact]
    public void Read_GoogleExport_SeriesWithExceptionAllDayAndUtcEvent()
    {
        IcsImport read = IcsConverter.Read(IcsVendorFiles.Google);

        Assert.Empty(read.Skipped);
        Assert.Equal(["Team sync", "Easter Monday", "Call with Tokyo"], read.Events.Select(e => e.Event.Subject));
        CalendarEvent series = read.Events[0].Event;
        Assert.Equal(
            new Recurrence(
                RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "Europe/Berlin",
                daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday], firstDayOfWeek: IsoDayOfWeek.Monday,
                endDate: new LocalDate(2026, 4, 30), deletedOccurrences: [new LocalDate(2026, 3, 4)]),
            series.Recurrence);
        Assert.Equal(10, series.ReminderMinutesBeforeStart);
        Assert.Equal(EventBody.Text("Daily sync.\nJoin with Google Meet: https://meet.google.com/abc-defg-hij"), series.Body);
        Assert.Equal(["ada@example.com", "grace@example.com"], series.Attendees.Select(a => a.Email.Address));
        CalendarEvent moved = Assert.Single(read.Events[0].Exceptions);
        Assert.Equal(Instant.FromUtc(2026, 3, 6, 9, 0), moved.OriginalStart);
        Assert.Equal(EventTiming.AllDay(new LocalDate(2026, 4, 6), new LocalDate(2026, 4, 7)), read.Events[1].Event.Timing);
        Assert.Equal(ShowAs.Free, read.Events[1].Event.ShowAs);
    }

    [Fact]
    public void Read_OutlookExport_DisplayNameAndCustomizedZonesHtmlBodyAndBusyStatus()
    {
        IcsImport read = IcsConverter.Read(IcsVendorFiles.Outlook);

        Assert.Empty(read.Skipped);
        CalendarEvent review = read.Events[0].Event;
        Assert.Equal("Weekly review", review.Subject);
        Assert.Equal(EventTiming.Timed(new LocalDateTime(2026, 3, 2, 10, 0), new LocalDateTime(2026, 3, 2, 11, 0), "Europe/Amsterdam"), review.Timing);
        Assert.Equal(
            new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "Europe/Amsterdam", daysOfWeek: [IsoDayOfWeek.Monday], firstDayOfWeek: IsoDayOfWeek.Monday, numberOfOccurrences: 6),
            review.Recurrence);
        Assert.Equal(EventBody.Html("<html><body><p>Quarterly numbers and the plan for <b>Q2</b>.</p></body></html>"), review.Body);
        Assert.Equal(15, review.ReminderMinutesBeforeStart);
        CalendarEvent call = read.Events[1].Event;
        Assert.Equal(Instant.FromUtc(2026, 3, 10, 13, 30), call.Timing.StartInstant); // 09:30 EDT, after the US change on 8 March
        Assert.Equal("America/New_York", call.Timing.TimeZoneId);
        Assert.Equal((ShowAs.Tentative, Sensitivity.Private), (call.ShowAs, call.Sensitivity));
        Assert.Equal(ShowAs.OutOfOffice, read.Events[2].Event.ShowAs);
    }

    [Fact]
    public void Read_AppleExport_UrnUuidAttendeesFloatingEventAndYearlyAllDaySeries()
    {
        IcsImport read = IcsConverter.Read(IcsVendorFiles.Apple);

        Assert.Empty(read.Skipped);
        CalendarEvent review = read.Events[0].Event;
        Assert.Equal(new EmailAddress("ada@icloud.example", "Ada Lovelace"), review.Organizer);
        Assert.Equal(
            [
                Attendee.Create("ada@icloud.example", "Ada Lovelace", AttendeeType.Required, ResponseStatus.Accepted),
                Attendee.Create("grace@example.com", "Grace Hopper", AttendeeType.Required, ResponseStatus.TentativelyAccepted),
                Attendee.Create("alan@example.com", "Alan Turing", AttendeeType.Optional, ResponseStatus.None),
            ],
            review.Attendees);
        Assert.Equal(Instant.FromUtc(2026, 3, 11, 17, 0), review.Timing.StartInstant);
        Assert.Equal(RecurrenceFrequency.AbsoluteYearly, read.Events[1].Event.Recurrence!.Frequency);
        Assert.Equal(new LocalDateTime(2026, 3, 12, 8, 0), read.Events[2].Event.Timing.Start.LocalDateTime);
    }

    [Theory]
    [MemberData(nameof(VendorFiles))]
    public void ReadWriteRead_VendorExport_SameEventsAndSeries(string vendor, string file)
    {
        IcsImport first = IcsConverter.Read(file);
        string written = IcsConverter.Write(Flatten(first), out IReadOnlyList<SkippedEvent> skippedOnWrite);
        IcsImport second = IcsConverter.Read(written);

        Assert.Empty(first.Skipped);
        Assert.Empty(skippedOnWrite);
        Assert.Empty(second.Skipped);
        Assert.True(first.Events.Count > 0, vendor);
        Assert.Equal(first.Events.Count, second.Events.Count);
        for (int i = 0; i < first.Events.Count; i++)
        {
            Assert.Equal(first.Events[i].Event.ICalUId, second.Events[i].Event.ICalUId);
            Assert.Equal(EventFields.None, first.Events[i].Event.DiffersFrom(second.Events[i].Event));
            Assert.Equal(first.Events[i].Exceptions.Count, second.Events[i].Exceptions.Count);
            for (int j = 0; j < first.Events[i].Exceptions.Count; j++)
            {
                Assert.Equal(EventFields.None, first.Events[i].Exceptions[j].DiffersFrom(second.Events[i].Exceptions[j]));
            }
        }

        foreach (string zone in first.Events.Where(e => !e.Event.Timing.IsAllDay).Select(e => e.Event.Timing.TimeZoneId!).Distinct().Where(z => z != "UTC"))
        {
            Assert.Contains($"BEGIN:VTIMEZONE\r\nTZID:{zone}\r\n", written, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(VendorFiles))]
    public async Task ImportTwice_VendorExport_EverythingUnchangedTheSecondTime(string vendor, string file)
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("in.ics"), file);
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File(vendor + ".db") });
        int count = IcsConverter.Read(file).Events.Sum(e => 1 + e.Exceptions.Count);

        await cli.RunAsync("import-ics", folder.File("in.ics"));
        int exitCode = await cli.RunAsync("import-ics", folder.File("in.ics"));

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains($"{count} added, 0 updated.", cli.Output, StringComparison.Ordinal);
        Assert.Contains($"0 added, 0 updated, {count} unchanged.", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HtmlBody_PlainTextDescriptionAndHtmlInAltDesc()
    {
        CalendarEvent meeting = Events[0] with
        {
            Body = EventBody.Html("<html><head><style>p { margin: 0 }</style></head><body><p>Agenda:</p><ul><li>Budget &amp; plan</li><li>Q&amp;A</li></ul><p>Dial-in<br>+44&nbsp;20 7946 0000</p></body></html>"),
        };

        string text = IcsConverter.Write([meeting], out _);
        Ical.Net.CalendarComponents.CalendarEvent written = Assert.Single(Ical.Net.Calendar.Load(text)!.Events);

        Assert.Equal("Agenda:\n- Budget & plan\n- Q&A\nDial-in\n+44 20 7946 0000", written.Description);
        Assert.DoesNotContain("<", written.Description!, StringComparison.Ordinal);
        Ical.Net.ICalendarProperty html = Assert.Single(written.Properties, p => p.Name == "X-ALT-DESC");
        Assert.Equal("text/html", html.Parameters.Get("FMTTYPE"));
        Assert.Equal(meeting.Body!.Content, html.Value);
        Assert.Equal(meeting.Body, Assert.Single(IcsConverter.Read(text).Events).Event.Body);
    }

    [Fact]
    public void Write_TextBody_DescriptionOnly()
    {
        string text = IcsConverter.Write([Events[1]], out _);

        Assert.Contains("DESCRIPTION:Bring walking shoes.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("X-ALT-DESC", text, StringComparison.Ordinal);
    }

    /// <summary>The events of an import as the store holds them: each master with an id, its occurrences pointing at it.</summary>
    private static IEnumerable<CalendarEvent> Flatten(IcsImport read)
        => read.Events.SelectMany(e => e.Exceptions.Prepend(e.Event.Recurrence is null ? e.Event : e.Event with { Id = e.Event.ICalUId }));
}
