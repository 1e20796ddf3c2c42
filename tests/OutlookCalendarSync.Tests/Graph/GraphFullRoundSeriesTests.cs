using System.Text.Json.Nodes;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Issue 12 item 5: a full delta round reads the deleted occurrences of series inside the window from its own pages (the calendar
/// view of the window), and lists a series' instances only where the round cannot tell.
/// </summary>
public sealed class GraphFullRoundSeriesTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string InstancesRoute = "GET /me/events/{id}/instances";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private static readonly Interval Window = new(Now - Duration.FromDays(30), Now + Duration.FromDays(365));
    private GraphTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GraphTestHost.StartAsync(Now);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FullRound_MiddleOccurrencesDeletedAndOneMoved_ReadsThemWithoutListingInstances()
    {
        string masterId = SeedWeekly("Weekly", "2026-11-30", count: 10);
        IReadOnlyList<JsonObject> instances = Instances(masterId);
        _host.Emulator.DeleteEvent(User, (string)instances[3]["id"]!);
        _host.Emulator.DeleteEvent(User, (string)instances[6]["id"]!);
        _host.Emulator.UpdateEvent(User, (string)instances[4]["id"]!, """{"start":{"dateTime":"2026-12-29T15:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-29T15:30:00","timeZone":"UTC"}}""");
        _host.Emulator.ResetRequestLog();

        ChangeFeed feed = await _host.Calendar.GetChangesAsync(User, null, Window, default);

        CalendarEvent master = Assert.Single(feed.Changed, e => e.IsSeriesMaster);
        Assert.Equal([new LocalDate(2026, 12, 21), new LocalDate(2027, 1, 11)], master.Recurrence!.DeletedOccurrences);
        Assert.Single(feed.Changed, e => e.IsSeriesException);
        Assert.DoesNotContain(_host.Emulator.RequestLog, e => e.Route == InstancesRoute);
        Assert.Equal(master.Recurrence.DeletedOccurrences, (await _host.Calendar.GetAsync(User, masterId, Window, default))!.Recurrence!.DeletedOccurrences);
    }

    [Fact]
    public async Task FullRound_FirstOccurrenceDeleted_ListsThatSeriesInstancesOnly()
    {
        string edited = SeedWeekly("First deleted", "2026-11-30", count: 5);
        SeedWeekly("Untouched", "2026-12-01", count: 5);
        _host.Emulator.DeleteEvent(User, (string)Instances(edited)[0]["id"]!);
        _host.Emulator.ResetRequestLog();

        ChangeFeed feed = await _host.Calendar.GetChangesAsync(User, null, Window, default);

        Assert.Equal([new LocalDate(2026, 11, 30)], feed.Changed.Single(e => e.Subject == "First deleted").Recurrence!.DeletedOccurrences);
        Assert.Empty(feed.Changed.Single(e => e.Subject == "Untouched").Recurrence!.DeletedOccurrences);
        Assert.Equal(1, _host.Emulator.RequestLog.Count(e => e.Route == InstancesRoute));
    }

    [Fact]
    public async Task FullRound_SeriesStartingBeforeTheWindow_ListsItsInstancesForDeletionsBeforeTheWindow()
    {
        string masterId = SeedWeekly("Old series", "2026-09-07", count: 20);
        _host.Emulator.DeleteEvent(User, (string)Instances(masterId)[1]["id"]!);
        _host.Emulator.ResetRequestLog();

        ChangeFeed feed = await _host.Calendar.GetChangesAsync(User, null, Window, default);

        Assert.Equal([new LocalDate(2026, 9, 14)], Assert.Single(feed.Changed).Recurrence!.DeletedOccurrences);
        Assert.Equal(1, _host.Emulator.RequestLog.Count(e => e.Route == InstancesRoute));
    }

    private string SeedWeekly(string subject, string startDate, int count)
    {
        string weekday = LocalDate.FromDateTime(DateTime.Parse(startDate, System.Globalization.CultureInfo.InvariantCulture)).DayOfWeek.ToString().ToLowerInvariant();
        return _host.Emulator.AddEvent(User, $$$$"""{"subject":"{{{{subject}}}}","start":{"dateTime":"{{{{startDate}}}}T09:00:00","timeZone":"UTC"},"end":{"dateTime":"{{{{startDate}}}}T09:30:00","timeZone":"UTC"},"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["{{{{weekday}}}}"]},"range":{"type":"numbered","startDate":"{{{{startDate}}}}","numberOfOccurrences":{{{{count}}}}}}}""")["id"]!.GetValue<string>();
    }

    private IReadOnlyList<JsonObject> Instances(string masterId)
        => _host.Emulator.GetInstances(User, masterId, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero));
}
