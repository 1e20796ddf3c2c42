using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Cli.Ics;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Sqlite;

namespace OutlookCalendarSync.Cli.Tests;

public sealed class IcsTests
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
    public async Task ImportTwice_SameUids_UpdatesInsteadOfDuplicating()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("in.ics"), IcsConverter.Write(Events, out _));
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("twice.db") });

        await cli.RunAsync("import-ics", folder.File("in.ics"));
        int exitCode = await cli.RunAsync("import-ics", folder.File("in.ics"));

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("0 added, 3 updated", cli.Output, StringComparison.Ordinal);
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
}
