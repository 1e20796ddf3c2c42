using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// The streamed first sync (<c>SyncEngine.Streaming.cs</c>) against the whole-round path it replaces: the same scenario runs for
/// two mailboxes of one emulator, one through the Graph adapter (which streams) and one through the same adapter seen only as an
/// <see cref="IOutlookCalendar"/> (the whole-round path), over HTTP with the real <see cref="GraphServiceClient"/>, with pages of
/// 3 events so that rounds have many pages, and both must end with the same host calendar, Outlook calendar and links.
/// </summary>
public sealed class GraphStreamedFirstSyncTests : IAsyncLifetime
{
    private const string Streamed = "streamed";
    private const string Whole = "whole";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private static readonly Interval Everything = new(Instant.FromUtc(2020, 1, 1, 0, 0), Instant.FromUtc(2035, 1, 1, 0, 0));

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ocs-streamed-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];
    private GraphTestHost _host = null!;
    private InMemoryCalendarStore _local = null!;

    public async Task InitializeAsync()
    {
        _host = await GraphTestHost.StartAsync(Now, o =>
        {
            o.DeltaPageSize = 3;
            o.MaxThrottleRetries = 0;
        });
        _local = new InMemoryCalendarStore(_host.Clock);
        Directory.CreateDirectory(_folder);
    }

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string> Stores() => new() { "memory", "sqlite" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FirstSync_SinglesOverManyPages_SameAsWholeRoundAndWritesBeforeTheRoundEnds(string store)
    {
        var pages = new DeltaPageProbe(_local);
        (ISyncEngine streamed, ISyncEngine whole, ISyncStateStore state) = Engines(store, pages);
        foreach (string user in new[] { Streamed, Whole })
        {
            for (int i = 0; i < 14; i++)
            {
                SeedRemote(user, $"Single {i}", day: i % 9, hour: 8 + (i % 5));
            }
        }

        (SyncResult s, SyncResult w) = await RunBothAsync(streamed, whole);

        Assert.Equal(SyncRunStatus.Synced, s.Status);
        Assert.Equal(new SyncCounts(14, 0, 0), s.Host);
        await AssertSameAsync(state, s, w, expectedEvents: 14);

        // 14 events in pages of 3: at least 4 pages (the emulator, as Graph, may fill a page beyond the size asked). The streamed run had written events to the host calendar before it asked for the
        // round's last page; the whole-round run had written none.
        Assert.True(pages.HostCountAtPage[Streamed].Count >= 4, string.Join(",", pages.HostCountAtPage[Streamed]));
        Assert.True(pages.HostCountAtPage[Streamed][^1] >= 3, $"Host events when the last page was asked for: {pages.HostCountAtPage[Streamed][^1]}.");
        Assert.All(pages.HostCountAtPage[Whole], count => Assert.Equal(0, count));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FirstSync_SinglesAndSeries_SameAsWholeRound(string store)
    {
        (ISyncEngine streamed, ISyncEngine whole, ISyncStateStore state) = Engines(store);
        foreach (string user in new[] { Streamed, Whole })
        {
            for (int i = 0; i < 7; i++)
            {
                SeedRemote(user, $"Single {i}", day: i, hour: 9);
            }

            string daily = SeedSeries(user, "Daily standup", """{"type":"daily","interval":1}""", """{"type":"numbered","startDate":"2026-11-25","numberOfOccurrences":8,"recurrenceTimeZone":"W. Europe Standard Time"}""");
            SeedSeries(user, "Weekly review", """{"type":"weekly","interval":1,"daysOfWeek":["friday"]}""", """{"type":"numbered","startDate":"2026-11-27","numberOfOccurrences":4,"recurrenceTimeZone":"W. Europe Standard Time"}""");
            IReadOnlyList<JsonObject> instances = _host.Emulator.GetInstances(user, daily, new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero));
            _host.Emulator.UpdateEvent(user, (string)instances[2]["id"]!, """{"subject":"Daily standup (moved)","start":{"dateTime":"2026-11-27T11:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-27T11:30:00","timeZone":"W. Europe Standard Time"}}""");
            _host.Emulator.DeleteEvent(user, (string)instances[4]["id"]!);
        }

        (SyncResult s, SyncResult w) = await RunBothAsync(streamed, whole);

        Assert.Equal(SyncRunStatus.Synced, s.Status);
        Assert.Equal(10, s.Host.Created);
        await AssertSameAsync(state, s, w, expectedEvents: 10);
        Assert.Contains(_local.GetAll(Streamed), e => e.Subject == "Daily standup (moved)" && e.SeriesMasterId is not null);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FirstSync_HostEventsThatMatchOutlookEvents_SameAsWholeRound(string store)
    {
        (ISyncEngine streamed, ISyncEngine whole, ISyncStateStore state) = Engines(store);
        foreach (string user in new[] { Streamed, Whole })
        {
            for (int i = 0; i < 8; i++)
            {
                SeedRemote(user, $"Outlook only {i}", day: i, hour: 8);
            }

            // The same subject and time on both sides: paired, not copied.
            SeedRemote(user, "Both sides", day: 3, hour: 14);
            _local.Seed(user, Timed("Both sides", day: 3, hour: 14));

            // The same key twice in Outlook: not unique, so never paired; both are copied and the host event is pushed.
            SeedRemote(user, "Twice in Outlook", day: 4, hour: 10);
            SeedRemote(user, "Twice in Outlook", day: 4, hour: 10);
            _local.Seed(user, Timed("Twice in Outlook", day: 4, hour: 10));

            // The same iCalUId, different subjects: paired by iCalUId.
            string shared = SeedRemote(user, "Shared (Outlook's subject)", day: 5, hour: 11);
            string iCalUId = (string)_host.Emulator.GetEvent(user, shared)!["iCalUId"]!;
            _local.Seed(user, Timed("Shared (host's subject)", day: 5, hour: 11) with { ICalUId = iCalUId });

            _local.Seed(user, Timed("Host only", day: 6, hour: 16), Timed("Host only too", day: 7, hour: 16));
        }

        (SyncResult s, SyncResult w) = await RunBothAsync(streamed, whole);

        Assert.Equal(SyncRunStatus.Synced, s.Status);
        Assert.Equal(w.Outlook, s.Outlook);
        await AssertSameAsync(state, s, w, expectedEvents: 15);
        Assert.Single(_local.GetAll(Streamed), e => e.Subject == "Both sides");
        Assert.Equal(3, _local.GetAll(Streamed).Count(e => e.Subject == "Twice in Outlook"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FirstSync_IdsReplayedAndRemovedInLaterPages_SameAsWholeRound(string store)
    {
        var replays = new ReplayingHandler(_host.Emulator);
        (ISyncEngine streamed, ISyncEngine whole, ISyncStateStore state) = Engines(store, replays);
        foreach (string user in new[] { Streamed, Whole })
        {
            for (int i = 0; i < 15; i++)
            {
                SeedRemote(user, $"Single {i}", day: i % 10, hour: 7 + (i % 6));
            }
        }

        (SyncResult s, SyncResult w) = await RunBothAsync(streamed, whole);

        Assert.Equal(SyncRunStatus.Synced, s.Status);
        Assert.Equal(2, replays.Replayed[Streamed]);
        Assert.Equal(2, replays.Replayed[Whole]);

        // One event came again changed (one host event, with the later subject); another came again removed (no host event).
        await AssertSameAsync(state, s, w, expectedEvents: 14, sameCounts: false);
        foreach (string user in new[] { Streamed, Whole })
        {
            Assert.Single(_local.GetAll(user), e => e.Subject == replays.ChangedSubject[user] + " (changed during the round)");
            Assert.DoesNotContain(_local.GetAll(user), e => e.Subject == replays.ChangedSubject[user] || e.Subject == replays.RemovedSubject[user]);
        }

        // The streamed run created both in the host calendar from the first page, then updated one and deleted the other.
        Assert.Equal(new SyncCounts(15, 1, 1), s.Host);
        Assert.Equal(new SyncCounts(14, 0, 0), w.Host);

        // The next runs of both agree and write nothing more.
        _host.Clock.Advance(Duration.FromMinutes(5));
        (SyncResult s2, SyncResult w2) = await RunBothAsync(streamed, whole);
        Assert.Equal(0, s2.TotalWrites);
        Assert.Equal(0, w2.TotalWrites);
        await AssertSameAsync(state, s2, w2, expectedEvents: 14);
    }

    [Theory]
    [InlineData("memory", 3)]
    [InlineData("sqlite", 3)]
    [InlineData("memory", 5)]
    public async Task FirstSync_PageReadFailsMidRound_NextRunCompletesWithoutDuplicatesOrLoss(string store, int failingRequest)
    {
        (ISyncEngine streamed, ISyncEngine whole, ISyncStateStore state) = Engines(store);
        foreach (string user in new[] { Streamed, Whole })
        {
            for (int i = 0; i < 14; i++)
            {
                SeedRemote(user, $"Single {i}", day: i % 9, hour: 8 + (i % 5));
            }

            _local.Seed(user, Timed("Host only", day: 2, hour: 18));
        }

        foreach ((string user, ISyncEngine engine) in new[] { (Streamed, streamed), (Whole, whole) })
        {
            // A 503 on the round's k-th page, with no retry left: the run stops there.
            using (_host.Emulator.InjectFault(GraphFault.ServiceUnavailable() with { PathPattern = "^/me/calendarView/delta", EveryNth = failingRequest, Times = 1 }))
            {
                SyncResult failed = await engine.SyncAsync(user);
                Assert.Equal(SyncRunStatus.Throttled, failed.Status);
            }

            SyncResult next = await engine.SyncAsync(user);
            Assert.Equal(SyncRunStatus.Synced, next.Status);
            Assert.Empty(next.Failures);
        }

        await AssertSameAsync(state, null, null, expectedEvents: 15);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FirstSync_CancelledAfterSomePages_NextRunCompletesWithoutDuplicatesOrLoss(string store)
    {
        // Cancelled when the 4th of 5 pages arrives: the streamed run has taken the 2nd page, so it has written the 1st.
        var cancel = new CancellingHandler(afterDeltaPages: 4);
        (ISyncEngine streamed, ISyncEngine whole, ISyncStateStore state) = Engines(store, cancel);
        foreach (string user in new[] { Streamed, Whole })
        {
            for (int i = 0; i < 14; i++)
            {
                SeedRemote(user, $"Single {i}", day: i % 9, hour: 8 + (i % 5));
            }

            _local.Seed(user, Timed("Host only", day: 2, hour: 18), Timed("Single 5", day: 5, hour: 8));
        }

        foreach ((string user, ISyncEngine engine) in new[] { (Streamed, streamed), (Whole, whole) })
        {
            using var source = new CancellationTokenSource();
            cancel.Arm(user, source);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.SyncAsync(user, source.Token));
            SyncStateHeader? header = await state.GetHeaderAsync(user, default);
            IReadOnlyList<StoredLink> journaled = await state.GetLinksAsync(user, default);
            if (user == Streamed)
            {
                // Links journaled, no cursor: the next run is a full resync with links, on the whole-round path.
                Assert.NotEmpty(journaled);
                Assert.Null(header!.OutlookCursor);
            }
            else
            {
                Assert.Empty(journaled);
            }

            SyncResult next = await engine.SyncAsync(user);
            Assert.Equal(SyncRunStatus.Synced, next.Status);
            Assert.Empty(next.Failures);
        }

        await AssertSameAsync(state, null, null, expectedEvents: 15);
    }

    private (ISyncEngine Streamed, ISyncEngine Whole, ISyncStateStore State) Engines(string store, DelegatingHandler? handler = null)
    {
        ISyncStateStore state = store == "sqlite"
            ? new SqliteSyncStateStore(new SqliteStoreOptions { DatabasePath = Path.Combine(_folder, "state.db") }, _host.Clock)
            : new InMemorySyncStateStore(_host.Clock);
        HttpClient http = _host.Http;
        if (handler is not null)
        {
            handler.InnerHandler = new HttpClientHandler();
            http = GraphClientFactory.Create(GraphHttpPipeline.CreateHandlers(_host.Options, _host.Time), finalHandler: handler);
        }

        // The same adapter for both; the whole-round engine sees it only as an IOutlookCalendar.
        var calendar = new GraphOutlookCalendar(_host.Options, _host.Tokens, () => http, _host.Time);
        Assert.IsAssignableFrom<IOutlookRoundPages>(calendar);
        return (Build(calendar), Build(new WholeRound(calendar)), state);

        ISyncEngine Build(IOutlookCalendar outlook)
        {
            ServiceProvider provider = _host.BuildSyncServices(_local, state, outlook);
            _providers.Add(provider);
            return provider.GetRequiredService<ISyncEngine>();
        }
    }

    private static async Task<(SyncResult Streamed, SyncResult Whole)> RunBothAsync(ISyncEngine streamed, ISyncEngine whole)
        => (await streamed.SyncAsync(Streamed), await whole.SyncAsync(Whole));

    /// <summary>
    /// Both mailboxes end the same: the same host events, the same Outlook events, the host and Outlook calendars equal (every
    /// event on both sides once), every link joining two events of the same content, and (unless told) the same counts.
    /// </summary>
    private async Task AssertSameAsync(ISyncStateStore state, SyncResult? streamed, SyncResult? whole, int expectedEvents, bool sameCounts = true)
    {
        var calendars = new Dictionary<string, (List<ulong> Host, List<ulong> Outlook, List<(ulong, ulong)> Links)>();
        foreach (string user in new[] { Streamed, Whole })
        {
            IReadOnlyList<CalendarEvent> host = _local.GetAll(user);
            ChangeFeed outlook = await _host.Calendar.GetChangesAsync(user, null, Everything, default);
            IReadOnlyList<StoredLink> links = await state.GetLinksAsync(user, default);
            Dictionary<string, CalendarEvent> hostById = host.ToDictionary(e => e.Id!);
            Dictionary<string, CalendarEvent> outlookById = outlook.Changed.ToDictionary(e => e.Id!);
            Assert.Equal(expectedEvents, host.Count);
            Assert.Equal(expectedEvents, outlook.Changed.Count);
            Assert.Equal(expectedEvents, links.Count);
            var linkHashes = new List<(ulong, ulong)>();
            foreach (StoredLink link in links)
            {
                Assert.True(hostById.TryGetValue(link.HostId, out CalendarEvent? h), $"{user}: the link of {link.HostId} names no host event.");
                Assert.True(outlookById.TryGetValue(link.OutlookId, out CalendarEvent? o), $"{user}: the link of {link.OutlookId} names no Outlook event.");
                Assert.Equal(h!.ContentHash, o!.ContentHash);
                linkHashes.Add((h.ContentHash, o.ContentHash));
            }

            List<ulong> hostHashes = [.. host.Select(e => e.ContentHash).Order()];
            List<ulong> outlookHashes = [.. outlook.Changed.Select(e => e.ContentHash).Order()];
            Assert.Equal(hostHashes, outlookHashes);
            calendars[user] = (hostHashes, outlookHashes, [.. linkHashes.Order()]);
        }

        Assert.Equal(calendars[Whole].Host, calendars[Streamed].Host);
        Assert.Equal(calendars[Whole].Outlook, calendars[Streamed].Outlook);
        Assert.Equal(calendars[Whole].Links, calendars[Streamed].Links);
        if (streamed is not null && whole is not null)
        {
            Assert.Equal(whole.Status, streamed.Status);
            Assert.Equal(whole.Failures.Count, streamed.Failures.Count);
            Assert.Equal(whole.Notes.Count, streamed.Notes.Count);
            if (sameCounts)
            {
                Assert.Equal(whole.Host, streamed.Host);
                Assert.Equal(whole.Outlook, streamed.Outlook);
                Assert.Equal(whole.Linked, streamed.Linked);
            }
        }
    }

    private string SeedRemote(string user, string subject, int day, int hour)
    {
        LocalDateTime start = new LocalDateTime(2026, 11, 25, hour, 0).PlusDays(day);
        return _host.Emulator.AddEvent(user, $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{Iso(start)}}}","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{Iso(start.PlusMinutes(45))}}}","timeZone":"W. Europe Standard Time"}}""")["id"]!.GetValue<string>();
    }

    private string SeedSeries(string user, string subject, string pattern, string range)
        => _host.Emulator.AddEvent(user, $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"2026-11-25T09:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-25T09:30:00","timeZone":"W. Europe Standard Time"},"recurrence":{"pattern":{{{pattern}}},"range":{{{range}}}}}""")["id"]!.GetValue<string>();

    /// <summary>The host's copy of what <see cref="SeedRemote"/> puts in Outlook.</summary>
    private static CalendarEvent Timed(string subject, int day, int hour)
    {
        LocalDateTime start = new LocalDateTime(2026, 11, 25, hour, 0).PlusDays(day);
        return new CalendarEvent { Subject = subject, Timing = EventTiming.Timed(start, start.PlusMinutes(45), "Europe/Berlin") };
    }

    private static string Iso(LocalDateTime value) => value.ToString("uuuu-MM-dd'T'HH:mm:ss", null);

    private static string UserOf(HttpRequestMessage request) => request.Headers.Authorization?.Parameter ?? string.Empty;

    private static bool IsDeltaPage(HttpRequestMessage request)
        => request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith("/calendarView/delta", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Graph adapter seen only as an <see cref="IOutlookCalendar"/>: the engine reads its rounds whole.</summary>
    private sealed class WholeRound(IOutlookCalendar inner) : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, cancellationToken);

        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, linked, cancellationToken);

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, window, cancellationToken);

        public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken) => inner.GetManyAsync(userId, eventIds, window, cancellationToken);

        public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken) => inner.WriteAsync(userId, writes, cancellationToken);
    }

    /// <summary>Notes, for each delta page asked for, how many events the user's host calendar held at that moment.</summary>
    private sealed class DeltaPageProbe(InMemoryCalendarStore local) : DelegatingHandler
    {
        public Dictionary<string, List<int>> HostCountAtPage { get; } = new(StringComparer.Ordinal);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (IsDeltaPage(request))
            {
                string user = UserOf(request);
                lock (HostCountAtPage)
                {
                    (HostCountAtPage.TryGetValue(user, out List<int>? counts) ? counts : HostCountAtPage[user] = []).Add(local.GetAll(user).Count);
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Cancels an armed user's run once it has received a number of delta pages.</summary>
    private sealed class CancellingHandler(int afterDeltaPages) : DelegatingHandler
    {
        private readonly Dictionary<string, (CancellationTokenSource Source, int Pages)> _armed = new(StringComparer.Ordinal);

        public void Arm(string user, CancellationTokenSource source)
        {
            lock (_armed)
            {
                _armed[user] = (source, 0);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (IsDeltaPage(request))
            {
                lock (_armed)
                {
                    string user = UserOf(request);
                    if (_armed.TryGetValue(user, out (CancellationTokenSource Source, int Pages) armed))
                    {
                        _armed[user] = armed with { Pages = armed.Pages + 1 };
                        if (armed.Pages + 1 == afterDeltaPages)
                        {
                            _armed.Remove(user);
                            armed.Source.Cancel();
                        }
                    }
                }
            }

            return response;
        }
    }

    /// <summary>
    /// Plays what Graph does with an event changed or deleted while a round is read: the round reports it again in a later page.
    /// In each user's first round, the first event of the first page is changed in the mailbox when the third page is served and
    /// reported again in it; the second event of the first page is deleted when the fourth page is served and reported removed.
    /// </summary>
    private sealed class ReplayingHandler(GraphEmulator emulator) : DelegatingHandler
    {
        private readonly Dictionary<string, (int Page, List<string> FirstPageIds)> _rounds = new(StringComparer.Ordinal);

        public Dictionary<string, int> Replayed { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> ChangedSubject { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> RemovedSubject { get; } = new(StringComparer.Ordinal);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (!IsDeltaPage(request) || !response.IsSuccessStatusCode)
            {
                return response;
            }

            string user = UserOf(request);
            string query = request.RequestUri!.Query;
            if (query.Contains("deltatoken", StringComparison.OrdinalIgnoreCase) || (Replayed.ContainsKey(user) && !_rounds.ContainsKey(user)))
            {
                return response;
            }

            JsonObject page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            JsonArray items = page["value"]!.AsArray();
            (int index, List<string> firstIds) = _rounds.GetValueOrDefault(user, (0, []));
            if (index == 0)
            {
                firstIds.AddRange(items.OfType<JsonObject>().Select(i => (string)i["id"]!));
            }
            else if (index == 2)
            {
                string subject = (string)emulator.GetEvent(user, firstIds[0])!["subject"]!;
                ChangedSubject[user] = subject;
                JsonObject changed = emulator.UpdateEvent(user, firstIds[0], $$"""{"subject":"{{subject}} (changed during the round)"}""");
                items.Add(emulator.GetEvent(user, (string)changed["id"]!)!.DeepClone());
                Replayed[user] = Replayed.GetValueOrDefault(user) + 1;
            }
            else if (index == 3)
            {
                RemovedSubject[user] = (string)emulator.GetEvent(user, firstIds[1])!["subject"]!;
                emulator.DeleteEvent(user, firstIds[1]);
                items.Add(new JsonObject { ["@odata.type"] = "#microsoft.graph.event", ["id"] = firstIds[1], ["@removed"] = new JsonObject { ["reason"] = "deleted" } });
                Replayed[user] = Replayed.GetValueOrDefault(user) + 1;
            }

            if (page.ContainsKey("@odata.deltaLink"))
            {
                _rounds.Remove(user);
            }
            else
            {
                _rounds[user] = (index + 1, firstIds);
            }

            var rewritten = new HttpResponseMessage(response.StatusCode) { RequestMessage = request, Content = new StringContent(page.ToJsonString(), Encoding.UTF8, "application/json") };
            foreach (KeyValuePair<string, IEnumerable<string>> header in response.Headers)
            {
                rewritten.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Dispose();
            return rewritten;
        }
    }
}
