using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Benchmarks.Memory;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Benchmarks.Table;

/// <summary>
/// Every workload of issue 12's table in one command, each next to a naive Graph SDK loop where one applies, measured in the same
/// run: the emulator runs in child processes (EmulatorHost), the library in this one with SQLite stores as a host would configure
/// it, and the first sync's peak memory in a fresh process of its own (<see cref="MeasuredRun"/>).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/OutlookCalendarSync.Benchmarks -- --table [--quick] [--latency 50] [--only linked,pull,push,firstsync,series]</c>
/// (<c>--only</c> measures some groups of rows). Requests
/// are HTTP round trips counted on the wire, inside the SDK's retry handler (the writes inside a <c>$batch</c> are not round trips);
/// 429 answers are counted the same way. Times are wall times, allocations <see cref="GC.GetTotalAllocatedBytes(bool)"/> of this
/// process (the emulator allocates in its own). The "10 changes" and "quiet" rows are the median of 3 runs after one warm-up.
/// </remarks>
internal static class IssueTable
{
    /// <summary>The argument that starts the table instead of BenchmarkDotNet.</summary>
    public const string Argument = "--table";

    /// <summary>The clock of the other benchmarks: the seeded events (2026-01-01 onwards) are inside the default window.</summary>
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private sealed record Sizes(int[] Linked, int HundredVs, int Pull, int Push, int FirstSync, int Series);

    private sealed record Row(string Workload, string Ours, string NaiveTop10, string NaiveTop1000, string Target);

    private sealed record Measured(TimeSpan Time, long Allocated, int Requests, int Throttled, SyncResult? Result)
    {
        /// <summary>Gets the part of <see cref="Time"/> the requests spent on the wire (the emulator's work and the loopback).</summary>
        public TimeSpan Wire { get; init; }

        /// <summary>Gets the part of <see cref="Time"/> spent in the SQLite host calendar store.</summary>
        public TimeSpan HostStore { get; init; }

        /// <summary>Gets the part of <see cref="Time"/> spent in the SQLite sync state store.</summary>
        public TimeSpan StateStore { get; init; }

        /// <summary>Gets where the time went: on the wire, in each store, and the rest (the engine and the SDK in this process).</summary>
        public string Split => $"wire {Ms(Wire)}, host store {Ms(HostStore)}, state store {Ms(StateStore)}, rest {Ms(Time - Wire - HostStore - StateStore)}";
    }

