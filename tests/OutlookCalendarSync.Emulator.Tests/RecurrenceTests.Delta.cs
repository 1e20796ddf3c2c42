using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Graph.Models;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>Recurring series in calendar-view delta: full rounds and each kind of incremental change.</summary>
public sealed partial class RecurrenceTests
{
    private const string DeltaWindow = "startDateTime=2024-05-01T00:00:00Z&endDateTime=2024-06-01T00:00:00Z";

    private static readonly string[] StrippedKeys = ["@odata.type", "@odata.etag", "id", "type", "seriesMasterId", "start", "end"];

    [Fact]
    public async Task Delta_FullRound_SendsMastersInFullOccurrencesStrippedAndExceptionsInFull()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        await Graph.Me.Events[OccurrenceId(master, 2)].DeleteAsync();
        var earlier = Emulator.AddEvent(Mailbox, """
            {"subject":"Started in April","start":{"dateTime":"2024-04-05T15:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-04-05T16:00:00","timeZone":"UTC"},
             "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["friday"]},"range":{"type":"numbered","startDate":"2024-04-05","numberOfOccurrences":6}}}
            """);
        Emulator.AddEvent(Mailbox, """
            {"subject":"Later series","start":{"dateTime":"2024-06-10T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-06-10T10:00:00","timeZone":"UTC"},
             "recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2024-06-10"}}}
            """);
        var single = Emulator.AddEvent(Mailbox, SeedJson("Single", "2024-05-08T09:00:00", "2024-05-08T10:00:00"));
        var earlierId = earlier["id"]!.GetValue<string>();

        var (pages, _) = await RawRoundAsync(null);
        var items = pages.SelectMany(p => p).ToList();

