using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>
/// One measured run in a process of its own (started by <see cref="FirstSyncMemory"/>): the library, configured as a host would
/// configure it (Graph adapter, SQLite stores), does one phase of a first sync against the emulator in the parent's child process.
/// Prints one <c>RESULT</c> line with a <see cref="RunReport"/> as JSON, and, when asked for details, <c>TIMELINE</c> lines and the <c>RESIDENT</c> memory of the largest mappings at the end.
/// </summary>
internal static class MeasuredRun
{
    /// <summary>The argument that starts a measured run instead of BenchmarkDotNet.</summary>
    public const string Argument = "--memory-run";

    /// <summary>The clock of GraphAdapterBenchmarks: the seeded events (2026-01-01 onwards) are inside the default window.</summary>
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    /// <summary>Runs and reports one phase.</summary>
    /// <param name="args">Graph base URL, mailbox, user, phase, database path, and <c>details</c> or nothing.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is not (5 or 6) || !Enum.TryParse(args[3], ignoreCase: true, out MeasuredPhase phase))
        {
            await Console.Error.WriteLineAsync($"Usage: {Argument} <graph base url> <mailbox> <user> <phase> <database path> [details]");
            return 2;
        }

        var graphBaseUrl = new Uri(args[0]);
        string mailbox = args[1];
        string user = args[2];
        string databasePath = args[4];
        bool details = args.Length == 6 && args[5] == "details";

        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Now));
        services.AddOutlookCalendarSync()
            .UseSqliteStores(o => o.DatabasePath = databasePath)
            .UseAccessTokenProvider(new MailboxIsToken(mailbox))
            .UseMicrosoftGraph(o => o.GraphBaseUrl = graphBaseUrl);
        await using ServiceProvider provider = services.BuildServiceProvider();
        ISyncEngine engine = provider.GetRequiredService<ISyncEngine>();
        IOutlookCalendar outlook = provider.GetRequiredService<IOutlookCalendar>();
        ICalendarStore store = provider.GetRequiredService<ICalendarStore>();
        ISyncStateStore stateStore = provider.GetRequiredService<ISyncStateStore>();
        OutlookCalendarSyncOptions options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutlookCalendarSyncOptions>>().Value;
        var window = new Interval(Now - Duration.FromDays(365), Now + Duration.FromDays(730));

        // The engine phase: the engine's own window, its first Outlook round read now, then a second set of services whose
        // Outlook calendar answers that round (and sends everything else to the Graph adapter).
        ServiceProvider? replaying = null;
        if (phase == MeasuredPhase.Engine)
        {
            ChangeFeed firstRound = await outlook.GetChangesAsync(user, null, new Interval(Now - options.WindowBefore, Now + options.WindowAfter), default);
            var replayServices = new ServiceCollection();
            replayServices.AddSingleton<IClock>(new FakeClock(Now));
            replayServices.AddOutlookCalendarSync()
                .UseSqliteStores(o => o.DatabasePath = databasePath)
                .UseAccessTokenProvider(new MailboxIsToken(mailbox))
                .UseMicrosoftGraph(o => o.GraphBaseUrl = graphBaseUrl)
                .UseOutlookCalendar(new ReplayedFeedCalendar(outlook, firstRound));
            replaying = replayServices.BuildServiceProvider();
            engine = replaying.GetRequiredService<ISyncEngine>();
        }

        await using ServiceProvider? disposeReplaying = replaying;

        // The phases that isolate the writes read the events first, outside the measurement.
        IReadOnlyList<CalendarEvent> pulled = phase is MeasuredPhase.LocalWrites or MeasuredPhase.Journal
            ? (await outlook.GetChangesAsync(user, null, window, default)).Changed
            : [];
        List<CalendarEvent> toCreate = phase == MeasuredPhase.LocalWrites
            ? [.. pulled.Select(e => e.ContentOnly() with { CounterpartId = e.Id, ICalUId = e.ICalUId })]
            : [];
        List<EventLink> links = phase is MeasuredPhase.Journal
            ? [.. pulled.Select((e, i) => new EventLink($"local-{i + 1}", e.Id!, e.ContentOnly())
            {
                ICalUId = e.ICalUId,
                LocalVersion = (i + 1).ToString(CultureInfo.InvariantCulture),
                LocalHash = e.ContentHash,
                RemoteVersion = e.Version,
                RemoteHash = e.ContentHash,
            })]
            : [];
        pulled = [];

        Func<Task<object>> operation = phase switch
        {
            MeasuredPhase.Sync or MeasuredPhase.Engine => async () => await engine.SyncAsync(user),
            MeasuredPhase.Preview => async () => await engine.PreviewAsync(user),
            MeasuredPhase.Feed => async () => await outlook.GetChangesAsync(user, null, window, default),
            MeasuredPhase.PullFeed => async () => await outlook.GetChangesAsync(
                user,
                null,
                window,
                new LinkedEventLookup((_, _) => Task.FromResult<IReadOnlyDictionary<string, CalendarEvent>>(new Dictionary<string, CalendarEvent>()), stampsOfUnlinkedMatter: false),
                default),
            MeasuredPhase.LocalWrites => async () =>
            {
                foreach (CalendarEvent e in toCreate)
                {
                    await store.CreateAsync(user, EventWrite.Create(e), default);
                }

                return toCreate.Count;
            },
            MeasuredPhase.Journal => async () =>
            {
                var repository = new SyncStateRepository(stateStore);
                var state = new SyncState(user) { IsInterrupted = true };
                foreach (EventLink link in links)
                {
                    state = await repository.SaveAsync(state, [], [link], default);
                }

                return links.Count;
            },
            MeasuredPhase.RawPages or MeasuredPhase.SdkPages or MeasuredPhase.ReaderPages => async () => await DeltaPagesOnly.ReadAsync(
                phase,
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(GraphOutlookCalendar.HttpClientName),
                new MailboxIsToken(mailbox),
                graphBaseUrl,
                user,
                window,
                new MicrosoftGraphOptions().DeltaPageSize),
            _ => throw new UnreachableException(),
        };

        long heapBefore = FullCollection();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        long workingSetBefore = self.WorkingSet64;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

        using AllocationSampler? allocations = AllocationSampler.Requested ? new AllocationSampler() : null;
        allocations?.Start();
        using MemorySampler sampler = MemorySampler.Start();
        var wallTime = Stopwatch.StartNew();
        object result = await operation();
        wallTime.Stop();
        sampler.Stop();
        allocations?.Stop();
        allocations?.Print(top: 25);
        IReadOnlyList<(string Mapping, long Resident)> mappings = details ? ResidentMappings() : [];

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        int[] collections = [GC.CollectionCount(0) - collectionsBefore[0], GC.CollectionCount(1) - collectionsBefore[1], GC.CollectionCount(2) - collectionsBefore[2]];
        self.Refresh();
        long peakWorkingSetProcess = self.PeakWorkingSet64;
        long heapAfter = FullCollection();
        GC.KeepAlive(result);

        (int events, string status, IReadOnlyList<SyncFailure> failures) = result switch
        {
            SyncResult sync => (StoredEvents(store, user), sync.Status.ToString(), sync.Failures),
            SyncPreview preview => (preview.Changes.Count, preview.Status.ToString(), preview.Failures),
            ChangeFeed feed => (feed.Changed.Count, feed.IsFullSnapshot ? "FullSnapshot" : "Changes", []),
            _ when phase == MeasuredPhase.LocalWrites => (StoredEvents(store, user), "Created", []),
            int items when phase is MeasuredPhase.RawPages or MeasuredPhase.SdkPages or MeasuredPhase.ReaderPages => (items, "PagesRead", []),
            _ => ((await stateStore.GetLinksAsync(user, default)).Count, "Journaled", []),
        };

        var report = new RunReport
        {
            Phase = phase,
            User = user,
            ServerGc = GCSettings.IsServerGC,
            ConcurrentGc = GCSettings.LatencyMode != GCLatencyMode.Batch,
            WorkingSetBefore = workingSetBefore,
            PeakWorkingSetSampled = sampler.PeakWorkingSet,
            AnonymousAtPeak = sampler.AnonymousAtPeak,
            FileBackedAtPeak = sampler.FileBackedAtPeak,
            SharedAtPeak = sampler.SharedAtPeak,
            PeakWorkingSetProcess = peakWorkingSetProcess,
            HeapBefore = heapBefore,
            PeakHeap = sampler.PeakHeap,
            PeakHeapAfterCollection = sampler.PeakHeapAfterCollection,
            PeakCommitted = sampler.PeakCommitted,
            HeapAfter = heapAfter,
            Allocated = allocated,
            Gen0Collections = collections[0],
            Gen1Collections = collections[1],
            Gen2Collections = collections[2],
            WallTime = wallTime.Elapsed,
            Events = events,
            Status = status,
            Failures = failures.Count,
            FirstFailure = failures.Count > 0 ? failures[0].Reason : null,
        };

        if (details)
        {
            foreach ((string mapping, long resident) in mappings.Take(8))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESIDENT {Mb(resident),5} MB  {mapping}"));
            }

            foreach (MemorySampler.TimelinePoint point in sampler.Timeline)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"TIMELINE {point.Elapsed.TotalSeconds,7:0.0} s  working set {Mb(point.WorkingSet),5} MB  heap {Mb(point.Heap),5} MB  heap after last GC {Mb(point.HeapAfterCollection),5} MB"));
            }
        }

        Console.WriteLine("RESULT " + JsonSerializer.Serialize(report));
        return 0;
    }

    private static long FullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Resident memory per mapping from /proc/self/smaps, largest first (anonymous mappings grouped); empty outside Linux.</summary>
    private static IReadOnlyList<(string Mapping, long Resident)> ResidentMappings()
    {
        const string Smaps = "/proc/self/smaps";
        if (!File.Exists(Smaps))
        {
            return [];
        }

        var resident = new Dictionary<string, long>(StringComparer.Ordinal);
        string current = "[anonymous]";
        foreach (string line in File.ReadLines(Smaps))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                current = fields.Length == 6 ? fields[5].Trim() : "[anonymous]";
            }
            else if (fields is ["Rss:", var kilobytes, "kB"])
            {
                resident[current] = resident.GetValueOrDefault(current) + (1024 * long.Parse(kilobytes, CultureInfo.InvariantCulture));
            }
        }

        return [.. resident.Select(r => (r.Key, r.Value)).OrderByDescending(r => r.Value)];
    }

    private static int StoredEvents(ICalendarStore store, string user) => store is SqliteCalendarStore sqlite ? sqlite.GetAll(user).Count : -1;

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    /// <summary>The emulator takes the bearer token for the mailbox name.</summary>
    private sealed class MailboxIsToken(string mailbox) : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(mailbox);
    }
}
