using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

public sealed class FaultAndBatchTests : EmulatorTestBase
{
    [Fact]
    public async Task Get_ThrottledTwiceWithRetryAfterZero_SdkRetriesAndSucceeds()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Busy", new DateTime(2024, 5, 2, 9, 0, 0)));
        Emulator.ResetRequestLog();
        using var fault = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { Times = 2, Method = "GET" });

        var read = await Graph.Me.Events[created!.Id].GetAsync();

        Assert.Equal("Busy", read!.Subject);
        Assert.Equal(new[] { 429, 429, 200 }, Emulator.RequestLog.Select(e => e.StatusCode).ToArray());
    }

    [Fact]
    public async Task Post_ServiceUnavailableOnce_SdkRetriesWithoutDuplicate()
    {
        using var fault = Emulator.InjectFault(GraphFault.ServiceUnavailable() with { Times = 1, RetryAfter = TimeSpan.Zero });

        var created = await Graph.Me.Events.PostAsync(NewEvent("Retried", new DateTime(2024, 5, 2, 9, 0, 0)));

        Assert.Equal("Retried", created!.Subject);
        Assert.Single(Emulator.GetEvents(Mailbox));
        Assert.Equal(2, Emulator.CountRequests("POST /me/events"));
    }

    [Fact]
    public async Task Get_ThrottledMoreThanSdkRetries_ThrowsTooManyRetries()
    {
        using var fault = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { PathPattern = "^/me/events$" });

        var error = await Assert.ThrowsAsync<AggregateException>(() => Graph.Me.Events.GetAsync());

        Assert.Contains("Too many retries", error.Message, StringComparison.Ordinal);
        Assert.All(Emulator.RequestLog, e => Assert.Equal(429, e.StatusCode));
        Assert.Equal(4, Emulator.CountRequests("GET /me/events"));
    }

    [Fact]
    public async Task Get_DroppedConnection_ThrowsHttpRequestException()
    {
        using var fault = Emulator.InjectFault(GraphFault.DropConnection() with { Times = 1 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Graph.Me.Events.GetAsync());

        Assert.Equal(0, Assert.Single(Emulator.RequestLog).StatusCode);
        Assert.NotNull(await Graph.Me.Events.GetAsync());
    }

    [Fact]
    public async Task Get_MalformedBody_ThrowsJsonException()
    {
        using var fault = Emulator.InjectFault(GraphFault.MalformedBody() with { Times = 1 });

        await Assert.ThrowsAnyAsync<JsonException>(() => Graph.Me.Events.GetAsync());
    }

    [Fact]
    public async Task Get_SlowFault_DelaysTheAnswer()
    {
        using var fault = Emulator.InjectFault(GraphFault.Slow(TimeSpan.FromMilliseconds(150)) with { Times = 1 });
        var watch = Stopwatch.StartNew();

        var events = await Graph.Me.Events.GetAsync();

        Assert.NotNull(events);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(140), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Latency_Set_DelaysEveryRequest()
    {
        Emulator.Latency = TimeSpan.FromMilliseconds(60);
        var watch = Stopwatch.StartNew();

        await Graph.Me.Events.GetAsync();
        await Graph.Me.Events.GetAsync();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(110), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Fault_EveryNth_FiresOnEveryKthMatchingRequest()
    {
        using var fault = Emulator.InjectFault(GraphFault.GatewayTimeout() with { EveryNth = 2, Method = "GET" });
        var http = RawClient();

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync("me/events");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal(new[] { 200, 504, 200, 504 }, statuses);
    }

    [Fact]
    public async Task Fault_SyncStateNotFound_SurfacesAsODataError410()
    {
        using var fault = Emulator.InjectFault(GraphFault.SyncStateNotFound() with { Times = 1, PathPattern = "calendarView/delta" });

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-06-01T00:00:00Z";
        }));

        Assert.Equal(410, error.ResponseStatusCode);
        Assert.Equal("SyncStateNotFound", error.Error!.Code);
    }

    [Fact]
    public async Task Fault_Disposed_StopsApplying()
    {
        var fault = Emulator.InjectFault(GraphFault.PreconditionFailed());
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events.GetAsync());
        Assert.Equal(412, error.ResponseStatusCode);

        fault.Dispose();

        Assert.NotNull(await Graph.Me.Events.GetAsync());
    }

    [Fact]
    public async Task Batch_ThreeCreates_AllSucceedThroughSdk()
    {
        var batch = new BatchRequestContentCollection(Graph);
        var stepIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            stepIds.Add(await batch.AddBatchRequestStepAsync(Graph.Me.Events.ToPostRequestInformation(NewEvent($"B{i}", new DateTime(2024, 5, 2, 9 + i, 0, 0)))));
        }

        var response = await Graph.Batch.PostAsync(batch);

        var statuses = await response.GetResponsesStatusCodesAsync();
        Assert.All(stepIds, id => Assert.Equal(HttpStatusCode.Created, statuses[id]));
        var first = await response.GetResponseByIdAsync<Microsoft.Graph.Models.Event>(stepIds[0]);
        Assert.Equal("B0", first.Subject);
        Assert.Equal(3, Emulator.GetEvents(Mailbox).Count);
        Assert.Equal(1, Emulator.RequestCountsByRoute(includeBatchItems: false)["POST /$batch"]);
        Assert.Equal(3, Emulator.CountRequests("POST /me/events"));
    }

    [Fact]
    public async Task Batch_PerItemThrottle_FailsOnlyThatItemAndRetryOfFailedSucceeds()
    {
        var batch = new BatchRequestContentCollection(Graph);
        var stepIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            stepIds.Add(await batch.AddBatchRequestStepAsync(Graph.Me.Events.ToPostRequestInformation(NewEvent($"B{i}", new DateTime(2024, 5, 2, 9 + i, 0, 0)))));
        }

        using var fault = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.FromSeconds(1)) with { Times = 1, Method = "POST", PathPattern = "^/me/events$" });

        var response = await Graph.Batch.PostAsync(batch);
        var statuses = await response.GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[stepIds[0]]);
        Assert.Equal(HttpStatusCode.Created, statuses[stepIds[1]]);
        Assert.Equal(HttpStatusCode.Created, statuses[stepIds[2]]);
        using var throttled = await response.GetResponseByIdAsync(stepIds[0]);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter!.Delta);
        Assert.Equal(2, Emulator.GetEvents(Mailbox).Count);

        var retry = batch.NewBatchWithFailedRequests(statuses);
        var retried = await (await Graph.Batch.PostAsync(retry)).GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.Created, Assert.Single(retried).Value);
        Assert.Equal(3, Emulator.GetEvents(Mailbox).Count);
    }

    [Fact]
    public async Task Batch_PatchWithStaleIfMatch_ItemAnswers412()
    {
        var created = await Graph.Me.Events.PostAsync(NewEvent("Draft", new DateTime(2024, 5, 2, 9, 0, 0)));
        var batch = new BatchRequestContentCollection(Graph);
        var step = await batch.AddBatchRequestStepAsync(Graph.Me.Events[created!.Id].ToPatchRequestInformation(
            new Microsoft.Graph.Models.Event { Subject = "Stale" },
            c => c.Headers.Add("If-Match", "W/\"not-the-change-key\"")));

        var statuses = await (await Graph.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.PreconditionFailed, statuses[step]);
        Assert.Equal("Draft", Emulator.GetEvent(Mailbox, created.Id!)!["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_MoreThanTwentyRequests_Answers400()
    {
        var requests = string.Join(',', Enumerable.Range(1, 21).Select(i => $$"""{"id":"{{i}}","method":"GET","url":"/me/events"}"""));
        using var content = new StringContent($$"""{"requests":[{{requests}}]}""", Encoding.UTF8, "application/json");

        using var response = await RawClient().PostAsync("$batch", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("BadRequest", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Batch_DependsOnFailedRequest_Answers424()
    {
        const string Body = """
            {"requests":[
              {"id":"1","method":"GET","url":"/me/events/missing"},
              {"id":"2","method":"GET","url":"/me/events","dependsOn":["1"]}]}
            """;
        using var content = new StringContent(Body, Encoding.UTF8, "application/json");

        using var response = await RawClient().PostAsync("$batch", content);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var statuses = body.RootElement.GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("status").GetInt32());
        Assert.Equal(404, statuses["1"]);
        Assert.Equal(424, statuses["2"]);
    }

    [Theory]
    [InlineData(GraphFaultKind.LostAnswer)]
    [InlineData(GraphFaultKind.TruncatedAnswer)]
    public async Task Batch_AnswerLostAfterTwoOfThreeItems_CarriesOutOnlyThoseTwo(GraphFaultKind kind)
    {
        var batch = new BatchRequestContentCollection(Graph);
        for (var i = 0; i < 3; i++)
        {
            await batch.AddBatchRequestStepAsync(Graph.Me.Events.ToPostRequestInformation(NewEvent($"B{i}", new DateTime(2024, 5, 2, 9 + i, 0, 0))));
        }

        using var fault = Emulator.InjectFault(new GraphFault(kind) { CarriedOutItems = 2, Times = 1 });

        Exception error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var response = await Graph.Batch.PostAsync(batch);
            await response.GetResponsesStatusCodesAsync();
        });

        Assert.IsNotType<ODataError>(error);
        Assert.Equal(new[] { "B0", "B1" }, Emulator.GetEvents(Mailbox).Select(e => (string?)e["subject"]).ToArray());
    }

    [Fact]
    public async Task Post_AnswerTruncated_EventIsCreatedButTheAnswerCannotBeRead()
    {
        using var fault = Emulator.InjectFault(GraphFault.TruncateAnswer() with { Times = 1, Method = "POST" });

        await Assert.ThrowsAnyAsync<Exception>(() => Graph.Me.Events.PostAsync(NewEvent("Made", new DateTime(2024, 5, 2, 9, 0, 0))));

        Assert.Equal("Made", (string?)Assert.Single(Emulator.GetEvents(Mailbox))["subject"]);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("Wed, 01 May 2024 08:00:03 GMT")]
    public async Task Throttle_RetryAfterHeaderGiven_IsSentAsWritten(string retryAfter)
    {
        using var fault = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { RetryAfterHeader = retryAfter, Times = 1 });

        using var response = await RawClient().GetAsync("me/events");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(retryAfter, string.Join(",", response.Headers.GetValues("Retry-After")));
    }
}
