using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Graph.Me.CalendarView.Delta;
using Microsoft.Kiota.Serialization.Json;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// The referee of <see cref="GraphDeltaPageReader"/>: delta pages read without the SDK's models give the same events, notes and
/// removals as the SDK's own parsing (<see cref="GraphOutlookCalendar.ParsesDeltaPagesWithSdk"/>), over HTTP against the emulator
/// with the real <see cref="GraphServiceClient"/>, for a corpus of every field the mapper reads, for JSON that differs from what
/// the emulator writes (casing of enum values, unknown properties, nulls, fewer fractional digits, values of other kinds), and
/// for hand-written pages with the JSON oddities Kiota has rules for.
/// </summary>
public sealed class GraphDeltaReaderDifferentialTests : IAsyncLifetime
{
    private const string User = "alice";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private static readonly Interval Window = new(Now - Duration.FromDays(30), Now + Duration.FromDays(365));
    private GraphTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GraphTestHost.StartAsync(Now, o => o.DeltaPageSize = 4);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetChangesAsync_CorpusOfEveryMappedField_ReaderAndSdkAgreeOnFullAndIncrementalRounds()
    {
        SeededCorpus corpus = await SeedCorpusAsync();
        GraphOutlookCalendar reader = Adapter(sdk: false);
        GraphOutlookCalendar sdk = Adapter(sdk: true);

        ChangeFeed fromSdk = await sdk.GetChangesAsync(User, null, Window, default);
        ChangeFeed fromReader = await reader.GetChangesAsync(User, null, Window, default);

        AssertSame(fromSdk, fromReader);
        Assert.True(fromReader.IsFullSnapshot);
        Assert.True(fromReader.Changed.Count >= 12, $"The corpus should give at least 12 events, not {fromReader.Changed.Count}.");
        Assert.Contains(fromReader.Changed, e => e.IsSeriesMaster && e.Recurrence!.DeletedOccurrences.Count == 1);
        Assert.Contains(fromReader.Changed, e => e.IsSeriesException);
        Assert.Contains(fromReader.Changed, e => e.CounterpartId == "host-1");
        Assert.Contains(fromReader.Changed, e => e.Organizer is not null && e.MyResponse == ResponseStatus.NotResponded);
        Assert.Contains(fromReader.Changed, e => e.Timing.IsAllDay);
        Assert.Contains(fromReader.Changed, e => e.IsCancelled);
        Assert.Contains(fromReader.Changed, e => e.OnlineMeetingUrl is not null);
        Assert.Contains(fromReader.Changed, e => !e.Timing.IsAllDay && e.Timing.Start.Zone.Id == "Europe/Berlin" && e.Subject == "Custom zone");

        // Incremental rounds: a change, a deletion, a new event, an exception changed and one removed, an occurrence deleted.
        _host.Emulator.UpdateEvent(User, corpus.Timed, """{"subject":"Planning, moved","showAs":"tentative"}""");
        _host.Emulator.DeleteEvent(User, corpus.AllDay);
        _host.Emulator.UpdateEvent(User, corpus.Exception, """{"subject":"Weekly, this one later still"}""");
        _host.Emulator.DeleteEvent(User, corpus.Instances[4]);
        _host.Emulator.AddEvent(User, """{"subject":"Added later","start":{"dateTime":"2026-12-03T10:00:00","timeZone":"Pacific Standard Time"},"end":{"dateTime":"2026-12-03T11:00:00","timeZone":"Pacific Standard Time"},"categories":["Green"]}""");

        ChangeFeed nextFromSdk = await sdk.GetChangesAsync(User, fromSdk.NextCursor, Window, default);
        ChangeFeed nextFromReader = await reader.GetChangesAsync(User, fromReader.NextCursor, Window, default);

        AssertSame(nextFromSdk, nextFromReader);
        Assert.False(nextFromReader.IsFullSnapshot);
        Assert.Contains(nextFromReader.Removed, r => r.Id == corpus.AllDay);
        Assert.Contains(nextFromReader.Changed, e => e.Subject == "Planning, moved" && e.ShowAs == ShowAs.Tentative);
        Assert.Contains(nextFromReader.Changed, e => e.Subject == "Added later");

        _host.Emulator.DeleteEvent(User, corpus.Exception);
        ChangeFeed lastFromSdk = await sdk.GetChangesAsync(User, nextFromSdk.NextCursor, Window, default);
        ChangeFeed lastFromReader = await reader.GetChangesAsync(User, nextFromReader.NextCursor, Window, default);

        AssertSame(lastFromSdk, lastFromReader);
        Assert.Contains(lastFromReader.Removed, r => r.Id == corpus.Exception);
    }