        var masterItem = Assert.Single(items, i => Id(i) == master.Id);
        Assert.Equal("seriesMaster", masterItem["type"]!.GetValue<string>());
        Assert.Equal("Weekly sync", masterItem["subject"]!.GetValue<string>());
        Assert.Equal("weekly", masterItem["recurrence"]!["pattern"]!["type"]!.GetValue<string>());
        var occurrences = items.Where(i => (string?)i["type"] == "occurrence").ToList();
        Assert.Equal(
            new[] { OccurrenceId(master, 0), OccurrenceId(master, 3), $"{earlierId}_20240503T150000Z", $"{earlierId}_20240510T150000Z" }.Order(),
            occurrences.Select(Id).Order());
        Assert.All(occurrences, o => Assert.Equal(StrippedKeys, o.Select(p => p.Key).ToArray()));
        var first = occurrences.Single(o => Id(o) == OccurrenceId(master, 0));
        Assert.Equal("#microsoft.graph.event", first["@odata.type"]!.GetValue<string>());
        Assert.Equal(master.Id, first["seriesMasterId"]!.GetValue<string>());
        Assert.Equal("2024-05-06T07:00:00.0000000", first["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("UTC", first["end"]!["timeZone"]!.GetValue<string>());
        Assert.Equal($"W/\"{Emulator.GetEvent(Mailbox, master.Id!)!["changeKey"]}\"", first["@odata.etag"]!.GetValue<string>());
        var exceptionItem = Assert.Single(items, i => Id(i) == exception!.Id);
        Assert.Equal("exception", exceptionItem["type"]!.GetValue<string>());
        Assert.Equal("Special", exceptionItem["subject"]!.GetValue<string>());
        Assert.Equal("2024-05-13T07:00:00Z", exceptionItem["originalStart"]!.GetValue<string>());
        Assert.Single(items, i => Id(i) == earlierId);
        Assert.Single(items, i => Id(i) == single["id"]!.GetValue<string>());
        Assert.Equal(8, items.Count);
        Assert.DoesNotContain(items, i => i.ContainsKey("@removed"));
    }

    [Fact]
    public async Task Delta_FullRoundWithSmallPages_KeepsEachSeriesOnOnePage()
    {
        var master = await CreateWeeklyAsync();
        Emulator.AddEvent(Mailbox, SeedJson("Single one", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        Emulator.AddEvent(Mailbox, SeedJson("Single two", "2024-05-30T09:00:00", "2024-05-30T10:00:00"));

        var (pages, _) = await RawRoundAsync(null, maxPageSize: 2);

        var seriesPage = Assert.Single(pages, p => p.Any(i => Id(i) == master.Id));
        Assert.Equal(5, seriesPage.Count(i => Id(i) == master.Id || (string?)i["seriesMasterId"] == master.Id));
        Assert.Equal(7, pages.Sum(p => p.Count));
        Assert.Equal(2, pages.Count);
    }

    [Fact]
    public async Task Delta_Incremental_UnchangedSeries_SendsNothingForIt()
    {
        await CreateWeeklyAsync();
        var single = Emulator.AddEvent(Mailbox, SeedJson("Single", "2024-05-08T09:00:00", "2024-05-08T10:00:00"));
        var (_, deltaLink) = await RawRoundAsync(null);
        Emulator.UpdateEvent(Mailbox, single["id"]!.GetValue<string>(), """{"subject":"Single, renamed"}""");

        var (pages, _) = await RawRoundAsync(deltaLink);

        Assert.Equal(single["id"]!.GetValue<string>(), Id(Assert.Single(pages.SelectMany(p => p))));
    }

    [Fact]
    public async Task Delta_Incremental_OccurrenceModified_SendsMasterOccurrencesAndTheException()
    {
        var master = await CreateWeeklyAsync();
        var (_, deltaLink) = await RawRoundAsync(null);
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        var masterItem = Assert.Single(items, i => Id(i) == master.Id);
        Assert.NotEqual(master.ChangeKey, masterItem["changeKey"]!.GetValue<string>());
        Assert.Equal(
            new[] { OccurrenceId(master, 0), OccurrenceId(master, 2), OccurrenceId(master, 3) },
            items.Where(i => (string?)i["type"] == "occurrence").Select(Id).Order().ToArray());
        var exceptionItem = Assert.Single(items, i => Id(i) == exception!.Id);
        Assert.Equal("Special", exceptionItem["subject"]!.GetValue<string>());
        Assert.Equal(5, items.Count);
        Assert.DoesNotContain(items, i => i.ContainsKey("@removed"));
    }

    [Fact]
    public async Task Delta_Incremental_OccurrenceDeleted_SendsMasterAndRemainingOccurrencesWithoutRemoval()
    {
        var master = await CreateWeeklyAsync();
        var (_, deltaLink) = await RawRoundAsync(null);
        await Graph.Me.Events[OccurrenceId(master, 2)].DeleteAsync();

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        Assert.Single(items, i => Id(i) == master.Id);
        Assert.Equal(
            new[] { OccurrenceId(master, 0), OccurrenceId(master, 1), OccurrenceId(master, 3) },
            items.Where(i => (string?)i["type"] == "occurrence").Select(Id).Order().ToArray());
        Assert.Equal(4, items.Count);
        Assert.DoesNotContain(items, i => i.ContainsKey("@removed"));
    }

    [Fact]
    public async Task Delta_Incremental_ExceptionDeleted_SendsRemovedForTheException()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        var (_, deltaLink) = await RawRoundAsync(null);
        Emulator.DeleteEvent(Mailbox, exception!.Id!);

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        var removed = Assert.Single(items, i => i.ContainsKey("@removed"));
        Assert.Equal(exception.Id, Id(removed));
        Assert.Equal("deleted", removed["@removed"]!["reason"]!.GetValue<string>());
        Assert.Single(items, i => Id(i) == master.Id);
        Assert.Equal(
            new[] { OccurrenceId(master, 0), OccurrenceId(master, 2), OccurrenceId(master, 3) },
            items.Where(i => (string?)i["type"] == "occurrence").Select(Id).Order().ToArray());
    }

    [Fact]
    public async Task Delta_Incremental_SeriesDeleted_SendsRemovedForMasterAndExceptionsOnly()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        var (_, deltaLink) = await RawRoundAsync(null);
        await Graph.Me.Events[master.Id].DeleteAsync();

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        Assert.All(items, i => Assert.Equal("deleted", i["@removed"]!["reason"]!.GetValue<string>()));
        Assert.Equal(new[] { master.Id, exception!.Id }.Order(), items.Select(Id).Order());
    }

    [Fact]
    public async Task Delta_Incremental_MasterSubjectChanged_SendsMasterAndStrippedOccurrencesButNotUnchangedExceptions()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        var (_, deltaLink) = await RawRoundAsync(null);
        Emulator.UpdateEvent(Mailbox, master.Id!, """{"subject":"Renamed sync"}""");

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        Assert.Equal("Renamed sync", Assert.Single(items, i => Id(i) == master.Id)["subject"]!.GetValue<string>());
        Assert.Equal(
            new[] { OccurrenceId(master, 0), OccurrenceId(master, 2), OccurrenceId(master, 3) },
            items.Where(i => (string?)i["type"] == "occurrence").Select(Id).Order().ToArray());
        Assert.DoesNotContain(items, i => Id(i) == exception!.Id);
        Assert.Equal(4, items.Count);
    }

