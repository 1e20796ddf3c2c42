using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Benchmarks;

/// <summary>
/// Whole syncs through the Graph adapter, the real SDK and the emulator with a per-request latency, next to a naive client measured
/// in the same run: one request per event, a full listing every run. Each operation is one sync, so the job runs each once per
/// iteration (monitoring strategy); request counts are printed as <c>REQUESTS</c> lines.
/// </summary>
/// <remarks>Latency comes from the <c>OCS_BENCH_LATENCY_MS</c> environment variable (default 50 ms).</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 2)]
public class GraphAdapterBenchmarks
{
    private const int PushCount = 1_000;
    private const int PullCount = 10_000;
    private const string PullMailbox = "pull-mailbox";
    private const string QuietUser = "quiet";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private readonly FakeClock _clock = new(Now);
    private GraphEmulator _emulator = null!;
    private HttpClient _naiveHttp = null!;
    private ServiceProvider _provider = null!;
    private ServiceProvider _oneInFlightProvider = null!;
    private ISyncEngine _engine = null!;
    private ISyncEngine _oneInFlightEngine = null!;
    private IOutlookCalendar _calendar = null!;
    private HeapSampler? _sampler;
    private InMemoryCalendarStore _local = null!;
    private int _run;
    private string _user = string.Empty;
    private int _requestsBefore;

    [GlobalSetup]
    public void Setup()
    {
        int latency = int.TryParse(Environment.GetEnvironmentVariable("OCS_BENCH_LATENCY_MS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int ms) ? ms : 50;
        _emulator = GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Clock = _clock,
            ResolveMailbox = token => token.StartsWith("pull", StringComparison.Ordinal) ? PullMailbox : token,
        }).GetAwaiter().GetResult();
        for (int i = 0; i < PullCount; i++)
        {
            string day = new LocalDate(2026, 1, 1).PlusDays(i % 700).ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
            int hour = 6 + (i / 700);
            _emulator.AddEvent(PullMailbox, $$$"""{"subject":"Outlook event {{{i}}}","body":{"contentType":"html","content":"<p>Notes {{{i}}}</p>"},"location":{"displayName":"Room {{{i % 40}}}"},"start":{"dateTime":"{{{day}}}T{{{hour:00}}}:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{day}}}T{{{hour:00}}}:30:00","timeZone":"W. Europe Standard Time"}}""");
        }

        _local = new InMemoryCalendarStore(_clock);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddOutlookCalendarSync()
            .UseCalendarStore(_local)
            .UseSyncStateStore(new InMemorySyncStateStore(_clock))
            .UseAccessTokenProvider(new UserIsToken())
            .UseMicrosoftGraph(o => o.GraphBaseUrl = _emulator.GraphBaseUrl);
        _provider = services.BuildServiceProvider();
        _engine = _provider.GetRequiredService<ISyncEngine>();

        // The same engine with one batch in flight per mailbox, as every write went before batches overlapped.
        var oneInFlight = new ServiceCollection();
        oneInFlight.AddSingleton<IClock>(_clock);
        oneInFlight.AddOutlookCalendarSync()
            .UseCalendarStore(_local)
            .UseSyncStateStore(new InMemorySyncStateStore(_clock))
            .UseAccessTokenProvider(new UserIsToken())
            .UseMicrosoftGraph(o =>
            {
                o.GraphBaseUrl = _emulator.GraphBaseUrl;
                o.MaxBatchesInFlightPerMailbox = 1;
            });
        _oneInFlightProvider = oneInFlight.BuildServiceProvider();
        _oneInFlightEngine = _oneInFlightProvider.GetRequiredService<ISyncEngine>();
        _naiveHttp = GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers());

        _local.Seed(QuietUser, Enumerable.Range(0, PushCount).Select(i => NewLocal(i)).ToArray());
        _engine.SyncAsync(QuietUser).GetAwaiter().GetResult();

        // The run after a push reads its own writes back once (echoes, 20 delta pages); steady state starts after it.
        _engine.SyncAsync(QuietUser).GetAwaiter().GetResult();
        _calendar = _provider.GetRequiredService<IOutlookCalendar>();
        _emulator.Latency = TimeSpan.FromMilliseconds(latency);
        Console.WriteLine($"// latency {latency} ms per HTTP request");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// peak working set of the process (benchmark and emulator): {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
        _naiveHttp.Dispose();
        _provider.Dispose();
        _oneInFlightProvider.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [IterationSetup(Targets = [nameof(PushNewLocalEvents_Adapter), nameof(PushNewLocalEvents_AdapterOneBatchInFlight), nameof(PushNewLocalEvents_Naive)])]
    public void SetupPush()
    {
        _user = $"push-{++_run}";
        _local.Seed(_user, Enumerable.Range(0, PushCount).Select(i => NewLocal(i)).ToArray());
        _requestsBefore = HttpRequests();
    }

    [IterationSetup(Targets = [nameof(FirstSyncPull_Adapter), nameof(FirstSyncPull_AdapterFeedOnly), nameof(FirstSyncPull_Naive)])]
    public void SetupPull()
    {
        _user = $"pull-{++_run}";
        _requestsBefore = HttpRequests();
        _sampler = new HeapSampler();
    }

