using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Sqlite.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite.Tests;

public sealed class DatabaseTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task FirstUse_NewFile_CreatesSchemaInWalMode()
    {
        Assert.False(File.Exists(_database.Path));

        await new SqliteTokenStore(_database.Options).GetAsync("user-1", default);

        using var connection = new SqliteConnection($"Data Source={_database.Path}");
        connection.Open();
        Assert.Equal((long)SchemaMigrations.All.Count, Scalar(connection, "SELECT MAX(version) FROM schema_version;"));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        string[] tables = ["calendar_users", "calendar_events", "sync_headers", "sync_links", "sync_leases", "token_caches", "pending_sign_ins", "notification_subscriptions"];
        foreach (string table in tables)
        {
            Assert.Equal(1L, Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';"));
        }
    }

    [Fact]
    public async Task FirstUse_SchemaNewerThanPackage_ThrowsClearError()
    {
        using (var connection = new SqliteConnection($"Data Source={_database.Path}"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (99);";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteTokenStore(_database.Options).GetAsync("user-1", default));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade the package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_NewStoreInstances_SeeEverythingSaved()
    {
        var calendar = new SqliteCalendarStore(_database.Options, _clock);
        CalendarEvent created = calendar.AddByUser("user-1", ContractEvents.InWindow("kept"));
        await new SqliteSyncStateStore(_database.Options, _clock).SaveAsync(new SyncStateChanges(new SyncStateHeader("user-1") { HostCursor = "c1" }), default);
        await new SqliteTokenStore(_database.Options).SetAsync("user-1", [7, 8, 9], default);
        SqliteConnection.ClearAllPools();

        CalendarEvent? read = await new SqliteCalendarStore(_database.Options, _clock).GetAsync("user-1", created.Id!, default);
        SyncStateHeader? state = await new SqliteSyncStateStore(_database.Options, _clock).GetHeaderAsync("user-1", default);
        byte[]? blob = await new SqliteTokenStore(_database.Options).GetAsync("user-1", default);

        Assert.Equal(created, read);
        Assert.Equal("c1", state!.HostCursor);
        Assert.Equal(1, state.Revision);
        Assert.Equal(new byte[] { 7, 8, 9 }, blob);
    }

    [Fact]
    public async Task GetChangesAsync_CursorFromBeforeReopen_StillReturnsOnlyNewChanges()
    {
        var first = new SqliteCalendarStore(_database.Options, _clock);
        first.AddByUser("user-1", ContractEvents.InWindow("old"));
        string cursor = (await first.GetChangesAsync("user-1", null, ContractEvents.Window, default)).NextCursor;
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteCalendarStore(_database.Options, _clock);
        CalendarEvent added = reopened.AddByUser("user-1", ContractEvents.InWindow("new"));
        ChangeFeed feed = await reopened.GetChangesAsync("user-1", cursor, ContractEvents.Window, default);

        Assert.False(feed.IsFullSnapshot);
        Assert.Equal(added.Id, Assert.Single(feed.Changed).Id);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_TwoStoresOnSameFileConcurrently_OnlyOneWins()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteSyncStateStore(_database.Options, _clock)).ToArray();

        SyncLease?[] leases = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => stores[i % stores.Length].TryAcquireLeaseAsync("user-1", Duration.FromMinutes(5), default))));

        Assert.Single(leases, l => l is not null);
        SyncLease winner = leases.First(l => l is not null)!;
        Assert.Null(await stores[1].TryAcquireLeaseAsync("user-1", Duration.FromMinutes(5), default));
        await stores[2].ReleaseLeaseAsync(winner, default);
        Assert.NotNull(await stores[3].TryAcquireLeaseAsync("user-1", Duration.FromMinutes(5), default));
    }

    [Fact]
    public async Task CreateAsync_ManyThreadsAndStoreInstances_EveryEventStoredWithDistinctIdAndVersion()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => new SqliteCalendarStore(_database.Options, _clock)).ToArray();

        CalendarEvent[] created = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => stores[i % stores.Length].CreateAsync("user-1", EventWrite.Create(ContractEvents.InWindow($"e{i}")), default))));

        Assert.Equal(60, created.Select(e => e.Id).Distinct().Count());
        Assert.Equal(60, created.Select(e => e.Version).Distinct().Count());
        Assert.Equal(60, stores[0].GetAll("user-1").Count);
    }

    [Fact]
    public void Constructor_NoPathNorConnectionString_ThrowsMessageSayingWhatToSet()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteCalendarStore(new SqliteStoreOptions()));

        Assert.Contains("Set SqliteStoreOptions.DatabasePath", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Data Source=:memory:", "in-memory")]
    [InlineData("a.db", "Data Source=b.db", "set only one")]
    [InlineData(null, "Data Source=a.db;Mode=ReadOnly", "read-only")]
    [InlineData(null, "Nonsense Key=1", "not a valid SQLite connection string")]
    public void Validate_BadOptions_ExplainsProblem(string? path, string connectionString, string expected)
    {
        var options = new SqliteStoreOptions { DatabasePath = path, ConnectionString = connectionString };

        Assert.Contains(options.Validate(), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NonPositiveBusyTimeout_ExplainsProblem()
    {
        var options = new SqliteStoreOptions { DatabasePath = "a.db", BusyTimeout = TimeSpan.Zero };

        Assert.Contains(options.Validate(), p => p.Contains("BusyTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Constructor_ConnectionString_UsesThatFile()
    {
        var store = new SqliteTokenStore(new SqliteStoreOptions { ConnectionString = $"Data Source={_database.Path};Pooling=False" });

        await store.SetAsync("user-1", [1], default);

        Assert.Equal(new byte[] { 1 }, await new SqliteTokenStore(_database.Options).GetAsync("user-1", default));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
