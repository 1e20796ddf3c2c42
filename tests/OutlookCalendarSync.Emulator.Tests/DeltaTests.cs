using Microsoft.Graph.Me.CalendarView.Delta;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Serialization;

namespace OutlookCalendarSync.Emulator.Tests;

public sealed class DeltaTests : EmulatorTestBase
{
    private const string WindowStart = "2024-05-01T00:00:00Z";
    private const string WindowEnd = "2024-06-01T00:00:00Z";

    [Fact]
    public async Task Delta_FirstRoundWithMaxPageSize_PagesThroughNextLinksToDeltaLink()
    {
        for (var day = 2; day <= 6; day++)
        {
            Emulator.AddEvent(Mailbox, SeedJson($"Day {day}", $"2024-05-0{day}T09:00:00", $"2024-05-0{day}T10:00:00"));
        }

        Emulator.AddEvent(Mailbox, SeedJson("Outside", "2024-07-01T09:00:00", "2024-07-01T10:00:00"));

        var (events, pages, deltaLink) = await ReadRoundAsync(firstPage: await Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = WindowStart;
            c.QueryParameters.EndDateTime = WindowEnd;
            c.Headers.Add("Prefer", "odata.maxpagesize=2");
        }));

        Assert.Equal(3, pages);
        Assert.Equal(5, events.Count);
        Assert.DoesNotContain(events, e => e.Subject == "Outside");
        Assert.Contains("$deltatoken=", deltaLink, StringComparison.Ordinal);
        Assert.Equal(3, Emulator.CountRequests("GET /me/calendarView/delta"));
    }

    [Fact]
    public async Task Delta_ReplayDeltaLink_ReturnsOnlyChangesAndRemovals()
    {
        var kept = Emulator.AddEvent(Mailbox, SeedJson("Kept", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        var edited = Emulator.AddEvent(Mailbox, SeedJson("Edited", "2024-05-03T09:00:00", "2024-05-03T10:00:00"));
        var deleted = Emulator.AddEvent(Mailbox, SeedJson("Deleted", "2024-05-04T09:00:00", "2024-05-04T10:00:00"));
        var moved = Emulator.AddEvent(Mailbox, SeedJson("Moved out", "2024-05-05T09:00:00", "2024-05-05T10:00:00"));
        var (_, _, deltaLink) = await ReadRoundAsync(await FirstPageAsync());

        Emulator.UpdateEvent(Mailbox, Id(edited), """{"subject":"Edited in Outlook"}""");
        Emulator.DeleteEvent(Mailbox, Id(deleted));
        Emulator.UpdateEvent(Mailbox, Id(moved), """{"start":{"dateTime":"2024-08-01T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-08-01T10:00:00","timeZone":"UTC"}}""");
        Emulator.AddEvent(Mailbox, SeedJson("Outside, new", "2024-09-01T09:00:00", "2024-09-01T10:00:00"));
        var added = await Graph.Me.Events.PostAsync(NewEvent("Added", new DateTime(2024, 5, 7, 9, 0, 0)));

        var (changes, _, nextDeltaLink) = await ReadRoundAsync(await Graph.Me.CalendarView.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync());

        var removed = changes.Where(e => e.AdditionalData.ContainsKey("@removed")).Select(e => e.Id).OrderBy(id => id).ToArray();
        var live = changes.Where(e => !e.AdditionalData.ContainsKey("@removed")).Select(e => e.Subject).OrderBy(s => s).ToArray();
        Assert.Equal(new[] { Id(deleted), Id(moved) }.OrderBy(id => id).ToArray(), removed);
        Assert.Equal(new[] { "Added", "Edited in Outlook" }, live);
        Assert.DoesNotContain(changes, e => e.Id == Id(kept));
        Assert.Contains(changes, e => e.Id == added!.Id);
        Assert.NotEqual(deltaLink, nextDeltaLink);

        var (quiet, _, _) = await ReadRoundAsync(await Graph.Me.CalendarView.Delta.WithUrl(nextDeltaLink).GetAsDeltaGetResponseAsync());
        Assert.Empty(quiet);
    }

    [Fact]
    public async Task Delta_ReplayTokensOfDifferentAges_EachReturnsTheEventsChangedSinceItOnce()
    {
        var seeded = Enumerable.Range(0, 200)
            .Select(i => Emulator.AddEvent(Mailbox, SeedJson($"Event {i}", $"2024-05-{2 + (i % 28):00}T{8 + (i / 28):00}:00:00", $"2024-05-{2 + (i % 28):00}T{8 + (i / 28):00}:30:00")))
            .ToArray();
        var (first, _, older) = await ReadRoundAsync(await FirstPageAsync(maxPageSize: 50));
        Emulator.UpdateEvent(Mailbox, Id(seeded[150]), """{"subject":"Changed 150"}""");
        Emulator.UpdateEvent(Mailbox, Id(seeded[10]), """{"subject":"Changed 10"}""");
        var (_, _, newer) = await ReadRoundAsync(await Graph.Me.CalendarView.Delta.WithUrl(older).GetAsDeltaGetResponseAsync());
        Emulator.UpdateEvent(Mailbox, Id(seeded[10]), """{"subject":"Changed 10 again"}""");
        Emulator.DeleteEvent(Mailbox, Id(seeded[99]));

        var (sinceNewer, _, _) = await ReadRoundAsync(await Graph.Me.CalendarView.Delta.WithUrl(newer).GetAsDeltaGetResponseAsync());
        var (sinceOlder, _, _) = await ReadRoundAsync(await Graph.Me.CalendarView.Delta.WithUrl(older).GetAsDeltaGetResponseAsync());

        Assert.Equal(200, first.Count);
        Assert.Equal(new[] { Id(seeded[10]), Id(seeded[99]) }.Order(StringComparer.Ordinal), sinceNewer.Select(e => e.Id!).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { Id(seeded[10]), Id(seeded[99]), Id(seeded[150]) }.Order(StringComparer.Ordinal), sinceOlder.Select(e => e.Id!).Order(StringComparer.Ordinal));
        Assert.Equal("Changed 10 again", sinceOlder.Single(e => e.Id == Id(seeded[10])).Subject);
        Assert.True(sinceOlder.Single(e => e.Id == Id(seeded[99])).AdditionalData.ContainsKey("@removed"));
    }

    [Fact]
    public async Task Delta_RemovedItem_HasRemovedAnnotationWithReason()
    {
        var doomed = Emulator.AddEvent(Mailbox, SeedJson("Doomed", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        var (_, _, deltaLink) = await ReadRoundAsync(await FirstPageAsync());
        Emulator.DeleteEvent(Mailbox, Id(doomed));

        var page = await Graph.Me.CalendarView.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync();

        var item = Assert.Single(page!.Value!);
        Assert.Equal(Id(doomed), item.Id);
        var removed = Assert.IsType<UntypedObject>(item.AdditionalData["@removed"]);
        var reason = Assert.IsType<UntypedString>(removed.GetValue()["reason"]);
        Assert.Equal("deleted", reason.GetValue());
        Assert.Null(item.Subject);
    }

    [Fact]
    public async Task Delta_AfterExpireDeltaTokens_ThrowsSyncStateNotFound()
    {
        Emulator.AddEvent(Mailbox, SeedJson("Any", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        var (_, _, deltaLink) = await ReadRoundAsync(await FirstPageAsync());

        Emulator.ExpireDeltaTokens(Mailbox);

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.CalendarView.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync());
        Assert.Equal(410, error.ResponseStatusCode);
        Assert.Equal("SyncStateNotFound", error.Error!.Code);
        var (fresh, _, _) = await ReadRoundAsync(await FirstPageAsync());
        Assert.Single(fresh);
    }

    [Fact]
    public async Task Delta_ExpiredSkipToken_ThrowsSyncStateNotFound()
    {
        Emulator.AddEvent(Mailbox, SeedJson("One", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        Emulator.AddEvent(Mailbox, SeedJson("Two", "2024-05-03T09:00:00", "2024-05-03T10:00:00"));
        var first = await FirstPageAsync(maxPageSize: 1);

        Emulator.ExpireDeltaTokens(Mailbox);

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.CalendarView.Delta.WithUrl(first!.OdataNextLink!).GetAsDeltaGetResponseAsync());
        Assert.Equal("SyncStateNotFound", error.Error!.Code);
    }

    [Fact]
    public async Task Delta_OtherMailboxesToken_ThrowsSyncStateNotFound()
    {
        var (_, _, aliceLink) = await ReadRoundAsync(await FirstPageAsync());
        var bob = CreateClient("bob");

        var error = await Assert.ThrowsAsync<ODataError>(() => bob.Me.CalendarView.Delta.WithUrl(aliceLink).GetAsDeltaGetResponseAsync());

        Assert.Equal(410, error.ResponseStatusCode);
    }

    [Fact]
    public async Task Delta_WithoutWindow_Throws400()
    {
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync());

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("ErrorInvalidParameter", error.Error!.Code);
    }

    [Fact]
    public async Task Delta_RouteWithoutParentheses_AnswersLikeTheSdkRoute()
    {
        Emulator.AddEvent(Mailbox, SeedJson("Any", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        var http = RawClient();

        var withParentheses = await http.GetStringAsync($"me/calendarView/delta()?startDateTime={WindowStart}&endDateTime={WindowEnd}");
        var without = await http.GetStringAsync($"me/calendarView/delta?startDateTime={WindowStart}&endDateTime={WindowEnd}");

        Assert.Contains("\"subject\":\"Any\"", withParentheses, StringComparison.Ordinal);
        Assert.Contains("\"subject\":\"Any\"", without, StringComparison.Ordinal);
        Assert.Contains("@odata.deltaLink", without, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delta_ExpandAsked_CarriesNoExtendedPropertiesButTheTransactionId()
    {
        const string PropertyId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HostEventId";
        string expand = $"singleValueExtendedProperties($filter=id eq '{PropertyId}')";
        var stamped = NewEvent("Stamped", new DateTime(2024, 5, 2, 9, 0, 0));
        stamped.SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = PropertyId, Value = "host-1" }];
        stamped.TransactionId = "7f8e0c1a-0000-4000-8000-000000000001";
        await Graph.Me.Events.PostAsync(stamped);
        var first = await Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = WindowStart;
            c.QueryParameters.EndDateTime = WindowEnd;
            c.QueryParameters.Expand = [expand];
        });
        var (events, _, deltaLink) = await ReadRoundAsync(first);
        Emulator.UpdateEvent(Mailbox, events.Single().Id!, """{"subject":"Stamped, renamed"}""");

        var (replayed, _, _) = await ReadRoundAsync(await Graph.Me.CalendarView.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync());

        Assert.Null(Assert.Single(events).SingleValueExtendedProperties);
        Assert.Null(Assert.Single(replayed).SingleValueExtendedProperties);
        Assert.Equal("7f8e0c1a-0000-4000-8000-000000000001", events.Single().TransactionId);
        Assert.Equal("7f8e0c1a-0000-4000-8000-000000000001", replayed.Single().TransactionId);
    }

    private static string Id(System.Text.Json.Nodes.JsonObject seeded) => seeded["id"]!.GetValue<string>();

    private Task<DeltaGetResponse?> FirstPageAsync(int maxPageSize = 10) =>
        Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = WindowStart;
            c.QueryParameters.EndDateTime = WindowEnd;
            c.Headers.Add("Prefer", $"odata.maxpagesize={maxPageSize}");
        });

    private async Task<(List<Event> Events, int Pages, string DeltaLink)> ReadRoundAsync(DeltaGetResponse? firstPage)
    {
        var events = new List<Event>();
        var pages = 0;
        var page = firstPage;
        while (true)
        {
            pages++;
            events.AddRange(page!.Value!);
            if (page.OdataNextLink is { } next)
            {
                page = await Graph.Me.CalendarView.Delta.WithUrl(next).GetAsDeltaGetResponseAsync(c => c.Headers.Add("Prefer", "odata.maxpagesize=2"));
                continue;
            }

            return (events, pages, page.OdataDeltaLink!);
        }
    }
}
