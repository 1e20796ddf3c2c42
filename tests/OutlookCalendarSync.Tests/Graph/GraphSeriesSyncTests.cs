using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Recurrences;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Recurring series both ways through the engine, the real Graph SDK and the emulator: create, edit and delete a series; modify,
/// move and delete one occurrence (the first and the last too); "this and following"; a change of the whole series; endless
/// series; daylight-saving changes; all-day series.
/// </summary>
public sealed class GraphSeriesSyncTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string InstancesRoute = "GET /me/events/{id}/instances";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly LocalDate FirstMonday = new(2026, 11, 30);
    private static readonly Interval SyncWindow = new(Now - Duration.FromDays(365), Now + Duration.FromDays(730));

    private GraphTestHost _host = null!;
    private ServiceProvider _provider = null!;
    private ISyncEngine _engine = null!;
    private InMemoryCalendarStore _local = null!;

    private GraphEmulator Emulator => _host.Emulator;

    public async Task InitializeAsync()
    {
        _host = await GraphTestHost.StartAsync(Now);
        _local = new InMemoryCalendarStore(_host.Clock);
        _provider = _host.BuildSyncServices(_local, new InMemorySyncStateStore(_host.Clock));
        _engine = _provider.GetRequiredService<ISyncEngine>();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _host.DisposeAsync();
    }

    // ---------------------------------------------------------------- host → Outlook

    [Fact]
    public async Task HostCreatesSeries_OutlookHoldsTheSameOccurrences_AndTheEchoMakesNoWrite()
    {
        _local.AddByUser(User, StandUp(count: 10));

        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Outlook.Created);
        JsonObject master = Assert.Single(Emulator.GetEvents(User));
        Assert.Equal("seriesMaster", (string?)master["type"]);
        Assert.Equal(Expected(Single(e => e.IsSeriesMaster)), OutlookStarts((string)master["id"]!));
        Assert.Empty(Emulator.Outbox);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task HostRenamesSeries_EveryOutlookOccurrenceFollows()
    {
        CalendarEvent series = _local.AddByUser(User, StandUp(count: 5));
        await SyncAsync();
        string masterId = OutlookMasterId();

        _local.UpdateByUser(User, series.Id!, e => e with { Subject = "Daily sync" });
        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Outlook.Updated);
        Assert.All(Emulator.GetInstances(User, masterId, Far(-1), Far(1)), i => Assert.Equal("Daily sync", (string?)i["subject"]));
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task HostDeletesSeries_OutlookSeriesIsDeleted()
    {
        CalendarEvent series = _local.AddByUser(User, StandUp(count: 5));
        await SyncAsync();

        _local.DeleteByUser(User, series.Id!);
        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Outlook.Deleted);
        Assert.Empty(Emulator.GetEvents(User));
    }

    [Fact]
    public async Task HostMovesOneOccurrence_OutlookInstanceBecomesAnException()
    {
        CalendarEvent series = _local.AddByUser(User, StandUp(count: 5));
        await SyncAsync();

        _local.AddByUser(User, Moved(series.Id!, FirstMonday.PlusWeeks(2), hour: 14));
        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Outlook.Created);
        JsonObject exception = Assert.Single(Emulator.GetInstances(User, OutlookMasterId(), Far(-1), Far(1)), i => (string?)i["type"] == "exception");
        Assert.Equal(At(FirstMonday.PlusWeeks(2), 9), Utc(exception["originalStart"]));
        Assert.Equal(At(FirstMonday.PlusWeeks(2), 14), Utc(exception["start"]!["dateTime"]));
        await AssertConvergedAsync();
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task HostDeletesFirstAndLastOccurrences_OutlookInstancesAreDeleted()
    {
        CalendarEvent series = _local.AddByUser(User, StandUp(count: 5));
        await SyncAsync();

        _local.UpdateByUser(User, series.Id!, e => e with { Recurrence = e.Recurrence!.WithDeletedOccurrence(FirstMonday).WithDeletedOccurrence(FirstMonday.PlusWeeks(4)) });
        SyncResult result = await SyncAsync();

        Assert.Empty(result.Failures);
        Assert.Equal([At(FirstMonday.PlusWeeks(1), 9), At(FirstMonday.PlusWeeks(2), 9), At(FirstMonday.PlusWeeks(3), 9)], OutlookStarts(OutlookMasterId()));
        await AssertConvergedAsync();
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task HostMovesAnOccurrencePastItsNeighbour_ClearPerEventFailure()
    {
        CalendarEvent series = _local.AddByUser(User, StandUp(count: 5));
        await SyncAsync();

        CalendarEvent moved = Moved(series.Id!, FirstMonday.PlusWeeks(1), hour: 9) with
        {
            Timing = EventTiming.Timed(FirstMonday.PlusWeeks(2).PlusDays(1).At(new LocalTime(9, 0)), FirstMonday.PlusWeeks(2).PlusDays(1).At(new LocalTime(9, 15)), "Europe/Berlin"),
        };
        _local.AddByUser(User, moved);
        SyncResult result = await SyncAsync();

        SyncFailure failure = Assert.Single(result.Failures);
        Assert.Equal("ErrorOccurrenceCrossingBoundary", failure.ErrorCode);
        Assert.Contains("previous or next occurrence", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("400 ErrorOccurrenceCrossingBoundary", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("request-id", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Emulator.GetInstances(User, OutlookMasterId(), Far(-1), Far(1)), i => (string?)i["type"] == "exception");
    }

    [Fact]
    public async Task HostSplitsThisAndFollowing_OutlookHasTwoSeriesWithoutDuplicates()
    {
        CalendarEvent series = _local.AddByUser(User, StandUp(count: 6));
        await SyncAsync();
        LocalDate split = FirstMonday.PlusWeeks(3);

        _local.UpdateByUser(User, series.Id!, e => e with { Recurrence = Rule(endDate: split.PlusDays(-1)) });
        _local.AddByUser(User, StandUp(start: split, hour: 10, count: 3) with { Subject = "Stand-up (later)" });
        SyncResult result = await SyncAsync();

        Assert.Empty(result.Failures);
        Assert.Equal(2, Emulator.GetEvents(User).Count);
        List<Instant> starts = Emulator.GetEvents(User).SelectMany(m => OutlookStarts((string)m["id"]!)).Order().ToList();
        Assert.Equal(
            [At(FirstMonday, 9), At(FirstMonday.PlusWeeks(1), 9), At(FirstMonday.PlusWeeks(2), 9), At(split, 10), At(split.PlusWeeks(1), 10), At(split.PlusWeeks(2), 10)],
            starts);
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task HostChangesTheSeriesTime_OutlookRebuildsItAndItsExceptionGoesOnBothSides()
    {
        CalendarEvent series = _local.AddByUser(User, StandUp(count: 5));
        await SyncAsync();
        _local.AddByUser(User, Moved(series.Id!, FirstMonday.PlusWeeks(1), hour: 13));
        await SyncAsync();

        _local.UpdateByUser(User, series.Id!, e => e with { Timing = Timing(FirstMonday, 10) });
        await SyncAsync();
        await SyncAsync();

        Assert.Equal(Enumerable.Range(0, 5).Select(w => At(FirstMonday.PlusWeeks(w), 10)), OutlookStarts(OutlookMasterId()));
        Assert.DoesNotContain(_local.GetAll(User), e => e.IsSeriesException);
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task HostCreatesEndlessSeries_OutlookSeriesNeverEnds()
    {
        _local.AddByUser(User, StandUp());

        await SyncAsync();

        JsonObject master = Assert.Single(Emulator.GetEvents(User));
        Assert.Equal("noEnd", (string?)master["recurrence"]!["range"]!["type"]);
        var in2031 = new DateTimeOffset(2031, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(4, Emulator.GetInstances(User, (string)master["id"]!, in2031, in2031.AddDays(28)).Count);
    }

    // ---------------------------------------------------------------- Outlook → host

    [Fact]
    public async Task OutlookCreatesSeries_HostGetsTheRule_AndDstKeepsNineLocal()
    {
        // Weekly on Mondays, 09:00 Berlin, across the change to summer time on 28 March 2027.
        string masterId = SeedOutlookSeries("Weekly review", "2027-03-15T09:00:00", "2027-03-15T09:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"],"firstDayOfWeek":"monday"}""", """{"type":"numbered","startDate":"2027-03-15","numberOfOccurrences":4}""");

        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Host.Created);
        CalendarEvent master = Single(e => e.IsSeriesMaster);
        Assert.Equal(RecurrenceFrequency.Weekly, master.Recurrence!.Frequency);
        Assert.Equal(4, master.Recurrence.NumberOfOccurrences);
        Assert.Equal("Europe/Berlin", master.Recurrence.TimeZoneId);
        var nineLocal = new[] { 15, 22, 29 }.Select(d => At(new LocalDate(2027, 3, d), 9)).Append(At(new LocalDate(2027, 4, 5), 9)).ToList();
        Assert.Equal(Instant.FromUtc(2027, 3, 22, 8, 0), nineLocal[1]);
        Assert.Equal(Instant.FromUtc(2027, 3, 29, 7, 0), nineLocal[2]);
        Assert.Equal(nineLocal, OutlookStarts(masterId));
        Assert.Equal(nineLocal, Expected(master));
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task OutlookModifiesOneOccurrence_HostGetsAnException_ListingOnlyThatSeriesOnce()
    {
        string masterId = SeedOutlookSeries("Daily", "2026-11-25T09:00:00", "2026-11-25T09:15:00", """{"type":"daily","interval":1}""", """{"type":"endDate","startDate":"2026-11-25","endDate":"2031-11-24"}""");
        SeedOutlookSeries("Other weekly", "2026-11-26T15:00:00", "2026-11-26T16:00:00", """{"type":"weekly","interval":1,"daysOfWeek":["thursday"]}""", """{"type":"noEnd","startDate":"2026-11-26"}""");
        await SyncAsync();
        string occurrence = (string)Emulator.GetInstances(User, masterId, new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero))[3]["id"]!;
        Emulator.ResetRequestLog();

        Emulator.UpdateEvent(User, occurrence, """{"subject":"Daily (with guests)","start":{"dateTime":"2026-11-28T10:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-28T10:30:00","timeZone":"W. Europe Standard Time"}}""");
        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Host.Created);
        Assert.Equal(0, result.Host.Updated);
        CalendarEvent exception = Single(e => e.IsSeriesException);
        Assert.Equal(Single(e => e.Subject == "Daily").Id, exception.SeriesMasterId);
        Assert.Equal(At(new LocalDate(2026, 11, 28), 9), exception.OriginalStart);
        Assert.Equal(At(new LocalDate(2026, 11, 28), 10), exception.Timing.StartInstant);
        // Only the changed series is listed, once (its ~730 occurrences in the window fit one page).
        RequestLogEntry listing = Assert.Single(Emulator.RequestLog, e => e.Route == InstancesRoute);
        Assert.Contains(masterId, Uri.UnescapeDataString(listing.Path), StringComparison.Ordinal);
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task OutlookRenamesSeries_HostMasterFollows_AndItsExceptionKeepsItsOwnSubject()
    {
        string masterId = SeedOutlookSeries("Weekly", "2026-11-30T09:00:00", "2026-11-30T09:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"]}""", """{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":5}""");
        Emulator.UpdateEvent(User, (string)Emulator.GetInstances(User, masterId, Far(-1), Far(1))[1]["id"]!, """{"subject":"Weekly (guest speaker)"}""");
        await SyncAsync();

        Emulator.UpdateEvent(User, masterId, """{"subject":"Weekly sync","location":{"displayName":"Room 3"}}""");
        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Host.Updated);
        CalendarEvent master = Single(e => e.IsSeriesMaster);
        Assert.Equal("Weekly sync", master.Subject);
        Assert.Equal("Room 3", master.Location);
        Assert.Equal("Weekly (guest speaker)", Single(e => e.IsSeriesException).Subject);
        await AssertConvergedAsync();
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task OutlookDeletesFirstAndLastOccurrences_HostSeriesGetsThemAsDeleted()
    {
        string masterId = SeedOutlookSeries("Weekly", "2026-11-30T09:00:00", "2026-11-30T09:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"]}""", """{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":5}""");
        await SyncAsync();
        IReadOnlyList<JsonObject> instances = Emulator.GetInstances(User, masterId, Far(-1), Far(1));

        Emulator.DeleteEvent(User, (string)instances[0]["id"]!);
        Emulator.DeleteEvent(User, (string)instances[^1]["id"]!);
        SyncResult result = await SyncAsync();

        Assert.Equal(1, result.Host.Updated);
        Assert.Equal([FirstMonday, FirstMonday.PlusWeeks(4)], Single(e => e.IsSeriesMaster).Recurrence!.DeletedOccurrences);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task OutlookDeletesAModifiedOccurrence_HostExceptionGoesAndTheDateIsDeleted()
    {
        string masterId = SeedOutlookSeries("Weekly", "2026-11-30T09:00:00", "2026-11-30T09:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"]}""", """{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":5}""");
        string second = (string)Emulator.GetInstances(User, masterId, Far(-1), Far(1))[1]["id"]!;
        Emulator.UpdateEvent(User, second, """{"subject":"Weekly (moved)"}""");
        await SyncAsync();
        Assert.Single(_local.GetAll(User), e => e.IsSeriesException);

        Emulator.DeleteEvent(User, second);
        await SyncAsync();

        Assert.DoesNotContain(_local.GetAll(User), e => e.IsSeriesException);
        Assert.Equal([FirstMonday.PlusWeeks(1)], Single(e => e.IsSeriesMaster).Recurrence!.DeletedOccurrences);
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task OutlookChangesTheSeriesPattern_HostFollowsAndLosesTheExceptionAsOutlookDid()
    {
        string masterId = SeedOutlookSeries("Weekly", "2026-11-30T09:00:00", "2026-11-30T09:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"]}""", """{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":5}""");
        Emulator.UpdateEvent(User, (string)Emulator.GetInstances(User, masterId, Far(-1), Far(1))[1]["id"]!, """{"subject":"Weekly (moved)"}""");
        await SyncAsync();

        Emulator.UpdateEvent(User, masterId, """{"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday","wednesday"]},"range":{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":5,"recurrenceTimeZone":"W. Europe Standard Time"}}}""");
        await SyncAsync();

        CalendarEvent master = Single(e => e.IsSeriesMaster);
        Assert.Equal([IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday], master.Recurrence!.DaysOfWeek);
        Assert.DoesNotContain(_local.GetAll(User), e => e.IsSeriesException);
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task OutlookSplitsThisAndFollowing_HostHasBothSeries()
    {
        string masterId = SeedOutlookSeries("Weekly", "2026-11-30T09:00:00", "2026-11-30T09:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"]}""", """{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":6}""");
        await SyncAsync();

        Emulator.UpdateEvent(User, masterId, """{"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"endDate","startDate":"2026-11-30","endDate":"2026-12-20","recurrenceTimeZone":"W. Europe Standard Time"}}}""");
        SeedOutlookSeries("Weekly (later)", "2026-12-21T11:00:00", "2026-12-21T11:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"]}""", """{"type":"numbered","startDate":"2026-12-21","numberOfOccurrences":3}""");
        await SyncAsync();

        List<CalendarEvent> masters = _local.GetAll(User).Where(e => e.IsSeriesMaster).OrderBy(e => e.Timing.StartInstant).ToList();
        Assert.Equal(2, masters.Count);
        Assert.Equal(new LocalDate(2026, 12, 20), masters[0].Recurrence!.EndDate);
        List<Instant> all = masters.SelectMany(Expected).ToList();
        Assert.Equal(6, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        await AssertConvergedAsync();
    }

    [Fact]
    public async Task OutlookDeletesSeries_HostSeriesAndExceptionGo()
    {
        string masterId = SeedOutlookSeries("Weekly", "2026-11-30T09:00:00", "2026-11-30T09:30:00", """{"type":"weekly","interval":1,"daysOfWeek":["monday"]}""", """{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":5}""");
        Emulator.UpdateEvent(User, (string)Emulator.GetInstances(User, masterId, Far(-1), Far(1))[2]["id"]!, """{"subject":"Weekly (moved)"}""");
        await SyncAsync();
        Assert.Equal(2, _local.GetAll(User).Count);

        Emulator.DeleteEvent(User, masterId);
        await SyncAsync();

        Assert.Empty(_local.GetAll(User));
    }

    [Fact]
    public async Task OutlookAllDaySeries_StaysOnItsDatesInTheHost()
    {
        string masterId = SeedOutlookAllDaySeries("Holiday week", "2027-03-26", "2027-03-27", """{"type":"daily","interval":1}""", """{"type":"numbered","startDate":"2027-03-26","numberOfOccurrences":5}""");

        await SyncAsync();

        CalendarEvent master = Single(e => e.IsSeriesMaster);
        Assert.True(master.Timing.IsAllDay);
        List<LocalDate> hostDates = RecurrenceExpander.Expand(master.Recurrence!, master.Timing, SyncWindow).Select(o => o.Timing.StartDate).ToList();
        Assert.Equal(Enumerable.Range(26, 5).Select(d => d <= 31 ? new LocalDate(2027, 3, d) : new LocalDate(2027, 4, d - 31)), hostDates);
        Assert.Equal(5, Emulator.GetInstances(User, masterId, Far(-1), Far(1)).Count);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task OutlookEndlessSeries_HostRuleHasNoEnd()
    {
        SeedOutlookSeries("Forever", "2026-11-30T09:00:00", "2026-11-30T09:30:00", """{"type":"relativeMonthly","interval":1,"daysOfWeek":["monday"],"index":"last"}""", """{"type":"noEnd","startDate":"2026-11-30"}""");

        await SyncAsync();

        CalendarEvent master = Single(e => e.IsSeriesMaster);
        Assert.True(master.Recurrence!.IsEndless);
        Assert.Equal(WeekIndex.Last, master.Recurrence.Index);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    // ---------------------------------------------------------------- helpers

    private async Task<SyncResult> SyncAsync()
    {
        _host.Clock.Advance(Duration.FromMinutes(1));
        return await _engine.SyncAsync(User);
    }

    private static Instant At(LocalDate date, int hour) => date.At(new LocalTime(hour, 0)).InZoneLeniently(Berlin).ToInstant();

    private static EventTiming Timing(LocalDate date, int hour) =>
        EventTiming.Timed(date.At(new LocalTime(hour, 0)), date.At(new LocalTime(hour, 15)), "Europe/Berlin");

    private static Recurrence Rule(LocalDate? start = null, int? count = null, LocalDate? endDate = null) =>
        new(RecurrenceFrequency.Weekly, start ?? FirstMonday, "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday], numberOfOccurrences: count, endDate: endDate);

    private static CalendarEvent StandUp(LocalDate? start = null, int hour = 9, int? count = null) => new()
    {
        Subject = "Stand-up",
        Timing = Timing(start ?? FirstMonday, hour),
        Recurrence = Rule(start, count),
    };

    private static CalendarEvent Moved(string masterId, LocalDate originalDate, int hour) => new()
    {
        Subject = "Stand-up (moved)",
        Timing = Timing(originalDate, hour),
        SeriesMasterId = masterId,
        OriginalStart = At(originalDate, 9),
    };

    private static DateTimeOffset Far(int years) => new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddYears(years);

    private static Instant Utc(JsonNode? utc) =>
        InstantPattern.ExtendedIso.Parse(((string)utc!).TrimEnd('Z') + "Z").GetValueOrThrow();

    private CalendarEvent Single(Func<CalendarEvent, bool> predicate) => Assert.Single(_local.GetAll(User), e => predicate(e));

    private string OutlookMasterId() => (string)Assert.Single(Emulator.GetEvents(User), e => (string?)e["type"] == "seriesMaster")["id"]!;

    /// <summary>The starts of a series' occurrences and exceptions in Outlook, in order.</summary>
    private List<Instant> OutlookStarts(string masterId) =>
        Emulator.GetInstances(User, masterId, Far(-1), Far(5)).Select(i => Utc(i["start"]!["dateTime"])).Order().ToList();

    /// <summary>The starts of a host series' occurrences, as the library expands its rule.</summary>
    private static List<Instant> Expected(CalendarEvent master) =>
        RecurrenceExpander.Expand(master.Recurrence!, master.Timing, new Interval(NodaTime.Instant.FromDateTimeOffset(Far(-1)), NodaTime.Instant.FromDateTimeOffset(Far(5)))).Select(o => o.OriginalStart).ToList();

    private string SeedOutlookSeries(string subject, string start, string end, string pattern, string range)
    {
        string json = $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{start}}}","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{end}}}","timeZone":"W. Europe Standard Time"},"recurrence":{"pattern":{{{pattern}}},"range":{{{range}}}}}""";
        return (string)Emulator.AddEvent(User, json)["id"]!;
    }

    private string SeedOutlookAllDaySeries(string subject, string startDate, string endDate, string pattern, string range)
    {
        string json = $$$"""{"subject":"{{{subject}}}","isAllDay":true,"start":{"dateTime":"{{{startDate}}}T00:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{endDate}}}T00:00:00","timeZone":"W. Europe Standard Time"},"recurrence":{"pattern":{{{pattern}}},"range":{{{range}}}}}""";
        return (string)Emulator.AddEvent(User, json)["id"]!;
    }

    /// <summary>Both sides hold the same series and exceptions (by content), as the adapter reads Outlook over the sync window.</summary>
    private async Task AssertConvergedAsync()
    {
        ChangeFeed remote = await _host.Calendar.GetChangesAsync(User, null, SyncWindow, default);
        Assert.Empty(remote.Notes);
        var remoteHashes = remote.Changed.Select(e => e.ContentHash).Order().ToList();
        var localHashes = _local.GetAll(User).Select(e => e.ContentHash).Order().ToList();
        Assert.Equal(localHashes, remoteHashes);
    }
}
