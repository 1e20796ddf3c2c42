using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using NodaTime;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Sqlite;

namespace OutlookCalendarSync.Benchmarks;

/// <summary>
/// Saving a large sync state to SQLite: a run that changes a few links of 100,000 must write O(changes) rows, not rewrite the table.
/// </summary>
[MemoryDiagnoser]
public class SqliteSyncStateBenchmarks
{
    private const string UserId = "user-1";
    private const int ChangedLinks = 100;
    private string _folder = string.Empty;
    private SqliteSyncStateStore _store = null!;
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
        _allLinks = Enumerable.Range(0, Links).Select(i => Link(i, "1")).ToArray();
        _state = _store.SaveAsync(new SyncState(UserId) { Links = LinkCollection.Create(_allLinks) }, default).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The end of a typical run: the state as loaded, with 100 links changed, saved with the next cursors.</summary>
    [Benchmark]
    public SyncState SaveWithHundredChangedLinks()
    {
        string version = (_state.Revision + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        EventLink[] changed = Enumerable.Range(0, ChangedLinks).Select(i => Link(i * (Links / ChangedLinks), version)).ToArray();
        _state = _store.SaveAsync(_state with { Links = _state.Links.With([], changed), LocalCursor = version }, default).GetAwaiter().GetResult();
        return _state;
    }

    /// <summary>The journal of one write batch during a run.</summary>
    [Benchmark]
    public void SaveLinksOfOneBatch()
    {
        EventLink[] changed = Enumerable.Range(0, 20).Select(i => Link(i, "j")).ToArray();
        _store.SaveLinksAsync(UserId, changed, [], default).GetAwaiter().GetResult();
    }

    /// <summary>A first save (or a save by an instance that does not know the stored rows): every link written.</summary>
    [Benchmark]
    public SyncState SaveAllLinksIntoEmptyState()
    {
        _store.DeleteAsync("user-2", default).GetAwaiter().GetResult();
        return _store.SaveAsync(new SyncState("user-2") { Links = LinkCollection.Create(_allLinks) }, default).GetAwaiter().GetResult();
    }

    /// <summary>Loading the whole state of a user with 100,000 links.</summary>
    [Benchmark]
    public SyncState? Load() => _store.LoadAsync(UserId, default).GetAwaiter().GetResult();

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
