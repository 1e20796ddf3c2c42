using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Sqlite;

namespace OutlookCalendarSync.Benchmarks;

/// <summary>
/// A user with 100,000 links in SQLite: a run that changes a few links must write O(changes) rows, and reading the rows it touches
/// must not read the table.
/// </summary>
[MemoryDiagnoser]
public class SqliteSyncStateBenchmarks
{
    private const string UserId = "user-1";
    private const int ChangedLinks = 100;
    private string _folder = string.Empty;
    private SqliteSyncStateStore _store = null!;
    private SyncStateRepository _repository = null!;
    private SyncState _state = null!;
    private EventLink[] _allLinks = [];

    [Params(100_000)]
    public int Links { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "ocs-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = new SqliteSyncStateStore(new SqliteStoreOptions { DatabasePath = Path.Combine(_folder, "state.db") });
        _repository = new SyncStateRepository(_store);
        _allLinks = Enumerable.Range(0, Links).Select(i => Link(i, "1")).ToArray();
        _state = _repository.SaveAsync(new SyncState(UserId), [], _allLinks, default).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The end of a typical run: 100 links changed, saved with the next cursors.</summary>
    [Benchmark]
    public long SaveWithHundredChangedLinks()
    {
        string version = (_state.Revision + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        EventLink[] changed = Enumerable.Range(0, ChangedLinks).Select(i => Link(i * (Links / ChangedLinks), version)).ToArray();
        _state = _repository.SaveAsync(_state with { LocalCursor = version }, [], changed, default).GetAwaiter().GetResult();
        return _state.Revision;
    }

    /// <summary>The journal of one write batch during a run.</summary>
    [Benchmark]
    public long SaveLinksOfOneBatch()
    {
        EventLink[] changed = Enumerable.Range(0, 20).Select(i => Link(i, "j")).ToArray();
        _state = _repository.SaveAsync(_state with { IsInterrupted = true }, [], changed, default).GetAwaiter().GetResult();
        return _state.Revision;
    }

    /// <summary>A first save: every link written.</summary>
    [Benchmark]
    public long SaveAllLinksIntoEmptyState()
    {
        _store.DeleteAsync("user-2", default).GetAwaiter().GetResult();
        return _repository.SaveAsync(new SyncState("user-2"), [], _allLinks, default).GetAwaiter().GetResult().Revision;
    }

    /// <summary>Reading the 100 links a run touches, by id.</summary>
    [Benchmark]
    public int FindHundredLinks()
        => _store.FindLinksAsync(UserId, Enumerable.Range(0, ChangedLinks).Select(i => $"local-{i * 7}").ToArray(), [], default).GetAwaiter().GetResult().Count;

    /// <summary>Loading the whole state of a user with 100,000 links.</summary>
    [Benchmark]
    public int Load() => _repository.LoadAllAsync(UserId, default).GetAwaiter().GetResult().Links.Count;

    private static EventLink Link(int i, string version)
    {
        var start = new LocalDateTime(2026, 1, 1, 9, 0).PlusHours(i % 8000);
        var content = new CalendarEvent
        {
            Subject = $"event {i}",
            Location = "Room 1",
            Timing = EventTiming.Timed(start, start.PlusHours(1), "Europe/Berlin"),
        };
        return new EventLink($"local-{i}", $"AAMk-{i}", content)
        {
            ICalUId = $"uid-{i}",
            LocalVersion = version,
            RemoteVersion = "ck-" + version,
            LocalHash = content.ContentHash,
            RemoteHash = content.ContentHash,
        };
    }
}
