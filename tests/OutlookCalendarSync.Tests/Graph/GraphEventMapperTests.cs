using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Tests.Graph;

public sealed class GraphEventMapperTests : IAsyncLifetime
{
    private const string User = "mapper";
    private GraphTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GraphTestHost.StartAsync(Instant.FromUtc(2026, 11, 24, 8, 0));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CalendarEvent Base(string zone = "Europe/Berlin") => new()
    {
        Subject = "Planning",
        Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 3, 9, 30), new LocalDateTime(2026, 12, 3, 10, 45), zone),
    };

    public static TheoryData<string, CalendarEvent> RoundTripCases()
    {
        var data = new TheoryData<string, CalendarEvent>
        {
            { "minimal", Base() },
            { "no subject", Base() with { Subject = null } },
            { "text body", Base() with { Body = EventBody.Text("Agenda:\n1. Budget\n2. Hiring") } },
            { "html body", Base() with { Body = EventBody.Html("<p>Hello <b>team</b> — ça va?</p>") } },
            { "empty body", Base() with { Body = EventBody.Text(string.Empty) } },
            { "location", Base() with { Location = "Room 4.02, Building B" } },
            { "online meeting", Base() with { OnlineMeetingUrl = new Uri("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d") } },
            { "attendees", Base() with { Attendees = [Attendee.Create("ann@example.com", "Ann Lee"), Attendee.Create("bob@example.com", type: AttendeeType.Optional, response: ResponseStatus.Accepted), Attendee.Create("room1@example.com", "Room 1", AttendeeType.Resource, ResponseStatus.TentativelyAccepted)] } },
            { "attendee declined", Base() with { Attendees = [Attendee.Create("Carl@Example.com", response: ResponseStatus.Declined), Attendee.Create("dana@example.com", "Dana", response: ResponseStatus.NotResponded)] } },
            { "free", Base() with { ShowAs = ShowAs.Free } },
            { "tentative", Base() with { ShowAs = ShowAs.Tentative } },
            { "out of office", Base() with { ShowAs = ShowAs.OutOfOffice } },
            { "working elsewhere", Base() with { ShowAs = ShowAs.WorkingElsewhere } },
            { "unknown show-as", Base() with { ShowAs = ShowAs.Unknown } },
            { "private", Base() with { Sensitivity = Sensitivity.Private } },
            { "personal", Base() with { Sensitivity = Sensitivity.Personal } },
            { "confidential", Base() with { Sensitivity = Sensitivity.Confidential } },
            { "no reminder", Base() with { ReminderMinutesBeforeStart = null } },
            { "reminder 0", Base() with { ReminderMinutesBeforeStart = 0 } },
            { "reminder 1 day", Base() with { ReminderMinutesBeforeStart = 1440 } },
            { "categories", Base() with { Categories = ["Red category", "Blue category", "Ünïcode"] } },
            { "all day", Base() with { Timing = EventTiming.AllDay(new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 27)) } },
            { "all day one", Base() with { Timing = EventTiming.AllDay(new LocalDate(2027, 1, 1), new LocalDate(2027, 1, 2)) } },
            { "new york", Base("America/New_York") },
            { "tokyo", Base("Asia/Tokyo") },
            { "kolkata half hour", Base("Asia/Kolkata") },
            { "utc", Base("UTC") },
            { "etc utc", Base("Etc/UTC") },
            { "amsterdam shares berlin's windows zone", Base("Europe/Amsterdam") },
            { "alias zone", Base("Asia/Calcutta") },
            { "zero length", Base() with { Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 3, 9, 0), new LocalDateTime(2026, 12, 3, 9, 0), "Europe/London") } },
            { "crosses dst end", Base() with { Timing = EventTiming.Timed(new LocalDateTime(2026, 10, 24, 22, 0), new LocalDateTime(2026, 10, 25, 4, 0), "Europe/Berlin") } },
            { "fractional seconds", Base() with { Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 3, 9, 0, 0, 500), new LocalDateTime(2026, 12, 3, 9, 30), "Europe/Berlin") } },
        };
        data.Add("different end zone", Base() with
        {
            Timing = EventTiming.Timed(
                new LocalDateTime(2026, 12, 3, 9, 0).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/Berlin"]),
                new LocalDateTime(2026, 12, 3, 20, 0).InZoneLeniently(DateTimeZoneProviders.Tzdb["America/New_York"])),
        });
        data.Add("everything", Base("Australia/Sydney") with
        {
            Subject = "All fields",
            Body = EventBody.Html("<div>x</div>"),
            Location = "Harbour",
            OnlineMeetingUrl = new Uri("https://meet.example.com/abc"),
            Attendees = [Attendee.Create("x@example.com", "X", AttendeeType.Optional, ResponseStatus.Accepted)],
            ShowAs = ShowAs.Tentative,
            Sensitivity = Sensitivity.Private,
            ReminderMinutesBeforeStart = 30,
            Categories = ["Green category"],
        });
        return data;
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public async Task WriteThenRead_FieldCombination_KeepsContentHash(string name, CalendarEvent original)
    {
        EventWriteResult created = (await _host.Calendar.WriteAsync(User, [EventWrite.Create(original with { CounterpartId = "host-" + name })], default))[0];
        Assert.True(created.Succeeded, created.Message);

        CalendarEvent readBack = (await _host.Calendar.GetAsync(User, created.Event!.Id!, _host.ReadWindow, default))!;
        ChangeFeed feed = await _host.Calendar.GetChangesAsync(User, null, new Interval(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2028, 1, 1, 0, 0)), default);

        Assert.Equal(EventFields.None, original.DiffersFrom(readBack));
        Assert.Equal(original.ContentHash, readBack.ContentHash);
        Assert.Equal(original.ContentHash, created.Event.ContentHash);
        Assert.Equal(original.ContentHash, Assert.Single(feed.Changed).ContentHash);
        Assert.Equal("host-" + name, readBack.CounterpartId);
    }

    [Fact]
    public async Task WriteThenRead_UpdateOfEachField_KeepsContentHash()
    {
        CalendarEvent current = (await _host.Calendar.WriteAsync(User, [EventWrite.Create(Base())], default))[0].Event!;
        CalendarEvent target = Base("Asia/Tokyo") with
        {
            Subject = "Changed",
            Body = EventBody.Html("<p>new</p>"),
            Location = "Elsewhere",
            OnlineMeetingUrl = new Uri("https://meet.example.com/new"),
            Attendees = [Attendee.Create("new@example.com")],
            ShowAs = ShowAs.Free,
            Sensitivity = Sensitivity.Confidential,
            ReminderMinutesBeforeStart = null,
            Categories = ["Purple category"],
        };

        foreach (EventFields field in new[] { EventFields.Subject, EventFields.Body, EventFields.Timing, EventFields.Location, EventFields.OnlineMeetingUrl, EventFields.Attendees, EventFields.ShowAs, EventFields.Sensitivity, EventFields.Reminder, EventFields.Categories })
        {
            CalendarEvent expected = current.WithFieldsFrom(target, field);
            EventWriteResult updated = (await _host.Calendar.WriteAsync(User, [EventWrite.Update(current.Id!, current.Version, target, field)], default))[0];
            Assert.True(updated.Succeeded, updated.Message);
            current = (await _host.Calendar.GetAsync(User, current.Id!, _host.ReadWindow, default))!;
            Assert.Equal(expected.ContentHash, current.ContentHash);

            // A PATCH answer carries no extended properties: it says which online-meeting URL Outlook holds only when the write
            // set it (the read above, with $expand, shows it always).
            EventFields unknown = field == EventFields.OnlineMeetingUrl ? EventFields.None : EventFields.OnlineMeetingUrl;
            Assert.Equal(EventFields.None, updated.Event!.DiffersFrom(expected) & ~unknown);
        }

        Assert.Equal(EventFields.None, target.DiffersFrom(current));
    }

    [Fact]
    public async Task WriteThenRead_ClearedFields_ReadBackAsEmpty()
    {
        CalendarEvent full = Base() with { Body = EventBody.Text("b"), Location = "l", OnlineMeetingUrl = new Uri("https://meet.example.com/x"), Categories = ["c"], Attendees = [Attendee.Create("a@example.com")], ReminderMinutesBeforeStart = 10 };
        CalendarEvent created = (await _host.Calendar.WriteAsync(User, [EventWrite.Create(full)], default))[0].Event!;
        CalendarEvent cleared = Base();

        EventWriteResult updated = (await _host.Calendar.WriteAsync(User, [EventWrite.Update(created.Id!, created.Version, cleared, full.DiffersFrom(cleared))], default))[0];

        Assert.True(updated.Succeeded, updated.Message);
        Assert.Equal(cleared.ContentHash, (await _host.Calendar.GetAsync(User, created.Id!, _host.ReadWindow, default))!.ContentHash);
    }

    [Fact]
    public void ToModel_OrganizedBySomeoneElse_ReadsOrganizer()
    {
        G.Event source = Graph("W. Europe Standard Time");
        source.IsOrganizer = false;
        source.Organizer = new G.Recipient { EmailAddress = new G.EmailAddress { Address = "boss@example.com", Name = "Boss" } };

        CalendarEvent mapped = GraphEventMapper.ToModel(source, out _)!;

        Assert.Equal(new EmailAddress("boss@example.com"), mapped.Organizer);
    }

    [Fact]
    public void ToModel_OwnerIsOrganizer_OrganizerIsNull()
    {
        G.Event source = Graph("W. Europe Standard Time");
        source.IsOrganizer = true;
        source.Organizer = new G.Recipient { EmailAddress = new G.EmailAddress { Address = "me@example.com" } };

        Assert.Null(GraphEventMapper.ToModel(source, out _)!.Organizer);
    }

    [Fact]
    public void ToModel_WindowsZone_ReadsUtcTimesIntoIanaZone()
    {
        CalendarEvent mapped = GraphEventMapper.ToModel(Graph("W. Europe Standard Time"), out _)!;

        Assert.Equal("Europe/Berlin", mapped.Timing.TimeZoneId);
        Assert.Equal(new LocalDateTime(2026, 12, 3, 10, 0), mapped.Timing.Start.LocalDateTime);
        Assert.Equal(Instant.FromUtc(2026, 12, 3, 9, 0), mapped.Timing.StartInstant);
    }

    [Fact]
    public void ToModel_UnknownZone_IsSkippedWithReason()
    {
        Assert.Null(GraphEventMapper.ToModel(Graph("tzone://Microsoft/Custom"), out string? problem));
        Assert.Contains("tzone://Microsoft/Custom", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToModel_Occurrence_IsLeftToItsSeriesMaster()
    {
        G.Event source = Graph("UTC");
        source.Type = G.EventType.Occurrence;
        source.SeriesMasterId = "master-1";

        Assert.Null(GraphEventMapper.ToModel(source, out string? problem));
        Assert.Contains("series master", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToModel_SeriesMaster_ReadsRecurrenceAndDeletedOccurrences()
    {
        G.Event source = Graph("UTC");
        source.Type = G.EventType.SeriesMaster;
        source.Recurrence = GraphRecurrenceMapper.ToGraph(new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 12, 3), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Thursday]));

        CalendarEvent master = GraphEventMapper.ToModel(source, [new LocalDate(2026, 12, 10)], out string? problem)!;

        Assert.Null(problem);
        Assert.True(master.IsSeriesMaster);
        Assert.Equal([IsoDayOfWeek.Thursday], master.Recurrence!.DaysOfWeek);
        Assert.Equal([new LocalDate(2026, 12, 10)], master.Recurrence.DeletedOccurrences);
    }

    [Fact]
    public void ToModel_Exception_KeepsSeriesAndOriginalStart()
    {
        G.Event source = Graph("UTC");
        source.Type = G.EventType.Exception;
        source.SeriesMasterId = "master-1";
        source.OriginalStart = new DateTimeOffset(2026, 12, 10, 8, 0, 0, TimeSpan.Zero);

        CalendarEvent exception = GraphEventMapper.ToModel(source, out _)!;

        Assert.Equal("master-1", exception.SeriesMasterId);
        Assert.Equal(Instant.FromUtc(2026, 12, 10, 8, 0), exception.OriginalStart);
    }

    [Fact]
    public void ToModel_ExceptionWithoutOriginalStart_IsSkippedWithReason()
    {
        G.Event source = Graph("UTC");
        source.Type = G.EventType.Exception;
        source.SeriesMasterId = "master-1";

        Assert.Null(GraphEventMapper.ToModel(source, out string? problem));
        Assert.Contains("original start", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToModel_AttendeeNameIsItsAddress_NameIsDropped()
    {
        G.Event source = Graph("UTC");
        source.Attendees = [new G.Attendee { EmailAddress = new G.EmailAddress { Address = "ann@example.com", Name = "ann@example.com" } }];

        Assert.Null(Assert.Single(GraphEventMapper.ToModel(source, out _)!.Attendees).Email.Name);
    }

    [Fact]
    public void ToModel_AttendeeWithoutSmtpAddress_IsSkippedWithReason()
    {
        G.Event source = Graph("UTC");
        source.Attendees = [new G.Attendee { EmailAddress = new G.EmailAddress { Address = "/O=EXCHANGELABS/OU=ROOM", Name = "Room" } }];

        Assert.Null(GraphEventMapper.ToModel(source, out string? problem));
        Assert.Contains("attendee", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToModel_ReminderOff_IsNullWhateverTheMinutes()
    {
        G.Event source = Graph("UTC");
        source.IsReminderOn = false;
        source.ReminderMinutesBeforeStart = 15;

        Assert.Null(GraphEventMapper.ToModel(source, out _)!.ReminderMinutesBeforeStart);
    }

    [Fact]
    public void ToGraph_Update_WritesOnlyGivenFields()
    {
        G.Event patch = GraphEventMapper.ToGraph(Base() with { Location = "x", Subject = "y" }, EventFields.Location);

        Assert.Equal("x", patch.Location!.DisplayName);
        Assert.Null(patch.Subject);
        Assert.Null(patch.Start);
        Assert.Null(patch.Attendees);
        Assert.Null(patch.IsReminderOn);
    }

    [Fact]
    public void ToGraph_OnlineMeetingUrl_GoesToTheExtendedPropertyNotTheReadOnlyOnlineMeeting()
    {
        G.Event written = GraphEventMapper.ToGraph(Base() with { OnlineMeetingUrl = new Uri("https://meet.example.com/abc") }, EventFields.OnlineMeetingUrl);

        Assert.Null(written.OnlineMeeting);
        Assert.False(written.AdditionalData.ContainsKey("onlineMeeting"));
        G.SingleValueLegacyExtendedProperty property = Assert.Single(written.SingleValueExtendedProperties!);
        Assert.Equal(GraphEventMapper.OnlineMeetingUrlPropertyId, property.Id);
        Assert.Equal("https://meet.example.com/abc", property.Value);
    }

    [Fact]
    public void ToGraph_OnlineMeetingUrlRemoved_ClearsTheProperty()
    {
        G.Event written = GraphEventMapper.ToGraph(Base(), EventFields.OnlineMeetingUrl);

        Assert.Equal(string.Empty, Assert.Single(written.SingleValueExtendedProperties!).Value);
        
    }

    [Fact]
    public void ToModel_TeamsJoinUrl_WinsOverTheHostsUrl()
    {
        G.Event source = Graph("UTC");
        source.OnlineMeeting = new G.OnlineMeetingInfo { JoinUrl = "https://teams.microsoft.com/l/meetup-join/abc" };
        source.SingleValueExtendedProperties = [new G.SingleValueLegacyExtendedProperty { Id = GraphEventMapper.OnlineMeetingUrlPropertyId, Value = "https://meet.example.com/abc" }];

        Assert.Equal("https://teams.microsoft.com/l/meetup-join/abc", GraphEventMapper.ToModel(source, out _)!.OnlineMeetingUrl!.OriginalString);

        source.OnlineMeeting = null;
        Assert.Equal("https://meet.example.com/abc", GraphEventMapper.ToModel(source, out _)!.OnlineMeetingUrl!.OriginalString);
    }

    [Fact]
    public void ToGraph_SeriesMaster_WritesPatternAndRange()
    {
        CalendarEvent master = Base() with { Recurrence = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 12, 3), "Europe/Berlin", numberOfOccurrences: 5) };

        G.Event written = GraphEventMapper.ToGraph(master, EventFields.All);

        Assert.Equal(G.RecurrencePatternType.Daily, written.Recurrence!.Pattern!.Type);
        Assert.Equal(G.RecurrenceRangeType.Numbered, written.Recurrence.Range!.Type);
        Assert.Equal(5, written.Recurrence.Range.NumberOfOccurrences);
    }

    [Fact]
    public void ToGraph_SeriesStopsRecurring_ThrowsWithWhatToDo()
    {
        var error = Assert.Throws<GraphMappingException>(() => GraphEventMapper.ToGraph(Base(), EventFields.Recurrence));

        Assert.Contains("delete the series", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToGraph_Exception_DoesNotWriteSeriesOrOriginalStart()
    {
        CalendarEvent exception = Base() with { SeriesMasterId = "master-1", OriginalStart = Instant.FromUtc(2026, 12, 3, 8, 30) };

        G.Event written = GraphEventMapper.ToGraph(exception, EventFields.All & ~EventFields.Recurrence);

        Assert.Null(written.SeriesMasterId);
        Assert.Null(written.OriginalStart);
        Assert.Null(written.Recurrence);
    }

    [Theory]
    [InlineData("Europe/Berlin", "W. Europe Standard Time")]
    [InlineData("America/New_York", "Eastern Standard Time")]
    [InlineData("Europe/Amsterdam", "Europe/Amsterdam")]
    [InlineData("Etc/UTC", "Etc/UTC")]
    public void ZoneName_IanaZone_IsWindowsNameOnlyWhenItMapsBack(string ianaId, string expected)
        => Assert.Equal(expected, GraphEventMapper.ZoneName(DateTimeZoneProviders.Tzdb[ianaId]));

    [Theory]
    [InlineData(G.ResponseType.None, ResponseStatus.None)]
    [InlineData(G.ResponseType.NotResponded, ResponseStatus.NotResponded)]
    [InlineData(G.ResponseType.Accepted, ResponseStatus.Accepted)]
    [InlineData(G.ResponseType.TentativelyAccepted, ResponseStatus.TentativelyAccepted)]
    [InlineData(G.ResponseType.Declined, ResponseStatus.Declined)]
    public void ToModel_Invitation_ReadsTheOwnersAnswer(G.ResponseType response, ResponseStatus expected)
    {
        G.Event source = Graph("UTC");
        source.IsOrganizer = false;
        source.Organizer = new G.Recipient { EmailAddress = new G.EmailAddress { Address = "bob@example.com" } };
        source.ResponseStatus = new G.ResponseStatus { Response = response };

        CalendarEvent read = GraphEventMapper.ToModel(source, out _)!;

        Assert.Equal(expected, read.MyResponse);
        Assert.Equal(expected is ResponseStatus.Accepted or ResponseStatus.TentativelyAccepted or ResponseStatus.Declined, GraphEventMapper.AnswerOf(read) is not null);
    }

    [Fact]
    public void ToModel_OwnEvent_HasNoAnswer()
    {
        G.Event source = Graph("UTC");
        source.IsOrganizer = true;
        source.ResponseStatus = new G.ResponseStatus { Response = G.ResponseType.Organizer };

        CalendarEvent read = GraphEventMapper.ToModel(source, out _)!;

        Assert.Equal(ResponseStatus.None, read.MyResponse);
        Assert.Null(GraphEventMapper.AnswerOf(read with { MyResponse = ResponseStatus.Accepted }));
    }

    [Fact]
    public async Task ToGraph_MyResponse_IsNoFieldOfThePatchAndRoundTripsThroughTheAnswer()
    {
        CalendarEvent invitation = GraphEventMapper.ToModel(InvitationGraph(G.ResponseType.None), out _)!;
        CalendarEvent accepted = invitation with { MyResponse = ResponseStatus.Accepted };

        string patch = await GraphTestHost.ToJsonAsync(GraphEventMapper.ToGraph(accepted, EventFields.MyResponse));
        CalendarEvent readBack = GraphEventMapper.ToModel(InvitationGraph(G.ResponseType.Accepted), out _)!;

        Assert.Equal("{}", patch);
        Assert.Equal(InvitationAnswer.Accept, GraphEventMapper.AnswerOf(accepted));
        Assert.Equal(accepted.ContentHash, readBack.ContentHash);
    }

    private static G.Event InvitationGraph(G.ResponseType response)
    {
        G.Event source = Graph("UTC");
        source.IsOrganizer = false;
        source.Organizer = new G.Recipient { EmailAddress = new G.EmailAddress { Address = "bob@example.com", Name = "Bob" } };
        source.ResponseStatus = new G.ResponseStatus { Response = response };
        return source;
    }

    private static G.Event Graph(string originalZone) => new()
    {
        Id = "AAMk1",
        ChangeKey = "ck",
        Subject = "s",
        IsAllDay = false,
        OriginalStartTimeZone = originalZone,
        OriginalEndTimeZone = originalZone,
        Start = new G.DateTimeTimeZone { DateTime = "2026-12-03T09:00:00.0000000", TimeZone = "UTC" },
        End = new G.DateTimeTimeZone { DateTime = "2026-12-03T10:00:00.0000000", TimeZone = "UTC" },
        IsReminderOn = true,
        ReminderMinutesBeforeStart = 15,
        Type = G.EventType.SingleInstance,
    };
}