    [IterationSetup(Targets = [nameof(NoChangeSync_Adapter), nameof(NoChangeSync_Naive)])]
    public void SetupQuiet()
    {
        _user = QuietUser;
        _requestsBefore = HttpRequests();
    }

    [IterationCleanup]
    public void Report()
    {
        string heap = string.Empty;
        if (_sampler is not null)
        {
            (long baseline, long peak) = _sampler.Stop();
            heap = $" heap-before={baseline / (1024 * 1024)}MB heap-peak={peak / (1024 * 1024)}MB growth={(peak - baseline) / (1024 * 1024)}MB";
            _sampler = null;
        }

        Console.WriteLine($"// REQUESTS user={_user} http={HttpRequests() - _requestsBefore}{heap}");
    }

    /// <summary>1,000 new host events pushed by one sync: <c>$batch</c> of 20 writes.</summary>
    [Benchmark]
    public async Task<int> PushNewLocalEvents_Adapter() => Check(await _engine.SyncAsync(_user)).Outlook.Created;

    /// <summary>The same push with <c>MaxBatchesInFlightPerMailbox = 1</c>: one batch at a time, its items side by side.</summary>
    [Benchmark]
    public async Task<int> PushNewLocalEvents_AdapterOneBatchInFlight() => Check(await _oneInFlightEngine.SyncAsync(_user)).Outlook.Created;

    /// <summary>The same 1,000 events, one POST each.</summary>
    [Benchmark]
    public async Task<int> PushNewLocalEvents_Naive()
    {
        GraphServiceClient client = NaiveClient(_user);
        foreach (CalendarEvent local in _local.GetAll(_user))
        {
            await client.Me.Events.PostAsync(GraphEventMapper.ToGraph(local, EventFields.All));
        }

        return PushCount;
    }

    /// <summary>A sync when nothing changed on either side (1,000 linked events).</summary>
    [Benchmark]
    public async Task<int> NoChangeSync_Adapter() => Check(await _engine.SyncAsync(_user)).TotalWrites;

    /// <summary>A naive no-change run: the full listing of the window (1,000 events), pages of 50.</summary>
    [Benchmark]
    public async Task<int> NoChangeSync_Naive() => await ListWindowAsync(NaiveClient(_user), pageSize: 50);

    /// <summary>A first sync pulling 10,000 Outlook events into an empty host calendar.</summary>
    [Benchmark]
    public async Task<int> FirstSyncPull_Adapter() => Check(await _engine.SyncAsync(_user)).Host.Created;

    /// <summary>The adapter's part of that pull alone: the full delta round of 10,000 events, mapped to the model.</summary>
    [Benchmark]
    public async Task<int> FirstSyncPull_AdapterFeedOnly()
        => (await _calendar.GetChangesAsync(_user, null, new Interval(Now - Duration.FromDays(365), Now + Duration.FromDays(730)), default)).Changed.Count;

    /// <summary>A naive pull: the calendar view with the SDK's default page size (10), no delta.</summary>
    [Benchmark]
    public async Task<int> FirstSyncPull_Naive() => await ListWindowAsync(NaiveClient(_user), pageSize: null);

    private static CalendarEvent NewLocal(int i) => new()
    {
        Subject = $"Host event {i}",
        Location = $"Room {i % 40}",
        Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 1, 8, 0).PlusDays(i % 300).PlusHours(i / 300), new LocalDateTime(2026, 12, 1, 8, 45).PlusDays(i % 300).PlusHours(i / 300), "Europe/Berlin"),
    };

    private static SyncResult Check(SyncResult result)
        => result.Status is SyncRunStatus.Synced or SyncRunStatus.NothingNew && result.Failures.Count == 0
            ? result
            : throw new InvalidOperationException($"The sync did not complete: {result.Status} {result.Message} ({result.Failures.Count} failures).");

    private int HttpRequests() => _emulator.RequestLog.Count(e => !e.InBatch);

    private GraphServiceClient NaiveClient(string user)
        => new(_naiveHttp, new BaseBearerTokenAuthenticationProvider(new StaticToken(user)), _emulator.GraphBaseUrl.ToString());

    private static async Task<int> ListWindowAsync(GraphServiceClient client, int? pageSize)
    {
        int count = 0;
        EventCollectionResponse? page = await client.Me.CalendarView.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2025-11-24T08:00:00Z";
            c.QueryParameters.EndDateTime = "2028-11-23T08:00:00Z";
            if (pageSize is { } size)
            {
                c.QueryParameters.Top = size;
            }
        });
        while (page is not null)
        {
            count += page.Value?.Count ?? 0;
            page = page.OdataNextLink is { } next ? await client.Me.CalendarView.WithUrl(next).GetAsync() : null;
        }

        return count;
    }

    /// <summary>Samples the managed heap every 5 ms while an operation runs: its peak, against the heap before it.</summary>
    private sealed class HeapSampler
    {
        private readonly long _baseline = GC.GetTotalMemory(forceFullCollection: true);
        private volatile bool _stopped;
        private readonly Task<long> _peak;

        public HeapSampler() => _peak = Task.Run(async () =>
        {
            long peak = _baseline;
            while (!_stopped)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(5).ConfigureAwait(false);
            }

            return peak;
        });

        public (long Baseline, long Peak) Stop()
        {
            _stopped = true;
            return (_baseline, _peak.GetAwaiter().GetResult());
        }
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