    [Fact]
    public async Task GetChangesAsync_JsonUnlikeTheEmulators_ReaderAndSdkAgree()
    {
        await SeedCorpusAsync();
        using HttpClient http = GraphClientFactory.Create(
            GraphHttpPipeline.CreateHandlers(_host.Options, _host.Time),
            finalHandler: new RewritingHandler { InnerHandler = new HttpClientHandler() });
        var reader = new GraphOutlookCalendar(_host.Options, _host.Tokens, () => http, _host.Time);
        var sdk = new GraphOutlookCalendar(_host.Options, _host.Tokens, () => http, _host.Time) { ParsesDeltaPagesWithSdk = true };
        var lookup = new LinkedEventLookup((_, _) => Task.FromResult<IReadOnlyDictionary<string, CalendarEvent>>(new Dictionary<string, CalendarEvent>()), stampsOfUnlinkedMatter: false);

        ChangeFeed fromSdk = await sdk.GetChangesAsync(User, null, Window, lookup, default);
        ChangeFeed fromReader = await reader.GetChangesAsync(User, null, Window, lookup, default);

        AssertSame(fromSdk, fromReader);
        Assert.True(RewritingHandler.Rewritten > 0);
        Assert.Contains(fromReader.Changed, e => e.ShowAs == ShowAs.OutOfOffice);
        Assert.Contains(fromReader.Notes, n => n.Reason.Contains("start", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> Pages() => new()
    {
        { "byte order mark", "\uFEFF" + Page(Item("a")) },
        { "a later property of the same name wins", Page(Item("a", """ "subject":"first","subject":"second", """)) },
        { "a null keeps the earlier value", Page(Item("a", """ "subject":"kept","subject":null,"showAs":"free","showAs":null, """)) },
        { "a nested null keeps the earlier value", Page(Item("a", """ "body":{"contentType":"html","content":"<p>x</p>","content":null}, """)) },
        { "an object given twice is replaced", Page(Item("a", """ "location":{"displayName":"Room 1"},"location":{"address":{}}, """)) },
        { "an escaped property name", Page(Item("a", """ "sub\u006aect":"escaped", "\u0073howAs":"oof", """)) },
        { "property names in another casing are unknown", Page(Item("a", """ "Subject":"ignored","ShowAs":"free", """)) },
        { "enum values in any casing", Page(Item("a", """ "showAs":"WORKINGELSEWHERE","sensitivity":"Confidential","type":"SingleInstance", """)) },
        { "an empty enum value", Page(Item("a", """ "showAs":"","sensitivity":"", """)) },
        { "an unknown enum value", Page(Item("a", """ "showAs":"somethingNew","sensitivity":"topSecret", """)) },
        { "a number as a string", Page(Item("a", """ "isReminderOn":true,"reminderMinutesBeforeStart":"15", """)) },
        { "a string as a number", Page(Item("a", """ "subject":42,"iCalUId":true, """)) },
        { "a boolean as a string", Page(Item("a", """ "isAllDay":"false","isCancelled":"true", """)) },
        { "an object that is not one", Page(Item("a", """ "body":"text","organizer":[],"responseStatus":1, """)) },
        { "a start that is not an object", Page(Item("a", """ "start":"2026-11-26T09:00:00", """)) },
        { "attendees with odd entries", Page(Item("a", """ "attendees":[null,{"emailAddress":{"address":"bob@example.com","name":"Bob"},"type":"OPTIONAL","status":{"response":"Accepted","time":"0001-01-01T00:00:00Z"}}], """)) },
        { "categories with nulls and numbers", Page(Item("a", """ "categories":["Red",null,""], """)) + "," + Page(Item("b", """ "categories":["Red",7], """)) },
        { "dates with fewer fractional digits or none", Page(Item("a", """ "lastModifiedDateTime":"2026-11-24T08:00:00Z", """, start: "2026-11-26T09:00:00.5", end: "2026-11-26T10:00:00")) },
        { "a date that is not ISO", Page(Item("a", """ "lastModifiedDateTime":"11/24/2026 08:00:00 +01:00", """)) + "," + Page(Item("b", """ "lastModifiedDateTime":"yesterday", """)) },
        { "unknown properties everywhere", Page(Item("a", """ "@odata.etag":"W/\"abc\"","future":{"deep":[1,2.5,{"x":null}],"n":1e300},"start":{"dateTime":"2026-11-26T09:00:00","timeZone":"UTC","extra":true}, """)) },
        { "a removal with a null reason", """{"value":[{"id":"gone","@removed":null}],"@odata.deltaLink":"https://graph/delta?token=1"}""" },
        { "a removal with a reason", """{"value":[{"@odata.type":"#microsoft.graph.event","id":"gone","@removed":{"reason":"deleted"}}],"@odata.deltaLink":"https://graph/delta?token=1"}""" },
        { "items that are not objects", """{"value":[1,null,"x",[]],"@odata.nextLink":"https://graph/delta?skip=1"}""" },
        { "value null and links of other kinds", """{"value":null,"@odata.nextLink":5,"@odata.deltaLink":"https://graph/delta?token=1","@odata.deltaLink":null}""" },
        { "a root that is not an object", "[1,2]" },
        { "an occurrence and a master and an exception", """{"value":[{"id":"o1","type":"occurrence","seriesMasterId":"m1","start":{"dateTime":"2026-11-30T09:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-30T09:30:00.0000000","timeZone":"UTC"}},{"id":"m1","type":"seriesMaster","subject":"Weekly","start":{"dateTime":"2026-11-30T09:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-30T09:30:00.0000000","timeZone":"UTC"},"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":3}}},{"id":"x1","type":"exception","seriesMasterId":"m1","subject":"Moved","originalStart":"2026-12-07T09:00:00Z","start":{"dateTime":"2026-12-07T11:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:30:00.0000000","timeZone":"UTC"}}],"@odata.deltaLink":"https://graph/delta?token=1"}""" },
        { "a single with a recurrence and no type", Page(Item("a", """ "recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2026-11-26"}}, """)) },
        { "stamps in the page", Page(Item("a", $$"""  "singleValueExtendedProperties":[{"id":"{{GraphEventMapper.HostIdPropertyId}}","value":"host-9"},null], """)) + "," + Page(Item("b", $$""" "singleValueExtendedProperties":[{"id":"{{GraphEventMapper.HostIdPropertyId}}","value":"host-8"}], """)) },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void Parse_OddJson_ReadsWhatTheSdkReads(string name, string json)
    {
        foreach (string page in json.Split("\n,\n"))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(page);
            GraphDeltaPage read = GraphDeltaPageReader.Parse(bytes);
            GraphDeltaPage bySdk = ParseWithSdk(bytes);

            Assert.True(bySdk.NextLink == read.NextLink, name);
            Assert.True(bySdk.DeltaLink == read.DeltaLink, name);
            Assert.Equal(Describe(bySdk), Describe(read));
        }
    }

    [Fact]
    public void Parse_NotJson_FailsAsTheSdkDoes()
    {
        byte[] truncated = Encoding.UTF8.GetBytes(Page(Item("a"))[..40]);

        Assert.ThrowsAny<JsonException>(() => GraphDeltaPageReader.Parse(truncated));
        Assert.ThrowsAny<JsonException>(() => ParseWithSdk(truncated));
        Assert.ThrowsAny<JsonException>(() => GraphDeltaPageReader.Parse([]));
    }

    private static string Page(string item) => "\n" + $$"""{"@odata.context":"https://graph/$metadata#Collection(event)","value":[{{item}}],"@odata.nextLink":"https://graph/delta?skip=2"}""" + "\n";

    private static string Item(string id, string extra = "", string start = "2026-11-26T09:00:00.0000000", string end = "2026-11-26T10:00:00.0000000")
        => $$$"""{"@odata.etag":"W/\"DwAAABYAAAA\"","id":"{{{id}}}","changeKey":"ck-{{{id}}}","subject":"Item {{{id}}}","type":"singleInstance","isAllDay":false,"isOrganizer":true,"showAs":"busy","sensitivity":"normal","start":{"dateTime":"{{{start}}}","timeZone":"UTC"},"end":{"dateTime":"{{{end}}}","timeZone":"UTC"},"originalStartTimeZone":"W. Europe Standard Time","originalEndTimeZone":"W. Europe Standard Time","lastModifiedDateTime":"2026-11-24T07:59:59.1234567Z","body":{"contentType":"text","content":"Body"},"location":{"displayName":"Room"},"attendees":[],"organizer":{"emailAddress":{"name":"Alice","address":"alice@example.com"}},"responseStatus":{"response":"organizer","time":"0001-01-01T00:00:00Z"},"categories":["Blue"],"isReminderOn":true,"reminderMinutesBeforeStart":15,"isCancelled":false""" + (extra.Length == 0 ? string.Empty : "," + extra.Trim().TrimEnd(',')) + "}";

    private static GraphDeltaPage ParseWithSdk(byte[] json)
    {
        // The SDK's own parse: Kiota's JSON parse node over JsonDocument, as its request adapter parses a response.
        using var stream = new MemoryStream(json);
        using JsonDocument document = JsonDocument.Parse(stream);
        DeltaGetResponse page = new JsonParseNode(document.RootElement).GetObjectValue(DeltaGetResponse.CreateFromDiscriminatorValue);
        return new GraphDeltaPage([.. (page.Value ?? []).Select(GraphEventData.From)], page.OdataNextLink, page.OdataDeltaLink);
    }

    /// <summary>What the adapter takes from each item: identity, kind, removal, an occurrence's start, and the mapped event or problem.</summary>
    private static List<string> Describe(GraphDeltaPage page) => [.. page.Items.Select(item =>
    {
        CalendarEvent? mapped = GraphEventMapper.ToModel(item, [], DateTimeZone.Utc, out string? problem);
        return $"{item.Id} removed={item.IsRemoved} type={item.Type} master={item.SeriesMasterId} start={GraphEventMapper.ReadInstant(item.Start)} "
            + $"stamps={(item.SingleValueExtendedProperties is null ? "none" : string.Join(";", item.SingleValueExtendedProperties.Select(p => $"{p.Id}={p.Value}")))} "
            + (mapped is null ? $"problem: {problem}" : CalendarEventJson.Serialize(mapped));
    })];

    private static void AssertSame(ChangeFeed expected, ChangeFeed actual)
    {
        Assert.Equal(expected.IsFullSnapshot, actual.IsFullSnapshot);
        Assert.Equal(Lines(expected.Changed), Lines(actual.Changed));
        Assert.Equal(expected.Removed.OrderBy(r => r.Id, StringComparer.Ordinal), actual.Removed.OrderBy(r => r.Id, StringComparer.Ordinal));
        Assert.Equal(expected.Notes.OrderBy(n => n.EventId, StringComparer.Ordinal), actual.Notes.OrderBy(n => n.EventId, StringComparer.Ordinal));

        static List<string> Lines(IEnumerable<CalendarEvent> events) => [.. events.OrderBy(e => e.Id, StringComparer.Ordinal).Select(CalendarEventJson.Serialize)];
    }

    private GraphOutlookCalendar Adapter(bool sdk) => new(_host.Options, _host.Tokens, () => _host.Http, _host.Time) { ParsesDeltaPagesWithSdk = sdk };

    private async Task<SeededCorpus> SeedCorpusAsync()
    {
        _host.Emulator.SetMailboxTimeZone(User, "W. Europe Standard Time");
        string timed = Add("""
            {"subject":"Planning","body":{"contentType":"html","content":"<p>Agenda</p>"},
             "start":{"dateTime":"2026-11-26T09:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-26T10:30:00","timeZone":"W. Europe Standard Time"},
             "location":{"displayName":"Room 4"},"categories":["Red","Blue",""],"sensitivity":"private","showAs":"oof","isReminderOn":true,"reminderMinutesBeforeStart":30,
             "attendees":[{"type":"required","emailAddress":{"address":"bob@example.com","name":"Bob"}},
                          {"type":"optional","emailAddress":{"address":"carol@example.com","name":"carol@example.com"}},
                          {"type":"resource","emailAddress":{"address":"room4@example.com","name":"Room 4"}}]}
            """);
        string allDay = Add("""
            {"subject":"Holiday","isAllDay":true,"body":{"contentType":"text","content":"Off"},"showAs":"free","isReminderOn":false,"sensitivity":"confidential",
             "start":{"dateTime":"2026-12-24T00:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-27T00:00:00","timeZone":"UTC"}}
            """);
        Add("""{"subject":"New York","showAs":"workingElsewhere","sensitivity":"personal","start":{"dateTime":"2026-12-01T09:00:00","timeZone":"America/New_York"},"end":{"dateTime":"2026-12-01T09:45:00","timeZone":"America/New_York"}}""");
        Add("""{"subject":"Custom zone","originalStartTimeZone":"tzone://Microsoft/Custom","originalEndTimeZone":"tzone://Microsoft/Custom","start":{"dateTime":"2026-12-02T08:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-02T09:00:00","timeZone":"UTC"}}""");
        Add("""{"subject":"Teams","onlineMeeting":{"joinUrl":"https://teams.microsoft.com/l/meetup-join/abc"},"start":{"dateTime":"2026-12-04T13:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-04T13:30:00","timeZone":"UTC"}}""");
        Add("""{"subject":"Called off","isCancelled":true,"showAs":"tentative","start":{"dateTime":"2026-12-05T13:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-05T13:30:00","timeZone":"UTC"}}""");
        Add("""{"subject":"Unknown show-as","showAs":"unknown","start":{"dateTime":"2026-12-06T13:00:00.5","timeZone":"UTC"},"end":{"dateTime":"2026-12-06T13:30:00","timeZone":"UTC"}}""");
        Add("""{"subject":"Mars","originalStartTimeZone":"Mars Standard Time","originalEndTimeZone":"Mars Standard Time","start":{"dateTime":"2026-12-07T08:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T09:00:00","timeZone":"UTC"}}""");
        _host.Emulator.AddInvitation(User, """
            {"subject":"Invitation","start":{"dateTime":"2026-11-27T14:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-27T15:00:00","timeZone":"W. Europe Standard Time"},
             "attendees":[{"type":"required","emailAddress":{"address":"alice@example.com","name":"Alice"}},{"type":"optional","emailAddress":{"address":"dave@example.com","name":"Dave"}}]}
            """, "olga@example.com", "Olga");
        string answered = _host.Emulator.AddInvitation(User, """{"subject":"Answered","start":{"dateTime":"2026-11-28T14:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-28T15:00:00","timeZone":"UTC"}}""", "olga@example.com")["id"]!.GetValue<string>();
        _host.Emulator.UpdateEvent(User, answered, """{"responseStatus":{"response":"tentativelyAccepted"}}""");

        // A series with an exception and a deleted occurrence.
        string master = Add("""{"subject":"Weekly","start":{"dateTime":"2026-11-30T09:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-30T09:30:00","timeZone":"W. Europe Standard Time"},"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"numbered","startDate":"2026-11-30","numberOfOccurrences":8}}}""");
        List<string> instances = [.. _host.Emulator.GetInstances(User, master, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero)).Select(i => i["id"]!.GetValue<string>())];
        JsonObject exception = _host.Emulator.UpdateEvent(User, instances[2], """{"subject":"Weekly, this one later","start":{"dateTime":"2026-12-14T11:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-12-14T11:30:00","timeZone":"W. Europe Standard Time"}}""");
        _host.Emulator.DeleteEvent(User, instances[5]);

        // Created by the library (another adapter), so its host-id stamp is read back in a batch.
        var creator = new GraphOutlookCalendar(_host.Options, _host.Tokens, () => _host.Http, _host.Time);
        CalendarEvent created = new()
        {
            Subject = "From the host",
            CounterpartId = "host-1",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 8, 10, 0), new LocalDateTime(2026, 12, 8, 11, 0), "Europe/Lisbon"),
            OnlineMeetingUrl = new Uri("https://meet.example.com/host-1"),
        };
        Assert.True((await creator.WriteAsync(User, [EventWrite.Create(created)], default))[0].Succeeded);
        return new SeededCorpus(timed, allDay, exception["id"]!.GetValue<string>(), instances);
    }

