using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Diagnostics;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Diagnostics;

/// <summary>The health checks, run by the host's <see cref="HealthCheckService"/> from a real service provider.</summary>
public sealed class HealthCheckTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    [Fact]
    public async Task StateStore_InMemoryStoreAnswers_Healthy()
    {
        HealthReport report = await CheckAsync(b => b.UseSyncStateStore(new InMemorySyncStateStore(new FakeClock(Now))));

        Assert.Equal(HealthStatus.Healthy, report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.StateStoreCheckName].Status);
    }

    [Fact]
    public async Task StateStore_StoreThrows_UnhealthyWithTheExceptionMessage()
    {
        var store = new ProbeStore((_, _) => throw new InvalidOperationException("connection refused"));

        HealthReport report = await CheckAsync(b => b.UseSyncStateStore(store));

        HealthReportEntry entry = report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.StateStoreCheckName];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("connection refused", entry.Description, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task StateStore_StoreDoesNotAnswerWithinTheTimeout_Unhealthy()
    {
        var time = new FakeTimeProvider(Now.ToDateTimeOffset());
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new ProbeStore(async (_, cancellationToken) =>
        {
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        });

        Task<HealthReport> checking = CheckAsync(b => b.UseSyncStateStore(store), time: time, configure: o => o.StoreTimeout = Duration.FromSeconds(2));
        await entered.Task;
        time.Advance(TimeSpan.FromSeconds(2));
        HealthReport report = await checking;

        HealthReportEntry entry = report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.StateStoreCheckName];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("did not answer within 2 s", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduler_NoneRegistered_Healthy()
    {
        HealthReport report = await CheckAsync(b => b.UseSyncStateStore(new InMemorySyncStateStore(new FakeClock(Now))));

        Assert.Equal(HealthStatus.Healthy, report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.SchedulerCheckName].Status);
    }

    [Fact]
    public async Task Scheduler_QueuedUsersWithinTheThreshold_HealthyWithQueueData()
    {
        var scheduler = new SnapshotScheduler(Snapshot(
            User("ada", ScheduledUserState.Queued, queuedAt: Now - Duration.FromMinutes(4)),
            User("bob", ScheduledUserState.Running)));

        HealthReport report = await CheckAsync(b => b.UseSyncStateStore(new InMemorySyncStateStore(new FakeClock(Now))), scheduler);

        HealthReportEntry entry = report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.SchedulerCheckName];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(1, entry.Data["queue_length"]);
        Assert.Equal(1, entry.Data["running"]);
        Assert.Equal(240.0, entry.Data["lag_seconds"]);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task Scheduler_UserQueuedLongerThanTheThreshold_Degraded()
    {
        var scheduler = new SnapshotScheduler(Snapshot(User("ada", ScheduledUserState.Queued, queuedAt: Now - Duration.FromMinutes(6))));

        HealthReport report = await CheckAsync(b => b.UseSyncStateStore(new InMemorySyncStateStore(new FakeClock(Now))), scheduler);

        HealthReportEntry entry = report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.SchedulerCheckName];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(360.0, entry.Data["lag_seconds"]);
        Assert.Equal(HealthStatus.Degraded, report.Status);
    }

    [Fact]
    public async Task Scheduler_IdleUserPastItsNextRunLongerThanAConfiguredThreshold_Degraded()
    {
        var scheduler = new SnapshotScheduler(Snapshot(User("ada", ScheduledUserState.Idle, nextRunAt: Now - Duration.FromSeconds(90))));

        HealthReport report = await CheckAsync(
            b => b.UseSyncStateStore(new InMemorySyncStateStore(new FakeClock(Now))),
            scheduler,
            configure: o => o.SchedulerLagThreshold = Duration.FromMinutes(1));

        Assert.Equal(HealthStatus.Degraded, report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.SchedulerCheckName].Status);
    }

    [Fact]
    public async Task Scheduler_UsersWhoseLastRunNeededReauthorization_CountedInData()
    {
        var scheduler = new SnapshotScheduler(Snapshot(
            User("ada", ScheduledUserState.Idle, lastStatus: SyncRunStatus.NeedsReauthorization),
            User("bob", ScheduledUserState.Idle, lastStatus: SyncRunStatus.Synced),
            User("cy", ScheduledUserState.Idle, lastStatus: SyncRunStatus.NeedsReauthorization)));

        HealthReport report = await CheckAsync(b => b.UseSyncStateStore(new InMemorySyncStateStore(new FakeClock(Now))), scheduler);

        Assert.Equal(2, report.Entries[OutlookCalendarSyncHealthChecksBuilderExtensions.SchedulerCheckName].Data["needs_reauthorization"]);
    }

    [Fact]
    public void AddOutlookCalendarSync_NonPositiveTimeout_Throws()
    {
        IHealthChecksBuilder builder = new ServiceCollection().AddHealthChecks();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddOutlookCalendarSync(o => o.StoreTimeout = Duration.Zero));
    }

    private static async Task<HealthReport> CheckAsync(
        Action<OutlookCalendarSync.DependencyInjection.OutlookCalendarSyncBuilder> ports,
        ISyncScheduler? scheduler = null,
        FakeTimeProvider? time = null,
        Action<OutlookCalendarSyncHealthCheckOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Now));
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(Now.ToDateTimeOffset()));
        ports(services.AddOutlookCalendarSync());
        if (scheduler is not null)
        {
            services.AddSingleton(scheduler);
        }

        services.AddHealthChecks().AddOutlookCalendarSync(configure);
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    }

    private static SyncSchedulerSnapshot Snapshot(params ScheduledUser[] users) => new()
    {
        TakenAt = Now,
        QueueLength = users.Count(u => u.State == ScheduledUserState.Queued),
        RunningCount = users.Count(u => u.State == ScheduledUserState.Running),
        Users = users,
    };

    private static ScheduledUser User(string id, ScheduledUserState state, Instant? queuedAt = null, Instant? nextRunAt = null, SyncRunStatus? lastStatus = null)
        => new() { UserId = id, State = state, QueuedAt = queuedAt, NextRunAt = nextRunAt, LastStatus = lastStatus };

    private sealed class SnapshotScheduler(SyncSchedulerSnapshot snapshot) : ISyncScheduler
    {
        public bool RequestSync(string userId) => throw new NotSupportedException();

        public ScheduledUser? GetUser(string userId) => throw new NotSupportedException();

        public SyncSchedulerSnapshot GetSnapshot() => snapshot;
    }

    /// <summary>A state store whose users-due read is the test's; every other call throws, as the check makes none.</summary>
    private sealed class ProbeStore(Func<Instant, CancellationToken, Task<IReadOnlyList<string>>> usersDue) : ISyncStateStore
    {
        public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken) => usersDue(now, cancellationToken);

        public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
            => throw new NotSupportedException();

        public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
