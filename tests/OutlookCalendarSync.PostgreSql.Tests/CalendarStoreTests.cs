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

    public void Dispose() => server.DropSchema(_options);

    private PostgreSqlCalendarStore Process(string name) => new(
        new PostgreSqlStoreOptions { ConnectionString = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { ApplicationName = name }.ConnectionString, Schema = _options.Schema },
        _clock);
}
