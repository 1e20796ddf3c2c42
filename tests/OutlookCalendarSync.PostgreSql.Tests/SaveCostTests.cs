using System.Diagnostics;
using Npgsql;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql.Tests;

/// <summary>
/// A save costs O(changed links), whatever the number of stored links: counted as statements sent (Npgsql's own trace of every
/// command and batch) and as link rows written (rows whose <c>xmin</c> is the saving transaction, the one that wrote the header).
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class SaveCostTests(PostgreSqlServer server) : IDisposable
{
    private const string UserId = "user-1";
    private const int StoredLinks = 10_000;
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();

    [Fact]
    public async Task SaveAsync_OneChangedLinkAmongTenThousand_ConstantStatementsAndOneLinkRowWritten()
    {
        var store = new PostgreSqlSyncStateStore(_options);
        long revision = await store.SaveAsync(
            new SyncStateChanges(new SyncStateHeader(UserId))
            {
                UpsertedLinks = [.. Enumerable.Range(0, StoredLinks).Select(i => new StoredLink($"host-{i}", $"AAMk-{i}", $"payload-{i}"))],
            },
            default);

        List<Activity> statements = await CountStatementsAsync(() => store.SaveAsync(
            new SyncStateChanges(new SyncStateHeader(UserId) { Revision = revision }) { UpsertedLinks = [new StoredLink("host-4242", "AAMk-4242", "changed")] },
            default));

        // The header write, then one batch (a delete and an insert) for the links: 2 round trips, however many links are stored.
        Assert.True(statements.Count == 2, Describe(statements));
        Assert.Equal(1, await ScalarAsync<long>(
            $"SELECT count(*) FROM \"{_options.Schema}\".sync_links l WHERE l.user_id = @user AND l.xmin = (SELECT h.xmin FROM \"{_options.Schema}\".sync_headers h WHERE h.user_id = @user);"));
        Assert.Equal("changed", (await store.FindLinksAsync(UserId, ["host-4242"], [], default)).Single().Payload);
        Assert.Equal(StoredLinks, (await store.GetLinksAsync(UserId, default)).Count);
    }

    [Fact]
    public async Task SaveAsync_HundredChangedLinks_SameStatementCountAsOne()
    {
        var store = new PostgreSqlSyncStateStore(_options);
        long revision = await store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default);

        List<Activity> statements = await CountStatementsAsync(() => store.SaveAsync(
            new SyncStateChanges(new SyncStateHeader(UserId) { Revision = revision })
            {
                DeletedHostIds = [.. Enumerable.Range(0, 50).Select(i => $"gone-{i}")],
                UpsertedLinks = [.. Enumerable.Range(0, 100).Select(i => new StoredLink($"host-{i}", $"AAMk-{i}", "p"))],
            },
            default));

        Assert.True(statements.Count == 2, Describe(statements));
    }

    [Fact]
    public async Task GetUsersDueAsync_Query_CanUseTheStatusAndNextSyncIndex()
    {
        var store = new PostgreSqlSyncStateStore(_options);
        await store.MigrateAsync(default);

        string plan = await ScalarAsync<string>(
            $"SET LOCAL enable_seqscan = off; EXPLAIN (FORMAT TEXT) SELECT user_id FROM \"{_options.Schema}\".sync_headers WHERE status = 'Active' AND (next_sync_at_ticks IS NULL OR next_sync_at_ticks <= 0) ORDER BY next_sync_at_ticks NULLS FIRST, user_id LIMIT 10;",
            inTransaction: true);

        Assert.Contains("sync_headers_due", plan, StringComparison.Ordinal);
    }

    public void Dispose() => server.DropSchema(_options);

    /// <summary>Runs the action and returns Npgsql's activities (one per command or batch sent) for statements on this test's schema.</summary>
    private async Task<List<Activity>> CountStatementsAsync(Func<Task> action)
    {
        var statements = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TagObjects.Any(tag => tag.Value is string text && text.Contains(_options.Schema, StringComparison.Ordinal)))
                {
                    lock (statements)
                    {
                        statements.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await action();
        return statements;
    }

    private static string Describe(IEnumerable<Activity> activities)
        => string.Join(Environment.NewLine, activities.Select(a => a.DisplayName + ": " + string.Join(", ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))));

    private async Task<T> ScalarAsync<T>(string sql, bool inTransaction = false)
    {
        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlTransaction? transaction = inTransaction ? await connection.BeginTransactionAsync() : null;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("user", UserId);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<object>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetValue(0));
        }

        return rows is [T single] ? single : (T)(object)string.Join(Environment.NewLine, rows);
    }
}
