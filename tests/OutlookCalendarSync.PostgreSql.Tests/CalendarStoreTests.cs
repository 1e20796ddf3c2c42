using NodaTime;
using NodaTime.Testing;
using Npgsql;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Specification.Tests;

namespace OutlookCalendarSync.PostgreSql.Tests;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class CalendarStoreTests(PostgreSqlServer server) : IDisposable
{
    private const string UserId = "user-1";
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));

    [Fact]
    public async Task CreateAsync_TwoProcessesWritingAtOnce_EveryEventGetsItsOwnVersionAndTheFeedReportsEachOnce()
    {
        PostgreSqlCalendarStore first = Process("a");
        PostgreSqlCalendarStore second = Process("b");
        ChangeFeed start = await first.GetChangesAsync(UserId, null, ContractEvents.Window, default);

        CalendarEvent[] created = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).CreateAsync(UserId, EventWrite.Create(ContractEvents.InWindow($"event-{i}", i % 20)), default))));
        ChangeFeed changes = await second.GetChangesAsync(UserId, start.NextCursor, ContractEvents.Window, default);

        Assert.Equal(40, created.Select(e => e.Version).Distinct().Count());
        Assert.Equal(created.Select(e => e.Id).Order(), changes.Changed.Select(e => e.Id).Order());
        Assert.Empty((await first.GetChangesAsync(UserId, changes.NextCursor, ContractEvents.Window, default)).Changed);
    }

    [Fact]
    public async Task UpdateByUserAsync_TwoProcessesChangingOneEvent_NoChangeIsLost()
    {
        PostgreSqlCalendarStore first = Process("a");
        PostgreSqlCalendarStore second = Process("b");
        CalendarEvent counter = await first.AddByUserAsync(UserId, ContractEvents.InWindow("0"), default);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).UpdateByUserAsync(
            UserId, counter.Id!, e => e with { Subject = (int.Parse(e.Subject!) + 1).ToString() }, default))));

        Assert.Equal("20", (await second.GetAsync(UserId, counter.Id!, default))!.Subject);
    }

    [Fact]
    public async Task PruneTombstonesAsync_OldDeletion_RemovesItAndExpiresOlderCursorsOnly()
    {
        var store = new PostgreSqlCalendarStore(_options, _clock);
        CalendarEvent doomed = await store.AddByUserAsync(UserId, ContractEvents.InWindow("doomed"), default);
        ChangeFeed beforeDeletion = await store.GetChangesAsync(UserId, null, ContractEvents.Window, default);
        await store.DeleteByUserAsync(UserId, doomed.Id!, default);
        ChangeFeed afterDeletion = await store.GetChangesAsync(UserId, beforeDeletion.NextCursor, ContractEvents.Window, default);
        _clock.Advance(Duration.FromDays(30));

        int pruned = await store.PruneTombstonesAsync(_clock.GetCurrentInstant() - Duration.FromDays(7), default);

        Assert.Equal(1, pruned);
        Assert.Equal(doomed.Id, Assert.Single(afterDeletion.Removed).Id);
        await Assert.ThrowsAsync<CursorExpiredException>(() => store.GetChangesAsync(UserId, beforeDeletion.NextCursor, ContractEvents.Window, default));
        Assert.Empty((await store.GetChangesAsync(UserId, afterDeletion.NextCursor, ContractEvents.Window, default)).Removed);
    }

    [Fact]
    public async Task CreateAsync_Event_StoredAsJsonDocument()
    {
        var store = new PostgreSqlCalendarStore(_options, _clock);
        CalendarEvent created = await store.CreateAsync(UserId, EventWrite.Create(ContractEvents.InWindow("Planning ✓")), default);

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT document ->> 'subject' FROM \"{_options.Schema}\".calendar_events WHERE event_id = @id;", connection);
        command.Parameters.AddWithValue("id", created.Id!);

        Assert.Equal("Planning ✓", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CreateManyAsync_CommitFails_EachCreateTransientAndNoneMadeAgainOneByOne()
    {
        var store = new PostgreSqlCalendarStore(_options, _clock);
        ChangeFeed start = await store.GetChangesAsync(UserId, null, ContractEvents.Window, default);
        // A deferred constraint trigger runs at COMMIT, after every insert succeeded; it fails only the first time it fires (a
        // sequence is not rolled back), so one-by-one creates after the failed commit would succeed and show up in the feed.
        await ExecuteAsync($"""
            CREATE SEQUENCE "{_options.Schema}".commit_failures;
            CREATE FUNCTION "{_options.Schema}".fail_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('"{_options.Schema}".commit_failures') = 1 THEN
                    RAISE EXCEPTION 'commit refused';
                END IF;
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER fail_first_commit AFTER INSERT ON "{_options.Schema}".calendar_events
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "{_options.Schema}".fail_first_commit();
            """);

        IReadOnlyList<EventWriteResult> results = await store.CreateManyAsync(
            UserId, [EventWrite.Create(ContractEvents.InWindow("a")), EventWrite.Create(ContractEvents.InWindow("b", 1))], default);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(WriteStatus.TransientFailure, r.Status));
        Assert.All(results, r => Assert.Contains("commit refused", r.Message, StringComparison.Ordinal));
        Assert.Empty((await store.GetChangesAsync(UserId, start.NextCursor, ContractEvents.Window, default)).Changed);
    }

    [Fact]
    public async Task CreateManyAsync_OneInsertRefused_TheOthersAreMadeOneByOne()
    {
        var store = new PostgreSqlCalendarStore(_options, _clock);
        ChangeFeed start = await store.GetChangesAsync(UserId, null, ContractEvents.Window, default);
        await ExecuteAsync($"""
            CREATE FUNCTION "{_options.Schema}".refuse_bad() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.document ->> 'subject' = 'bad' THEN
                    RAISE EXCEPTION 'insert refused';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_bad BEFORE INSERT ON "{_options.Schema}".calendar_events
                FOR EACH ROW EXECUTE FUNCTION "{_options.Schema}".refuse_bad();
            """);

        IReadOnlyList<EventWriteResult> results = await store.CreateManyAsync(
            UserId, [EventWrite.Create(ContractEvents.InWindow("a")), EventWrite.Create(ContractEvents.InWindow("bad", 1)), EventWrite.Create(ContractEvents.InWindow("c", 2))], default);

        Assert.Equal([WriteStatus.Succeeded, WriteStatus.TransientFailure, WriteStatus.Succeeded], results.Select(r => r.Status));
        ChangeFeed changes = await store.GetChangesAsync(UserId, start.NextCursor, ContractEvents.Window, default);
        Assert.Equal(new[] { results[0].Event!.Id, results[2].Event!.Id }.Order(StringComparer.Ordinal), changes.Changed.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    public void Dispose() => server.DropSchema(_options);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private PostgreSqlCalendarStore Process(string name) => new(
        new PostgreSqlStoreOptions { ConnectionString = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { ApplicationName = name }.ConnectionString, Schema = _options.Schema },
        _clock);
}
