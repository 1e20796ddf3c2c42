using NodaTime;
using NodaTime.Testing;
using Npgsql;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql.Tests;

/// <summary>
/// Two store instances with connection pools of their own stand for two processes (or servers) sharing the database: the database,
/// not anything in memory, must keep them from both holding a lease or both saving one revision.
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class CrossProcessTests(PostgreSqlServer server) : IDisposable
{
    private const string UserId = "user-1";
    private static readonly Duration LeaseDuration = Duration.FromMinutes(5);
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 12, 1, 8, 0));

    [Fact]
    public async Task TryAcquireLeaseAsync_TwoProcessesRacing_ExactlyOneHoldsItEachRound()
    {
        (PostgreSqlSyncStateStore first, PostgreSqlSyncStateStore second) = TwoProcesses();
        for (int round = 0; round < 20; round++)
        {
            SyncLease?[] leases = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                Task.Run(() => (i % 2 == 0 ? first : second).TryAcquireLeaseAsync(UserId, LeaseDuration, default))));

            SyncLease winner = Assert.Single(leases, lease => lease is not null)!;
            Assert.Null(await (round % 2 == 0 ? second : first).RenewLeaseAsync(new SyncLease(UserId, "not-the-holder", winner.ExpiresAt), LeaseDuration, default));
            Assert.NotNull(await (round % 2 == 0 ? second : first).RenewLeaseAsync(winner, LeaseDuration, default));
            _clock.Advance(LeaseDuration);
        }
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HolderProcessCrashed_OtherProcessTakesOverAfterExpiry()
    {
        (PostgreSqlSyncStateStore crashed, PostgreSqlSyncStateStore survivor) = TwoProcesses();
        SyncLease? lost = await crashed.TryAcquireLeaseAsync(UserId, LeaseDuration, default);

        Assert.Null(await survivor.TryAcquireLeaseAsync(UserId, LeaseDuration, default));
        _clock.Advance(LeaseDuration);
        SyncLease? taken = await survivor.TryAcquireLeaseAsync(UserId, LeaseDuration, default);

        Assert.NotNull(lost);
        Assert.NotNull(taken);
        Assert.Null(await crashed.RenewLeaseAsync(lost, LeaseDuration, default));
    }

    [Fact]
    public async Task SaveAsync_TwoProcessesSavingOneRevision_OneWinsAndOnlyItsLinksAreStored()
    {
        (PostgreSqlSyncStateStore first, PostgreSqlSyncStateStore second) = TwoProcesses();
        await first.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [new StoredLink("h-0", "o-0", "base")] }, default);
        for (int round = 1; round <= 10; round++)
        {
            SyncStateHeader read = (await first.GetHeaderAsync(UserId, default))!;
            int r = round;
            Exception?[] outcomes = await Task.WhenAll(new[] { first, second }.Select((store, i) => Task.Run(async () =>
            {
                try
                {
                    await store.SaveAsync(
                        new SyncStateChanges(read with { LastError = $"process-{i}" })
                        {
                            DeletedHostIds = [$"h-{r - 1}"],
                            UpsertedLinks = [new StoredLink($"h-{r}", $"o-{r}", $"process-{i}"), new StoredLink($"h-{r}-{i}", $"o-{r}-{i}", "only-this-process")],
                        },
                        default);
                    return null;
                }
                catch (SyncStateConflictException error)
                {
                    return (Exception)error;
                }
            })));

            int winner = Array.FindIndex(outcomes, outcome => outcome is null);
            Assert.Single(outcomes, outcome => outcome is null);
            SyncStateHeader saved = (await second.GetHeaderAsync(UserId, default))!;
            Assert.Equal(read.Revision + 1, saved.Revision);
            Assert.Equal($"process-{winner}", saved.LastError);
            IReadOnlyList<StoredLink> links = await second.GetLinksAsync(UserId, default);
            Assert.Equal(
                [$"h-{r}", $"h-{r}-{winner}"],
                links.Where(link => link.HostId.StartsWith($"h-{r}", StringComparison.Ordinal)).Select(link => link.HostId).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(links, link => link.HostId == $"h-{r - 1}");
        }
    }

    public void Dispose() => server.DropSchema(_options);

    /// <summary>Two stores with separate connection pools (a different application name makes a different pool).</summary>
    private (PostgreSqlSyncStateStore, PostgreSqlSyncStateStore) TwoProcesses()
    {
        PostgreSqlSyncStateStore Process(string name) => new(
            new PostgreSqlStoreOptions { ConnectionString = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { ApplicationName = name }.ConnectionString, Schema = _options.Schema },
            _clock);
        return (Process("process-a"), Process("process-b"));
    }
}