    public static async Task<int> RunAsync(string[] args)
    {
        bool quick = false;
        int latencyMs = 50;
        string[] groups = ["linked", "pull", "push", "firstsync", "series"];
        HashSet<string> only = [.. groups];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--latency" when i + 1 < args.Length:
                    latencyMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--only" when i + 1 < args.Length && args[i + 1].Split(',').All(groups.Contains):
                    only = [.. args[++i].Split(',')];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option '{args[i]}'. Usage: {Argument} [--quick] [--latency 50] [--only {string.Join(',', groups)}]");
                    return 2;
            }
        }

        Sizes sizes = quick
            ? new Sizes([1_000, 10_000], 10_000, 2_000, 200, 10_000, 500)
            : new Sizes([1_000, 10_000, 50_000, 100_000], 10_000, 10_000, 1_000, 100_000, 10_000);
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        Console.WriteLine($"// Issue 12 table{(quick ? " (--quick: reduced sizes)" : string.Empty)}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores.");
        Console.WriteLine($"// Emulator in child processes; SQLite host calendar and sync state; {latencyMs} ms latency where the row says so, 0 ms elsewhere.");
        string folder = Directory.CreateTempSubdirectory("ocs-issue-table-").FullName;
        var rows = new List<Row>();
        bool ok = true;
        try
        {
            // Each group's rows are printed as soon as they are measured (a long full-size run leaves its figures even if stopped).
            foreach (string group in groups.Where(only.Contains))
            {
                int before = rows.Count;
                ok &= group switch
                {
                    "linked" => await LinkedRowsAsync(sizes, folder, rows),
                    "pull" => await PullRowAsync(sizes.Pull, latency, folder, rows),
                    "push" => await PushRowAsync(sizes.Push, latency, folder, rows),
                    "firstsync" => await FirstSyncRowAsync(sizes.FirstSync, folder, rows),
                    _ => await SeriesRowAsync(sizes.Series, folder, rows),
                };
                foreach (Row row in rows.Skip(before))
                {
                    Console.WriteLine($"// row ({DateTime.UtcNow:HH:mm:ss} UTC): {row.Workload}: {row.Ours}");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("| workload | OutlookCalendarSync | naive SDK loop, page size 10 | naive SDK loop, `$top=1000` | target (issue 12) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (Row row in rows)
        {
            Console.WriteLine($"| {row.Workload} | {row.Ours} | {row.NaiveTop10} | {row.NaiveTop1000} | {row.Target} |");
        }

        return ok ? 0 : 1;
    }

    /// <summary>10 changes at each size of linked calendar, the quiet run and the memory kept at the largest, 100 + 100 changes.</summary>
    private static async Task<bool> LinkedRowsAsync(Sizes sizes, string folder, List<Row> rows)
    {
        bool ok = true;
        var tenChanges = new List<string>();
        Measured? quiet = null;
        long kept = 0;
        int largest = sizes.Linked.Max();
        foreach (int linked in sizes.Linked)
        {
            string user = $"linked-{linked}";
            await using EmulatorHostProcess emulator = await EmulatorHostProcess.StartAsync(user, linked, TimeSpan.Zero);
            var clock = new FakeClock(Now);
            var counter = new RequestCounter();
            long heapBefore;
            await using (TableEngine engine = TableEngine.Create(emulator.GraphBaseUrl, Path.Combine(folder, $"{user}.db"), clock, counter))
            {
                heapBefore = FullCollection();
                Measured first = await MeasureSyncAsync(engine, user, counter);
                Console.WriteLine($"// {linked:N0} linked: first sync {first.Time.TotalSeconds:0.0} s, {first.Requests} requests, {first.Result!.Host.Created:N0} host creates.");
                ok &= Completed(first);
                for (int settle = 0; settle < 2; settle++)
                {
                    clock.Advance(Duration.FromMinutes(1));
                    ok &= Completed(await MeasureSyncAsync(engine, user, counter));
                }

                using var naive = NaiveClient.Create(emulator.GraphBaseUrl, user, counter);
                IReadOnlyList<CalendarEvent> hostEvents = engine.HostStore.GetAll(user);
                int next = 0;
                var rounds = new List<Measured>();
                for (int round = 0; round < 4; round++)
                {
                    clock.Advance(Duration.FromMinutes(1));
                    for (int i = 0; i < 5; i++)
                    {
                        await engine.EditHostAsync(user, hostEvents[next++].Id!, $"Host edit {round}");
                        await naive.PatchLocationAsync(hostEvents[next++].CounterpartId!, $"Outlook edit {round}");
                    }

                    Measured run = await MeasureSyncAsync(engine, user, counter);
                    ok &= Completed(run);
                    if (round > 0)
                    {
                        rounds.Add(run);
                    }
                }

                Measured median = Median(rounds);
                tenChanges.Add($"{linked:N0}: {Ms(median.Time)} ({median.Split}), {Mb(median.Allocated)} allocated, {median.Requests} requests");
                Console.WriteLine($"// {linked:N0} linked, 10 changes: " + string.Join("; ", rounds.Select(r => $"{Ms(r.Time)} ({r.Split}) {Mb(r.Allocated)} {r.Requests} req")));

                if (linked == sizes.HundredVs)
                {
                    clock.Advance(Duration.FromMinutes(1));
                    await HundredAndHundredAsync(engine, naive, user, hostEvents, next);
                    Measured hundred = await MeasureSyncAsync(engine, user, counter);
                    ok &= Completed(hundred);
                    rows.Add(new Row(
                        $"100 changes on each side (50 edits, 25 creates, 25 deletions) vs {linked:N0} linked",
                        $"{hundred.Requests} requests, {Ms(hundred.Time)} (host {Counts(hundred.Result!.Host)}, Outlook {Counts(hundred.Result.Outlook)})",
                        "—",
                        "—",
                        "≤ 10 requests"));
                }

                if (linked == largest)
                {
                    var quietRuns = new List<Measured>();
                    for (int run = 0; run < 5; run++)
                    {
                        clock.Advance(Duration.FromMinutes(1));
                        Measured measured = await MeasureSyncAsync(engine, user, counter);
                        ok &= Completed(measured);
                        if (run > 1)
                        {
                            quietRuns.Add(measured);
                        }
                    }

                    quiet = Median(quietRuns);
                    Console.WriteLine($"// {linked:N0} linked, quiet: " + string.Join("; ", quietRuns.Select(r => $"{Ms(r.Time)} ({r.Split}) {Mb(r.Allocated)} {r.Requests} req {r.Result!.Status}")));
                    // The benchmark's own copy of the host calendar (read above to pick the events it edits) lives in this async
                    // method's state machine: drop it, or the figure counts it as memory the library kept.
                    hostEvents = [];
                    kept = FullCollection() - heapBefore;
                }
            }
        }

        rows.Insert(0, new Row(
            "10 changes (5 per side), user with " + string.Join(" / ", sizes.Linked.Select(n => n.ToString("N0", CultureInfo.InvariantCulture))) + " linked events",
            string.Join("; ", tenChanges),
            "—",
            "—",
            "at 100k: < 50 ms, < 10 MB allocated, within 2× of 1k"));
        if (quiet is not null)
        {
            rows.Insert(1, new Row($"quiet run, {largest:N0} linked", $"{quiet.Requests} request(s), {Ms(quiet.Time)}, {Mb(quiet.Allocated)} allocated", "—", "—", "1 request, milliseconds"));
            rows.Add(new Row(
                $"memory kept after the runs ({largest:N0} linked, services alive)",
                $"{Mb(kept)} managed heap above the heap before the first sync (full GC both times)",
                "—",
                "—",
                "bounded"));
        }

        return ok;
    }

    /// <summary>Host: 50 edits, 25 creates, 25 deletions; Outlook the same, none of them on the same events.</summary>
    private static async Task HundredAndHundredAsync(TableEngine engine, NaiveClient naive, string user, IReadOnlyList<CalendarEvent> hostEvents, int next)
    {
        for (int i = 0; i < 50; i++)
        {
            await engine.EditHostAsync(user, hostEvents[next++].Id!, "Host edit 100");
            await naive.PatchLocationAsync(hostEvents[next++].CounterpartId!, "Outlook edit 100");
        }

        for (int i = 0; i < 25; i++)
        {
            await engine.DeleteHostAsync(user, hostEvents[next++].Id!);
            await naive.DeleteAsync(hostEvents[next++].CounterpartId!);
            await engine.HostStore.CreateAsync(user, EventWrite.Create(NewEvent($"Host new {i}", i)), default);
            await naive.CreateAsync(NewEvent($"Outlook new {i}", i + 100));
        }
    }

    private static async Task<bool> PullRowAsync(int count, TimeSpan latency, string folder, List<Row> rows)
    {
        const string User = "pull";
        await using EmulatorHostProcess emulator = await EmulatorHostProcess.StartAsync(User, count, latency);
        var counter = new RequestCounter();
        Measured ours;
        await using (TableEngine engine = TableEngine.Create(emulator.GraphBaseUrl, Path.Combine(folder, "pull.db"), new FakeClock(Now), counter))
        {
            ours = await MeasureSyncAsync(engine, User, counter);
        }

        using var naive = NaiveClient.Create(emulator.GraphBaseUrl, User, counter);
        Measured top10 = await MeasureAsync(counter, () => naive.ListWindowAsync(pageSize: 10));
        Measured top1000 = await MeasureAsync(counter, () => naive.ListWindowAsync(pageSize: 1000));
        rows.Add(new Row(
            $"pull {count:N0} events ({latency.TotalMilliseconds:0} ms latency; ours: the whole first sync into SQLite)",
            $"{ours.Requests} requests, {Sec(ours.Time)} ({ours.Result!.Host.Created:N0} created)",
            $"{top10.Requests} requests, {Sec(top10.Time)}",
            $"{top1000.Requests} requests, {Sec(top1000.Time)}",
            "≤ 10 requests (10,000 events), no slower than `$top=1000`"));
        return Completed(ours);
    }

    private static async Task<bool> PushRowAsync(int count, TimeSpan latency, string folder, List<Row> rows)
    {
        const string User = "push";
        await using EmulatorHostProcess emulator = await EmulatorHostProcess.StartAsync(User, 0, latency);
        var counter = new RequestCounter();
        Measured ours;
        await using (TableEngine engine = TableEngine.Create(emulator.GraphBaseUrl, Path.Combine(folder, "push.db"), new FakeClock(Now), counter))
        {
            for (int i = 0; i < count; i++)
            {
                await engine.HostStore.CreateAsync(User, EventWrite.Create(NewEvent($"Host event {i}", i)), default);
            }

            ours = await MeasureSyncAsync(engine, User, counter);
        }

        using var naive = NaiveClient.Create(emulator.GraphBaseUrl, "push-naive", counter);
        Measured posts = await MeasureAsync(counter, async () =>
        {
            for (int i = 0; i < count; i++)
            {
                await naive.CreateAsync(NewEvent($"Host event {i}", i));
            }

            return count;
        });
        rows.Add(new Row(
            $"push {count:N0} new host events ({latency.TotalMilliseconds:0} ms latency)",
            $"{ours.Requests} requests, {Sec(ours.Time)}, {ours.Throttled} throttled ({ours.Result!.Outlook.Created:N0} created)",
            $"one POST per event: {posts.Requests} requests, {Sec(posts.Time)}, {posts.Throttled} throttled",
            "—",
            "≤ 51 requests (1,000), ≥ 2× faster than 51 sequential, 0 throttled"));
        return Completed(ours);
    }

    private static async Task<bool> FirstSyncRowAsync(int count, string folder, List<Row> rows)
    {
        const string Mailbox = "first-sync";
        await using EmulatorHostProcess emulator = await EmulatorHostProcess.StartAsync(Mailbox, count, TimeSpan.Zero);
        RunReport report = await FirstSyncMemory.MeasureAsync(emulator.GraphBaseUrl, Mailbox, Mailbox, MeasuredPhase.Sync, Path.Combine(folder, "first-sync.db"), details: false);
        rows.Add(new Row(
            $"first sync, {count:N0} Outlook events (a fresh process; peak working set sampled every 5 ms)",
            string.Create(CultureInfo.InvariantCulture, $"{report.WallTime.TotalSeconds:0.0} s, {report.PeakWorkingSetSampled / (1024 * 1024)} MB peak working set, {report.PeakHeap / (1024 * 1024)} MB peak heap, {report.Allocated / (1024 * 1024):N0} MB allocated ({report.Status}, {report.Events:N0} events)"),
            "—",
            "—",
            "< 15 s and < 250 MB peak (100,000)"));
        return report.Failures == 0 && report.Status is "Synced";
    }

    private static async Task<bool> SeriesRowAsync(int count, string folder, List<Row> rows)
    {
        const string User = "series";
        await using EmulatorHostProcess emulator = await EmulatorHostProcess.StartAsync(User, 0, TimeSpan.Zero, series: count);
        var counter = new RequestCounter();
        await using TableEngine engine = TableEngine.Create(emulator.GraphBaseUrl, Path.Combine(folder, "series.db"), new FakeClock(Now), counter);
        Measured ours = await MeasureSyncAsync(engine, User, counter);
        rows.Add(new Row(
            $"first sync with {count:N0} series (20 weekly occurrences each)",
            $"{ours.Requests} requests, {Sec(ours.Time)} ({ours.Result!.Host.Created:N0} created)",
            "—",
            "—",
            "< 200 requests (10,000 series)"));
        return Completed(ours);
    }

    private static async Task<Measured> MeasureSyncAsync(TableEngine engine, string user, RequestCounter counter)
    {
        SyncResult? result = null;
        TimeSpan host = engine.Timer.Host;
        TimeSpan state = engine.Timer.State;
        Measured measured = await MeasureAsync(counter, async () => (result = await engine.Engine.SyncAsync(user)).TotalWrites);
        return measured with { Result = result, HostStore = engine.Timer.Host - host, StateStore = engine.Timer.State - state };
    }

    private static async Task<Measured> MeasureAsync(RequestCounter counter, Func<Task<int>> operation)
    {
        int requests = counter.Requests;
        int throttled = counter.ThrottledCount;
        TimeSpan wire = counter.WireTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var time = Stopwatch.StartNew();
        await operation();
        time.Stop();
        return new Measured(time.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocated, counter.Requests - requests, counter.ThrottledCount - throttled, null)
        {
            Wire = counter.WireTime - wire,
        };
    }

    private static bool Completed(Measured measured)
    {
        if (measured.Result is { Status: SyncRunStatus.Synced or SyncRunStatus.NothingNew, Failures.Count: 0 })
        {
            return true;
        }

        Console.WriteLine($"// NOT COMPLETED: {measured.Result?.Status} {measured.Result?.Message} ({measured.Result?.Failures.Count} failures; first: {(measured.Result is { Failures.Count: > 0 } failed ? failed.Failures[0].Reason : "none")})");
        return false;
    }

    private static Measured Median(List<Measured> runs)
    {
        List<Measured> byTime = [.. runs.OrderBy(r => r.Time)];
        return byTime[byTime.Count / 2];
    }

    private static CalendarEvent NewEvent(string subject, int i) => new()
    {
        Subject = subject,
        Location = $"Room {i % 40}",
        Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 1, 8, 0).PlusDays(i % 300).PlusHours(i / 300 % 10), new LocalDateTime(2026, 12, 1, 8, 45).PlusDays(i % 300).PlusHours(i / 300 % 10), "Europe/Berlin"),
    };

    private static long FullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Counts(SyncCounts counts) => $"+{counts.Created} ~{counts.Updated} −{counts.Deleted}";

    private static string Ms(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.0} ms");

    private static string Sec(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00} s");

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB");

    /// <summary>The library as a host configures it (SQLite stores, the Graph adapter), its HTTP requests counted on the wire.</summary>
    private sealed class TableEngine : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        private TableEngine(ServiceProvider provider, StoreTimer timer)
        {
            _provider = provider;
            Engine = provider.GetRequiredService<ISyncEngine>();
            HostStore = provider.GetRequiredService<SqliteCalendarStore>();
            Timer = timer;
        }

        /// <summary>Gets the time the engine spent in each store (the host's own edits through <see cref="HostStore"/> are not counted).</summary>
        public StoreTimer Timer { get; }

        public ISyncEngine Engine { get; }

        public SqliteCalendarStore HostStore { get; }

        public static TableEngine Create(Uri graphBaseUrl, string databasePath, FakeClock clock, RequestCounter counter)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IClock>(clock);
            services.AddOutlookCalendarSync()
                .UseSqliteStores(o => o.DatabasePath = databasePath)
                .UseAccessTokenProvider(new UserIsToken())
                .UseMicrosoftGraph(o => o.GraphBaseUrl = graphBaseUrl);

            // The engine reaches both stores through decorators that add up the time spent in them.
            var timer = new StoreTimer();
            services.Replace(ServiceDescriptor.Singleton<ICalendarStore>(sp => new TimedCalendarStore(sp.GetRequiredService<SqliteCalendarStore>(), timer)));
            services.Replace(ServiceDescriptor.Singleton<ISyncStateStore>(_ => new TimedStateStore(new SqliteSyncStateStore(new SqliteStoreOptions { DatabasePath = databasePath }, clock), timer)));

            // The library's own pipeline (retry handler and all), with the counter as its last handler: it sees every wire request.
            services.AddHttpClient(MicrosoftGraphBuilderExtensions.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(sp => GraphClientFactory.CreatePipeline(
                    GraphHttpPipeline.CreateHandlers(sp.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value, sp.GetRequiredService<TimeProvider>()),
                    new CountingHandler(counter)));
            return new TableEngine(services.BuildServiceProvider(), timer);
        }

        public async Task EditHostAsync(string user, string id, string location)
        {
            CalendarEvent current = await HostStore.GetAsync(user, id, default) ?? throw new InvalidOperationException($"Host event {id} is gone.");
            await HostStore.UpdateAsync(user, EventWrite.Update(id, current.Version, current with { Location = location }, EventFields.Location), default);
        }

        public async Task DeleteHostAsync(string user, string id)
        {
            CalendarEvent current = await HostStore.GetAsync(user, id, default) ?? throw new InvalidOperationException($"Host event {id} is gone.");
            await HostStore.DeleteAsync(user, EventWrite.Delete(id, current.Version), default);
        }

        public ValueTask DisposeAsync() => _provider.DisposeAsync();
    }

    /// <summary>The Graph SDK used directly, as an application without this library would: the SDK's default handlers.</summary>
    private sealed class NaiveClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly GraphServiceClient _client;

        private NaiveClient(HttpClient http, GraphServiceClient client)
        {
            _http = http;
            _client = client;
        }

        public static NaiveClient Create(Uri graphBaseUrl, string user, RequestCounter counter)
        {
            HttpClient http = GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers(), finalHandler: new CountingHandler(counter));
            return new NaiveClient(http, new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(new StaticToken(user)), graphBaseUrl.ToString()));
        }

        public Task PatchLocationAsync(string id, string location)
            => _client.Me.Events[id].PatchAsync(new Event { Location = new Location { DisplayName = location } });

        public Task DeleteAsync(string id) => _client.Me.Events[id].DeleteAsync();

        public Task CreateAsync(CalendarEvent e) => _client.Me.Events.PostAsync(GraphEventMapper.ToGraph(e, EventFields.All));

        /// <summary>The calendar view of the sync window, every page read (the SDK's default page size is 10).</summary>
        public async Task<int> ListWindowAsync(int pageSize)
        {
            int count = 0;
            EventCollectionResponse? page = await _client.Me.CalendarView.GetAsync(c =>
            {
                c.QueryParameters.StartDateTime = "2025-11-24T08:00:00Z";
                c.QueryParameters.EndDateTime = "2028-11-23T08:00:00Z";
                c.QueryParameters.Top = pageSize;
            });
            while (page is not null)
            {
                count += page.Value?.Count ?? 0;
                page = page.OdataNextLink is { } next ? await _client.Me.CalendarView.WithUrl(next).GetAsync() : null;
            }

            return count;
        }

        public void Dispose() => _http.Dispose();
    }

    private sealed class UserIsToken : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
            => Task.FromResult(token);
    }
}
