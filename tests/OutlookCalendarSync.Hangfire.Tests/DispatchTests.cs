using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Hangfire.Internal;
using OutlookCalendarSync.PostgreSql.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Hangfire.Tests;

/// <summary>
/// The dispatcher's enqueuers side by side, its guard against dispatches side by side, and the expiry of the users' hashes, on
/// Hangfire.PostgreSql and the PostgreSQL state store. The hosts run no Hangfire server (as web front ends), so the jobs a dispatch
/// makes stay enqueued where the test reads them.
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class DispatchTests(PostgreSqlServer server)
{
    [Fact]
    public async Task Dispatch_ManyEnqueuersSideBySide_EnqueuesEachDueUserOnce_SkipsPendingAndJustFinishedUsers_KeepsRequests()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        string[] users = [.. Enumerable.Range(0, 300).Select(i => $"user{i:D3}")];
        await farm.ConnectAsync(users);
        IHost front = await farm.AddServerAsync("front-end", o => o.DispatchParallelism = 8, runsJobs: false);
        var pending = front.Services.GetRequiredService<PendingUserJobs>();

        // Before the dispatch: one user already enqueued, one asked for (a request merged into its job must stay), and one whose
        // job ended after any due list this dispatch reads (its Finished instant lies after the read: a run that just ended).
        using (IStorageConnection connection = farm.Storage.GetConnection())
        {
            Assert.True(pending.EnqueueDue(connection, "user000", SystemClock.Instance.GetCurrentInstant()));
            using IWriteOnlyTransaction transaction = connection.CreateWriteTransaction();
            transaction.SetRangeInHash(PendingUserJobs.UserKey("user002"), new Dictionary<string, string>
            {
                ["Finished"] = InstantPattern.ExtendedIso.Format(SystemClock.Instance.GetCurrentInstant() + Duration.FromHours(1)),
            });
            transaction.Commit();
        }

        Assert.True(front.Services.GetRequiredService<IHangfireSyncScheduler>().RequestSync("user001"));
        string requestedJob = Assert.Single(farm.UserJobs(), j => j.UserId == "user001").JobId;

        string outcome = await NewJobs(front).DispatchAsync(default);

        IReadOnlyList<(string JobId, string UserId, string State)> jobs = farm.UserJobs();
        Assert.Equal(users.Length - 1, jobs.Count);
        Assert.Equal(users.Where(u => u != "user002").Order(StringComparer.Ordinal), jobs.Select(j => j.UserId).Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.Equal("Enqueued", j.State));
        Assert.StartsWith("300 users due, 297 enqueued, 0 lost jobs replaced", outcome, StringComparison.Ordinal);
        Assert.Equal(requestedJob, Assert.Single(jobs, j => j.UserId == "user001").JobId);
        Assert.True(pending.WasRequested("user001", requestedJob));
        using IStorageConnection check = farm.Storage.GetConnection();
        Assert.Equal(users.Where(u => u != "user002").ToHashSet(), check.GetAllItemsFromSet(PendingUserJobs.PendingSet));

        // A second dispatch finds every due user holding a place and enqueues nothing.
        Assert.StartsWith("300 users due, 0 enqueued", await NewJobs(front).DispatchAsync(default), StringComparison.Ordinal);
        Assert.Equal(users.Length - 1, farm.UserJobs().Count);
    }

    [Fact]
    public async Task Dispatch_WhileAnotherDispatchHoldsTheGuard_EnqueuesNothing_AndTwoStartedTogetherEnqueueEachUserOnce()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        string[] users = [.. Enumerable.Range(0, 200).Select(i => $"user{i:D3}")];
        await farm.ConnectAsync(users);
        IHost first = await farm.AddServerAsync("front-a", o => o.DispatchParallelism = 4, runsJobs: false);
        IHost second = await farm.AddServerAsync("front-b", o => o.DispatchParallelism = 4, runsJobs: false);

        // A dispatch in progress elsewhere (however long it runs: no storage lock is held meanwhile).
        using (IStorageConnection connection = farm.Storage.GetConnection())
        {
            DispatchGuard other = Assert.IsType<DispatchGuard>(DispatchGuard.TryEnter(connection, SystemClock.Instance));
            Assert.Equal("Another server is dispatching.", await NewJobs(first).DispatchAsync(default));
            Assert.Empty(farm.UserJobs());
            other.Exit(connection);
        }

        string[] outcomes = await Task.WhenAll(
            Task.Run(() => NewJobs(first).DispatchAsync(default)),
            Task.Run(() => NewJobs(second).DispatchAsync(default)));

        IReadOnlyList<(string JobId, string UserId, string State)> jobs = farm.UserJobs();
        Assert.Equal(users.Order(StringComparer.Ordinal), jobs.Select(j => j.UserId).Order(StringComparer.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("200 users due, 200 enqueued", StringComparison.Ordinal));

        // The other one either found the guard taken or started after the first ended, finding every user enqueued.
        Assert.Contains(outcomes, o => o == "Another server is dispatching." || o.StartsWith("200 users due, 0 enqueued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchGuard_HeldUntilDropped_ExpiresWhenNotRenewed_AndATakenOverDispatchStops()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        await farm.AddServerAsync("front-end", runsJobs: false);
        using IStorageConnection a = farm.Storage.GetConnection();
        using IStorageConnection b = farm.Storage.GetConnection();

        DispatchGuard first = Assert.IsType<DispatchGuard>(DispatchGuard.TryEnter(a, SystemClock.Instance, renewEvery: TimeSpan.Zero));
        Assert.Null(DispatchGuard.TryEnter(b, SystemClock.Instance));
        Assert.True(first.Renew(a));
        Assert.Null(DispatchGuard.TryEnter(b, SystemClock.Instance));

        // Its server stalled past the lease: a server whose clock is past the lease takes over, and the stalled dispatch stops.
        var later = new OffsetClock(DispatchGuard.Lease + Duration.FromSeconds(1));
        DispatchGuard second = Assert.IsType<DispatchGuard>(DispatchGuard.TryEnter(b, later));
        Assert.False(first.Renew(a));
        first.Exit(a);
        Assert.Null(DispatchGuard.TryEnter(a, later));

        // Dropped by its holder, the guard is free at once.
        second.Exit(b);
        Assert.NotNull(DispatchGuard.TryEnter(a, SystemClock.Instance));
    }

    [Fact]
    public async Task UserHash_ExpiresOnceTheUsersJobEnded_AndIsKeptWhileTheUserHoldsAPlace()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        const string User = "gone";
        await farm.ConnectAsync([User]);
        IHost front = await farm.AddServerAsync("front-end", runsJobs: false);
        var pending = front.Services.GetRequiredService<PendingUserJobs>();
        using IStorageConnection connection = farm.Storage.GetConnection();
        var storage = (JobStorageConnection)connection;
        string key = PendingUserJobs.UserKey(User);

        Assert.True(pending.EnqueueDue(connection, User, SystemClock.Instance.GetCurrentInstant()));
        string jobId = Assert.Single(farm.UserJobs()).JobId;
        Assert.True(storage.GetHashTtl(key) < TimeSpan.Zero, "a user holding a place keeps its hash");

        // The job ended (the user was deleted meanwhile, say): only Finished is left, and it expires.
        Assert.Null(pending.FinishSuperseded(User, jobId));
        Assert.Equal(["Finished"], connection.GetAllEntriesFromHash(key).Keys);
        TimeSpan ttl = storage.GetHashTtl(key);
        Assert.InRange(ttl, PendingUserJobs.FinishedRetention - TimeSpan.FromMinutes(1), PendingUserJobs.FinishedRetention);

        // Enqueued again before it expired: the hash is kept again while the job holds the place.
        Assert.True(pending.EnqueueDue(connection, User, SystemClock.Instance.GetCurrentInstant()));
        Assert.True(storage.GetHashTtl(key) < TimeSpan.Zero, "a user enqueued again keeps its hash");
        Assert.Contains("JobId", connection.GetAllEntriesFromHash(key).Keys);
    }

    [Fact]
    public async Task Dispatch_EnqueuesUsersDueWithinDispatchAhead_WhoseJobsRunBeforeTheirNextSync_AndASecondDeliveryIsSuperseded()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        Instant now = SystemClock.Instance.GetCurrentInstant();
        await farm.State.SaveAsync(new SyncStateChanges(new SyncStateHeader("soon") { NextSyncAt = now + Duration.FromMinutes(1) }), default);
        await farm.State.SaveAsync(new SyncStateChanges(new SyncStateHeader("later") { NextSyncAt = now + Duration.FromMinutes(3) }), default);
        IHost front = await farm.AddServerAsync("front-end", o => o.DispatchAhead = Duration.FromMinutes(2), Duration.FromMinutes(15), runsJobs: false);

        // Due within the two minutes ahead: enqueued a minute before its NextSyncAt, so that its run ends by then.
        Assert.StartsWith("1 users due, 1 enqueued", await NewJobs(front).DispatchAsync(default), StringComparison.Ordinal);
        Assert.Equal("soon", Assert.Single(farm.UserJobs()).UserId);

        // The job runs although NextSyncAt is a minute away: the lead counts as due.
        string result = await NewJobs(front).SyncUserAsync("soon", 0, null, default);
        Assert.DoesNotContain(OutlookCalendarSyncJobs.SupersededOutcome, result, StringComparison.Ordinal);
        SyncStateHeader header = Assert.IsType<SyncStateHeader>(await farm.State.GetHeaderAsync("soon", default));
        Assert.NotNull(header.LastSyncAt);
        Assert.True(header.NextSyncAt > SystemClock.Instance.GetCurrentInstant() + Duration.FromMinutes(12), $"next sync {header.NextSyncAt}");

        // Delivered again right after its run, the job finds the user due only after the lead: no second run.
        Assert.StartsWith(OutlookCalendarSyncJobs.SupersededOutcome, await NewJobs(front).SyncUserAsync("soon", 0, null, default), StringComparison.Ordinal);
        Assert.Single(farm.State.GrantTimes("soon"));
    }

    [Fact]
    public async Task Dispatch_DispatchAheadLongerThanAQuarterOfTheSyncInterval_LooksOnlyAQuarterOfTheIntervalAhead_AndSoDoesTheJob()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        Instant now = SystemClock.Instance.GetCurrentInstant();
        await farm.State.SaveAsync(new SyncStateChanges(new SyncStateHeader("in2") { NextSyncAt = now + Duration.FromMinutes(2) }), default);
        await farm.State.SaveAsync(new SyncStateChanges(new SyncStateHeader("in4") { NextSyncAt = now + Duration.FromMinutes(4) }), default);
        IHost front = await farm.AddServerAsync("front-end", o => o.DispatchAhead = Duration.FromDays(1), Duration.FromMinutes(10), runsJobs: false);

        Assert.StartsWith("1 users due, 1 enqueued", await NewJobs(front).DispatchAsync(default), StringComparison.Ordinal);
        Assert.Equal("in2", Assert.Single(farm.UserJobs()).UserId);

        // A job of "in4" (a second delivery, say) finds it due only after the 2.5-minute lead: no run.
        Assert.StartsWith(OutlookCalendarSyncJobs.SupersededOutcome, await NewJobs(front).SyncUserAsync("in4", 0, null, default), StringComparison.Ordinal);
        Assert.Empty(farm.State.GrantTimes("in4"));
    }

    private static OutlookCalendarSyncJobs NewJobs(IHost host) => host.Services.GetRequiredService<OutlookCalendarSyncJobs>();

    private sealed class OffsetClock(Duration offset) : IClock
    {
        public Instant GetCurrentInstant() => SystemClock.Instance.GetCurrentInstant() + offset;
    }
}
