using Npgsql;
using OutlookCalendarSync.PostgreSql.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql.Tests;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class MigrationTests(PostgreSqlServer server) : IDisposable
{
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();

    [Fact]
    public async Task MigrateAsync_ManyProcessesAtOnce_EachMigrationAppliedOnce()
    {
        int[] applied = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => PostgreSqlDatabase.FromOptions(Process(i)).MigrateAsync(default))));

        Assert.Equal(SchemaMigrations.All.Count, applied.Sum());
        Assert.Equal(Enumerable.Range(1, SchemaMigrations.All.Count), await VersionsAsync());
    }

    [Fact]
    public async Task MigrateAsync_SchemaUpToDate_AppliesNothingAndKeepsData()
    {
        var store = new PostgreSqlSyncStateStore(_options);
        await store.SaveAsync(new SyncStateChanges(new SyncStateHeader("user-1")) { UpsertedLinks = [new StoredLink("h", "o", "p")] }, default);

        int applied = await PostgreSqlDatabase.FromOptions(_options).MigrateAsync(default);
        var restarted = new PostgreSqlSyncStateStore(_options);

        Assert.Equal(0, applied);
        Assert.Single(await restarted.GetLinksAsync("user-1", default));
        Assert.Equal(Enumerable.Range(1, SchemaMigrations.All.Count), await VersionsAsync());
    }

    [Fact]
    public async Task OpenAsync_SchemaNewerThanThePackage_ThrowsSayingToUpgrade()
    {
        await PostgreSqlDatabase.FromOptions(_options).MigrateAsync(default);
        await ExecuteAsync($"INSERT INTO \"{_options.Schema}\".schema_version (version) VALUES ({SchemaMigrations.All.Count + 1});");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new PostgreSqlTokenStore(_options).GetAsync("user-1", default));

        Assert.Contains("upgrade the package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stores_SharingASchema_EachFindsItsTables()
    {
        var tokens = new PostgreSqlTokenStore(_options);
        var state = new PostgreSqlSyncStateStore(_options);

        await tokens.SetAsync("user-1", [1, 2, 3], default);
        await state.SaveAsync(new SyncStateChanges(new SyncStateHeader("user-1")), default);

        Assert.Equal([1, 2, 3], await tokens.GetAsync("user-1", default));
        Assert.Equal(1, (await state.GetHeaderAsync("user-1", default))!.Revision);
    }

    public void Dispose() => server.DropSchema(_options);

    private PostgreSqlStoreOptions Process(int i) => new()
    {
        ConnectionString = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { ApplicationName = $"migrator-{i}" }.ConnectionString,
        Schema = _options.Schema,
    };

    private async Task<List<int>> VersionsAsync()
    {
        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT version FROM \"{_options.Schema}\".schema_version ORDER BY version;", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
