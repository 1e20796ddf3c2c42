using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>Outlook's 4 concurrent requests per mailbox, and events moved to another calendar of the mailbox.</summary>
public sealed class ConcurrencyAndCalendarTests : EmulatorTestBase
{
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task Request_WhileFourAreCarriedOut_Answers429MailboxConcurrencyWithRetryAfter()
    {
        var http = RawClient();
        Task<HttpResponseMessage>[] slow = await HoldSlotsAsync(http, 4);

        using var refused = await http.GetAsync("me/mailboxSettings");
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        await Task.WhenAll(slow);
        using var later = await http.GetAsync("me/mailboxSettings");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("ApplicationThrottled", (string?)body["error"]!["code"]);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.All(slow, t => Assert.Equal(HttpStatusCode.OK, t.Result.StatusCode));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Request_OfAnotherMailbox_IsNotCountedAgainstThisOne()
    {
        var http = RawClient();
        Task<HttpResponseMessage>[] slow = await HoldSlotsAsync(http, 4);

        using var other = await RawClient("bob").GetAsync("me/mailboxSettings");
        await Task.WhenAll(slow);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Batch_IndependentItemsWithOneSlotFree_RunOneItemOfEachFourAndThrottleTheRest()
    {
        var http = RawClient();
        Task<HttpResponseMessage>[] slow = await HoldSlotsAsync(http, 3);

        JsonArray responses = await PostBatchAsync(http, Creates(8, chained: false));
        await Task.WhenAll(slow);

        var statuses = responses.OrderBy(r => int.Parse((string)r!["id"]!)).Select(r => (int)r!["status"]!).ToArray();
        Assert.Equal(new[] { 201, 429, 429, 429, 201, 429, 429, 429 }, statuses);
        Assert.Equal(2, Emulator.GetEvents(Mailbox).Count);
    }

    [Fact]
    public async Task Batch_ChainedItemsWithOneSlotFree_AllRunOneAfterAnother()
    {
        var http = RawClient();
        Task<HttpResponseMessage>[] slow = await HoldSlotsAsync(http, 3);

        JsonArray responses = await PostBatchAsync(http, Creates(8, chained: true));
        await Task.WhenAll(slow);

        Assert.All(responses, r => Assert.Equal(201, (int)r!["status"]!));
        Assert.Equal(8, Emulator.GetEvents(Mailbox).Count);
    }

    [Fact]
    public async Task Batch_ChainedItemsWithNoSlotFree_FirstIsThrottledAndTheRestFailTheirDependency()
    {
        var http = RawClient();
        Task<HttpResponseMessage>[] slow = await HoldSlotsAsync(http, 4);

        JsonArray responses = await PostBatchAsync(http, Creates(3, chained: true));
        await Task.WhenAll(slow);

        var statuses = responses.OrderBy(r => int.Parse((string)r!["id"]!)).Select(r => (int)r!["status"]!).ToArray();
        Assert.Equal(new[] { 429, 424, 424 }, statuses);
        Assert.Empty(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task MoveEventToCalendar_KeepsTheIdButLeavesTheDefaultCalendarsViews()
    {
        var http = RawClient();
        var id = (string)Emulator.AddEvent(Mailbox, SeedJson("Moved", "2024-05-02T09:00:00", "2024-05-02T10:00:00"))["id"]!;
        var first = JsonNode.Parse(await http.GetStringAsync("me/calendarView/delta?startDateTime=2024-05-01T00:00:00Z&endDateTime=2024-06-01T00:00:00Z"))!;
        var deltaLink = (string)first["@odata.deltaLink"]!;

        var otherId = Emulator.MoveEventToCalendar(Mailbox, id, "Archive");
        var delta = JsonNode.Parse(await http.GetStringAsync(deltaLink))!;
        using var byId = await http.GetAsync($"me/events/{id}");
        var eventCalendar = JsonNode.Parse(await http.GetStringAsync($"me/events/{id}/calendar?$select=id"))!;
        var defaultCalendar = JsonNode.Parse(await http.GetStringAsync("me/calendar?$select=id"))!;
        var view = JsonNode.Parse(await http.GetStringAsync("me/calendarView?startDateTime=2024-05-01T00:00:00Z&endDateTime=2024-06-01T00:00:00Z"))!;

        var removed = Assert.Single(delta["value"]!.AsArray());
        Assert.Equal(id, (string?)removed!["id"]);
        Assert.NotNull(removed["@removed"]);
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal(otherId, (string?)eventCalendar["id"]);
        Assert.NotEqual(otherId, (string?)defaultCalendar["id"]);
        Assert.True((bool)defaultCalendar["isDefaultCalendar"]!);
        Assert.Empty(view["value"]!.AsArray());
        Assert.Empty(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task DeltaPage_MaxPageSizeOverOutlooksLimit_IsCappedAtOneThousand()
    {
        for (var i = 0; i < 1001; i++)
        {
            Emulator.AddEvent(Mailbox, SeedJson($"E{i}", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        }

        var http = RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "me/calendarView/delta?startDateTime=2024-05-01T00:00:00Z&endDateTime=2024-06-01T00:00:00Z");
        request.Headers.Add("Prefer", "odata.maxpagesize=5000");
        using var response = await http.SendAsync(request);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(1000, page["value"]!.AsArray().Count);
        Assert.NotNull(page["@odata.nextLink"]);
        Assert.Equal("odata.maxpagesize=1000", response.Headers.GetValues("Preference-Applied").Single());
    }

    /// <summary>Starts GETs that the emulator answers slowly, each holding one of the mailbox's slots meanwhile.</summary>
    private async Task<Task<HttpResponseMessage>[]> HoldSlotsAsync(HttpClient http, int count)
    {
        _ = Emulator.InjectFault(GraphFault.Slow(Hold) with { Method = "GET", PathPattern = "/me/events", Times = count });
        var slow = Enumerable.Range(0, count).Select(_ => http.GetAsync("me/events")).ToArray();

        // Long enough for the slow requests to arrive and take their slots, well within the time they hold them.
        await Task.Delay(400);
        return slow;
    }

    private static JsonArray Creates(int count, bool chained)
    {
        var requests = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var item = new JsonObject
            {
                ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["method"] = "POST",
                ["url"] = "/me/events",
                ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                ["body"] = JsonNode.Parse(SeedJson($"B{i}", "2024-05-02T09:00:00", "2024-05-02T10:00:00")),
            };
            if (chained && i > 0)
            {
                item["dependsOn"] = new JsonArray((i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            requests.Add(item);
        }

        return requests;
    }

    private static async Task<JsonArray> PostBatchAsync(HttpClient http, JsonArray requests)
    {
        using var content = new StringContent(new JsonObject { ["requests"] = requests }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("$batch", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responses"]!.AsArray();
    }
}