    private string Add(string json) => _host.Emulator.AddEvent(User, json)["id"]!.GetValue<string>();

    private sealed record SeededCorpus(string Timed, string AllDay, string Exception, IReadOnlyList<string> Instances);

    /// <summary>
    /// Rewrites the delta pages the emulator sends into JSON Graph may send too: enum values in other casings, unknown properties
    /// and <c>@odata.etag</c>, nulls, dates with fewer fractional digits, a value of another kind, an unknown enum value, a start
    /// that is not an object (which the mapper cannot read: a note).
    /// </summary>
    private sealed class RewritingHandler : DelegatingHandler
    {
        public static int Rewritten { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.EndsWith("/calendarView/delta", StringComparison.OrdinalIgnoreCase) || !response.IsSuccessStatusCode)
            {
                return response;
            }

            JsonObject page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            foreach (JsonObject item in page["value"]!.AsArray().OfType<JsonObject>())
            {
                if (item.ContainsKey("@removed") || item["type"]?.GetValue<string>() is "occurrence")
                {
                    continue;
                }

                // The same rewrite of an item for both adapters, whatever page it comes in.
                Rewrite(item, item["id"]!.GetValue<string>().Sum(c => c));
                Rewritten++;
            }

            var rewritten = new HttpResponseMessage(response.StatusCode) { RequestMessage = request, Content = new StringContent(page.ToJsonString(), Encoding.UTF8, "application/json") };
            foreach (KeyValuePair<string, IEnumerable<string>> header in response.Headers)
            {
                rewritten.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Dispose();
            return rewritten;
        }