    [Fact]
    public async Task Delta_Incremental_SeriesTimeChanged_SendsRemovedForWipedExceptionAndTheNewOccurrences()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        var (_, deltaLink) = await RawRoundAsync(null);
        Emulator.UpdateEvent(Mailbox, master.Id!, $$$"""{"start":{"dateTime":"2024-05-06T10:00:00","timeZone":"{{{Berlin}}}"},"end":{"dateTime":"2024-05-06T10:30:00","timeZone":"{{{Berlin}}}"}}""");

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        Assert.Equal(exception!.Id, Id(Assert.Single(items, i => i.ContainsKey("@removed"))));
        Assert.Single(items, i => Id(i) == master.Id);
        Assert.Equal(
            new[] { "20240506T080000Z", "20240513T080000Z", "20240520T080000Z", "20240527T080000Z" }.Select(s => $"{master.Id}_{s}"),
            items.Where(i => (string?)i["type"] == "occurrence").Select(Id).Order());
    }

    [Fact]
    public async Task Delta_Incremental_PatternChangeTurnsExceptionBackIntoOccurrence_SendsItAsOccurrenceNotRemoved()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        var (_, deltaLink) = await RawRoundAsync(null);
        Emulator.UpdateEvent(Mailbox, master.Id!, """{"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday","friday"]},"range":{"type":"numbered","startDate":"2024-05-06","numberOfOccurrences":5}}}""");

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        Assert.DoesNotContain(items, i => i.ContainsKey("@removed"));
        Assert.Equal("occurrence", Assert.Single(items, i => Id(i) == exception!.Id)["type"]!.GetValue<string>());
        Assert.Equal(
            new[] { "20240506T070000Z", "20240510T070000Z", "20240513T070000Z", "20240517T070000Z", "20240520T070000Z" }.Select(s => $"{master.Id}_{s}"),
            items.Where(i => (string?)i["type"] == "occurrence").Select(Id).Order());
    }

    [Fact]
    public async Task Delta_Incremental_SeriesCreatedAndSeriesOutsideWindowChanged_SendsOnlyTheNewSeries()
    {
        var outside = Emulator.AddEvent(Mailbox, """
            {"subject":"Later series","start":{"dateTime":"2024-06-10T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-06-10T10:00:00","timeZone":"UTC"},
             "recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2024-06-10"}}}
            """);
        var (_, deltaLink) = await RawRoundAsync(null);
        Emulator.UpdateEvent(Mailbox, outside["id"]!.GetValue<string>(), """{"subject":"Later series, renamed"}""");
        var master = await CreateWeeklyAsync();

        var items = (await RawRoundAsync(deltaLink)).Pages.SelectMany(p => p).ToList();

        Assert.Equal(5, items.Count);
        Assert.All(items, i => Assert.True(Id(i) == master.Id || (string?)i["seriesMasterId"] == master.Id));
    }

    [Fact]
    public async Task Delta_ThroughSdk_StrippedOccurrencesCarryTheirMasterAndSpanOnly()
    {
        var master = await CreateWeeklyAsync();

        var page = await Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-06-01T00:00:00Z";
        });

        var masterEvent = Assert.Single(page!.Value!, e => e.Type == EventType.SeriesMaster);
        Assert.Equal(RecurrencePatternType.Weekly, masterEvent.Recurrence!.Pattern!.Type);
        var occurrences = page.Value!.Where(e => e.Type == EventType.Occurrence).ToList();
        Assert.Equal(4, occurrences.Count);
        Assert.All(occurrences, o =>
        {
            Assert.Equal(master.Id, o.SeriesMasterId);
            Assert.NotNull(o.Start);
            Assert.Null(o.Subject);
            Assert.Null(o.ChangeKey);
        });
        Assert.NotNull(page.OdataDeltaLink);
    }

    private static string Id(JsonObject item) => item["id"]!.GetValue<string>();

    /// <summary>Reads a whole delta round over raw HTTP (the exact JSON), from the window's first page or a delta link.</summary>
    private async Task<(List<List<JsonObject>> Pages, string DeltaLink)> RawRoundAsync(string? deltaLink, int maxPageSize = 50)
    {
        var http = RawClient();
        var pages = new List<List<JsonObject>>();
        var url = deltaLink ?? $"me/calendarView/delta?{DeltaWindow}";
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Prefer", $"odata.maxpagesize={maxPageSize}");
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            pages.Add(page["value"]!.AsArray().Select(i => i!.AsObject()).ToList());
            if (page["@odata.nextLink"] is { } next)
            {
                url = next.GetValue<string>();
                continue;
            }

            return (pages, page["@odata.deltaLink"]!.GetValue<string>());
        }
    }
}
