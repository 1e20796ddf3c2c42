using System.Text.Json;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Stores;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Sqlite.Tests;

/// <summary>What the SQLite state store does beyond the contract: its schema migration, open windows, long id lists.</summary>
public sealed class SyncStateStoreTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_DatabaseOfSchemaVersionOne_MigratesStatesAndLinksIntoRows()
    {
        const string oldLink = """{"localId":"local-1","remoteId":"AAMk-1","localHash":1,"remoteHash":2,"base":{"timing":{}}}""";
        using (var connection = new SqliteConnection($"Data Source={_database.Path}"))
        {
            connection.Open();
            using SqliteCommand create = connection.CreateCommand();
            create.CommandText = OutlookCalendarSync.Sqlite.Internal.SchemaMigrations.All[0] + "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);";
            create.ExecuteNonQuery();
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = $"""
                INSERT INTO sync_states VALUES ('{UserId}', 7, 'stamp', 'Paused', 'lc', 'rc', NULL, '["local-9"]', '[]', 1, '2026-11-01T08:00:00Z', NULL, 'boom');
                INSERT INTO sync_states VALUES ('{OtherUserId}', 2, 'stamp', 'Active', NULL, NULL, NULL, '[]', '[]', 0, NULL, NULL, NULL);
                INSERT INTO sync_links VALUES ('{UserId}', 'local-1', 'AAMk-1', '{oldLink}');
                """;
            insert.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var store = new SqliteSyncStateStore(_database.Options, _clock);
        SyncStateHeader header = (await store.GetHeaderAsync(UserId, default))!;
        SyncStateHeader other = (await store.GetHeaderAsync(OtherUserId, default))!;

        Assert.Equal((7, SyncStatus.Paused, "lc", "rc", "boom"), (header.Revision, header.Status, header.HostCursor, header.OutlookCursor, header.LastError));
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 8, 0), header.FirstSyncAt);
        using (JsonDocument data = JsonDocument.Parse(header.EngineData!))
        {
            Assert.Equal(1, data.RootElement.GetProperty("v").GetInt32());
            Assert.True(data.RootElement.GetProperty("interrupted").GetBoolean());
            Assert.Equal("local-9", Assert.Single(data.RootElement.GetProperty("pendingHost").EnumerateArray().ToArray()).GetString());
        }

        Assert.Null(other.EngineData);
        StoredLink link = Assert.Single(await store.GetLinksAsync(UserId, default));
        Assert.Equal(("local-1", "AAMk-1", oldLink), (link.HostId, link.OutlookId, link.Payload));
        Assert.Equal(8, await store.SaveAsync(new SyncStateChanges(header), default));
    }

    [Fact]
    public async Task SaveAsync_OpenEndedWindow_RoundTrips()
    {
        var store = new SqliteSyncStateStore(_database.Options, _clock);
        var window = new Interval(Instant.FromUtc(2026, 1, 1, 0, 0), null);

        await store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId) { OutlookCursorWindow = window }), default);

        Assert.Equal(window, (await new SqliteSyncStateStore(_database.Options, _clock).GetHeaderAsync(UserId, default))!.OutlookCursorWindow);
    }

    [Fact]
    public async Task FindLinksAsync_ThousandsOfIds_FindsThemInOneQuery()
    {
        var store = new SqliteSyncStateStore(_database.Options, _clock);
        StoredLink[] links = Enumerable.Range(0, 3000).Select(i => new StoredLink($"host-{i}", $"AAMk-{i}", "{}")).ToArray();
        await store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = links }, default);

        IReadOnlyList<StoredLink> found = await store.FindLinksAsync(
            UserId, Enumerable.Range(0, 1500).Select(i => $"host-{i * 2}").ToArray(), Enumerable.Range(0, 1500).Select(i => $"AAMk-{(i * 2) + 1}").ToArray(), default);

        Assert.Equal(3000, found.Count);
    }

    [Fact]
    public async Task FindLinksAsync_QueryPlan_LooksEachIdUpInAnIndexWithoutStatistics()
    {
        // Without ANALYZE statistics (a host's usual database), the former "host_id IN (...) OR outlook_id IN (...)" walked all the
        // user's links. The plan must search an index for each id, by host id and by Outlook id, and scan no table.
        var store = new SqliteSyncStateStore(_database.Options, _clock);
        await store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [.. Enumerable.Range(0, 2000).Select(i => new StoredLink($"host-{i}", $"AAMk-{i}", "{}"))] }, default);
        using var connection = new SqliteConnection($"Data Source={_database.Path}");
        connection.Open();
        using SqliteCommand explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteSyncStateStore.FindLinksSql;
        explain.Parameters.AddWithValue("$user", UserId);
        explain.Parameters.AddWithValue("$hostIds", """["host-1"]""");
        explain.Parameters.AddWithValue("$outlookIds", """["AAMk-2"]""");
        var steps = new List<string>();
        using (SqliteDataReader reader = explain.ExecuteReader())
        {
            while (reader.Read())
            {
                steps.Add(reader.GetString(3));
            }
        }

        List<string> linkSteps = [.. steps.Where(step => step.Contains(" l ", StringComparison.Ordinal) || step.Contains("sync_links", StringComparison.Ordinal))];
        Assert.Equal(
            ["SEARCH l USING INDEX sqlite_autoindex_sync_links_1 (user_id=? AND host_id=?)", "SEARCH l USING INDEX ux_sync_links_remote (user_id=? AND outlook_id=?)"],
            linkSteps);
    }

    [Fact]
    public async Task GetUsersDueAsync_TwoStoreInstances_SeeTheSameRows()
    {
        await new SqliteSyncStateStore(_database.Options, _clock).SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId) { NextSyncAt = _clock.GetCurrentInstant() }), default);

        Assert.Equal([UserId], await new SqliteSyncStateStore(_database.Options, _clock).GetUsersDueAsync(_clock.GetCurrentInstant(), 10, default));
    }
}
