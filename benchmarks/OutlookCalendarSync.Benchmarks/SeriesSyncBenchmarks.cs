using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Benchmarks;

/// <summary>
/// A sync after one occurrence of a 5-year daily series changed in Outlook, in a calendar of 20 series, through the engine, the
/// real SDK and the emulator with a per-request latency. Only the changed series' instances are listed: the <c>SERIES</c> line
/// of each iteration prints the instance listings (pages included) and HTTP requests the sync made.
/// </summary>
/// <remarks>Latency comes from the <c>OCS_BENCH_LATENCY_MS</c> environment variable (default 50 ms).</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SeriesSyncBenchmarks
{
    private const string User = "series";
    private const string InstancesRoute = "GET /me/events/{id}/instances";
    private const int OtherSeries = 19;
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private readonly FakeClock _clock = new(Now);
    private GraphEmulator _emulator = null!;
    private ServiceProvider _provider = null!;
    private ISyncEngine _engine = null!;
    private string _dailyId = string.Empty;
    private int _iteration;
    private int _requestsBefore;
    private int _listingsBefore;

    [GlobalSetup]
    public void Setup()
    {
        int latency = int.TryParse(Environment.GetEnvironmentVariable("OCS_BENCH_LATENCY_MS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int ms) ? ms : 50;
        _emulator = GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = _clock }).GetAwaiter().GetResult();
        _dailyId = (string)_emulator.AddEvent(User, """{"subject":"Daily stand-up","start":{"dateTime":"2026-11-25T09:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-25T09:15:00","timeZone":"W. Europe Standard Time"},"recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"endDate","startDate":"2026-11-25","endDate":"2031-11-24"}}}""")["id"]!;
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday"];
        for (int i = 0; i < OtherSeries; i++)
        {
            string day = new LocalDate(2026, 11, 30).PlusDays(i % 5).ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
            int hour = 10 + (i / 5);
            _emulator.AddEvent(User, $$$$"""{"subject":"Weekly {{{{i}}}}","start":{"dateTime":"{{{{day}}}}T{{{{hour}}}}:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{{day}}}}T{{{{hour}}}}:30:00","timeZone":"W. Europe Standard Time"},"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["{{{{days[i % 5]}}}}"]},"range":{"type":"noEnd","startDate":"{{{{day}}}}"}}}""");
        }

        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore(_clock))
            .UseSyncStateStore(new InMemorySyncStateStore(_clock))
            .UseAccessTokenProvider(new UserIsToken())
            .UseMicrosoftGraph(o => o.GraphBaseUrl = _emulator.GraphBaseUrl);
        _provider = services.BuildServiceProvider();
        _engine = _provider.GetRequiredService<ISyncEngine>();
        int listings = _emulator.CountRequests(InstancesRoute);
        SyncResult first = _engine.SyncAsync(User).GetAwaiter().GetResult();
        Console.WriteLine($"// SERIES first sync: {first.Host.Created} host events created, instance listings={_emulator.CountRequests(InstancesRoute) - listings}");
        _emulator.Latency = TimeSpan.FromMilliseconds(latency);
        Console.WriteLine($"// latency {latency} ms per HTTP request");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [IterationSetup]
    public void ChangeOneOccurrence()
    {
        _clock.Advance(Duration.FromMinutes(1));
        var from = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).AddDays(2 * _iteration++);
        string occurrence = (string)_emulator.GetInstances(User, _dailyId, from, from.AddDays(1))[0]["id"]!;
        _emulator.UpdateEvent(User, occurrence, $$"""{"subject":"Daily stand-up (moved {{_iteration}})"}""");
        _requestsBefore = _emulator.RequestLog.Count(e => !e.InBatch);
        _listingsBefore = _emulator.CountRequests(InstancesRoute);
    }

    [IterationCleanup]
    public void Report()
        => Console.WriteLine($"// SERIES instance-listings={_emulator.CountRequests(InstancesRoute) - _listingsBefore} http={_emulator.RequestLog.Count(e => !e.InBatch) - _requestsBefore}");

    /// <summary>The sync after one occurrence of the daily series changed: one host exception created.</summary>
    [Benchmark]
    public async Task<int> OneChangedOccurrence()
    {
        SyncResult result = await _engine.SyncAsync(User);
        return result.Status == SyncRunStatus.Synced && result.Failures.Count == 0 && result.Host.Created == 1
            ? result.Host.Created
            : throw new InvalidOperationException($"The sync did not create one exception: {result.Status} {result.Message} created={result.Host.Created} failures={result.Failures.Count}.");
    }

    private sealed class UserIsToken : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }
}