        private static void Rewrite(JsonObject item, int index)
        {
            // Read before the rewrites below, which may null the subject.
            bool startNotAnObject = item["subject"]?.GetValue<string>() == "New York";
            item["@odata.etag"] = $"W/\"etag-{index}\"";
            item["futureProperty"] = new JsonObject { ["nested"] = new JsonArray(1, 2.5, null, "x") };
            if (item["showAs"]?.GetValue<string>() is { } showAs)
            {
                item["showAs"] = index % 2 == 0 ? showAs.ToUpperInvariant() : char.ToUpperInvariant(showAs[0]) + showAs[1..];
            }

            if (item["type"]?.GetValue<string>() is { } type)
            {
                item["type"] = char.ToUpperInvariant(type[0]) + type[1..];
            }

            if (item["start"] is JsonObject start && start["dateTime"]?.GetValue<string>() is { } dateTime && dateTime.Contains('.', StringComparison.Ordinal))
            {
                start["dateTime"] = dateTime[..dateTime.IndexOf('.', StringComparison.Ordinal)];
            }

            if (item["lastModifiedDateTime"]?.GetValue<string>() is { } modified && modified.Contains('.', StringComparison.Ordinal))
            {
                item["lastModifiedDateTime"] = modified[..modified.IndexOf('.', StringComparison.Ordinal)] + "Z";
            }

            foreach (JsonObject attendee in (item["attendees"] as JsonArray ?? []).OfType<JsonObject>())
            {
                attendee["type"] = attendee["type"]?.GetValue<string>().ToUpperInvariant();
                attendee["proposedNewTime"] = null;
            }

            switch (index % 6)
            {
                case 1:
                    item["reminderMinutesBeforeStart"] = "15";
                    break;
                case 2:
                    item["sensitivity"] = "somethingNew";
                    item["categories"] = new JsonArray("Red", null, string.Empty);
                    break;
                case 3:
                    item.Remove("isAllDay");
                    item["subject"] = null;
                    item["responseStatus"] = null;
                    break;
                case 4:
                    item.Remove("originalStartTimeZone");
                    item["location"] = new JsonObject { ["displayName"] = null, ["locationType"] = "default" };
                    break;
            }

            if (startNotAnObject)
            {
                item["start"] = "not an object";
            }
        }
    }
}
