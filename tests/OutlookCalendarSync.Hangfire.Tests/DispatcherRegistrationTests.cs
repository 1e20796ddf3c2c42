using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OutlookCalendarSync.Hangfire.Internal;
using OutlookCalendarSync.PostgreSql.Tests;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Hangfire.Tests;

/// <summary>
/// The recurring dispatcher job's registration on real Hangfire servers sharing one PostgreSQL database: servers starting together,
/// and a server starting while the job's Hangfire lock is held, all start, and the job is registered once.
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class DispatcherRegistrationTests(PostgreSqlServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task FourServersStartingAtOnce_AllStartAndTheDispatcherIsRegisteredOnce()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);

        IReadOnlyList<IHost> hosts = await farm.AddServersAtOnceAsync("server-1", "server-2", "server-3", "server-4");

        Assert.All(hosts, host => Assert.True(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested));
        bool[] registered = await Task.WhenAll(hosts.Select(host => Registration(host).Completion.WaitAsync(Patience)));
        Assert.All(registered, Assert.True);
        AssertDispatcherRegisteredOnce(farm, hosts[0]);
    }

    [Fact]
    public async Task RecurringJobLockHeldByAnother_ServerStartsAndRegistersOnceTheLockIsReleased()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        var other = new PostgreSqlStorage(new NpgsqlConnectionFactory(farm.HangfireConnectionString, farm.HangfireOptions), farm.HangfireOptions);
        string jobId = new HangfireSchedulingOptions().DispatcherJobId;
        using IStorageConnection otherConnection = other.GetConnection();
        // The lock RecurringJobManager.AddOrUpdate takes (Hangfire.Core 1.8: "lock:recurring-job:" + the job's id); that the
        // registration waits while it is held, below, shows it is that lock.
        IDisposable held = otherConnection.AcquireDistributedLock("lock:recurring-job:" + jobId, TimeSpan.FromSeconds(10));
        IHost host;
        DispatcherRegistration registration;
        try
        {
            host = await farm.AddServerAsync("server-a");
            registration = Registration(host);

            Assert.True(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested);
            // Longer than the first retries; the lock is still held, so the job cannot be registered yet.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(registration.Completion.IsCompleted);
            using (IStorageConnection connection = other.GetConnection())
            {
                Assert.Empty(connection.GetAllItemsFromSet("recurring-jobs"));
            }
        }
        finally
        {
            held.Dispose();
        }

        Assert.True(await registration.Completion.WaitAsync(Patience));
        AssertDispatcherRegisteredOnce(farm, host);
    }

    [Fact]
    public async Task StorageUnreachable_HostFailsToStartNamingTheJob()
    {
        IHost host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddHangfire(c => c.UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2"),
                    new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false }));
                services.AddOutlookCalendarSync().UseCalendarStore(new InMemoryCalendarStore()).UseOutlookCalendar(new InMemoryOutlookCalendar())
                    .UseSyncStateStore(new InMemorySyncStateStore()).UseTokenStore(new InMemoryTokenStore()).AddHangfireScheduling();
            })
            .Build();
        using (host)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

            Assert.Contains("outlook-calendar-sync-dispatcher", error.Message, StringComparison.Ordinal);
            Assert.Contains("job storage", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.InnerException);
        }
    }

    [Fact]
    public async Task UnparsableCron_RegistrationFailsAtOnceWithoutRetrying()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        using ServiceProvider services = new ServiceCollection().AddLogging()
            .AddHangfire(c => c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(farm.HangfireConnectionString), farm.HangfireOptions))
            .BuildServiceProvider();
        _ = services.GetRequiredService<IGlobalConfiguration>();
        var settings = new HangfireSchedulingOptions { DispatchCron = "every minute" };
        using var registration = new DispatcherRegistration(new HangfireStorage(services), Options.Create(settings), new WarningLogger());

        await registration.StartAsync(CancellationToken.None);

        // The exception leaves ExecuteAsync, which stops a host by .NET's default; no retry is attempted for 5 minutes.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => registration.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(await registration.Completion);
        using IStorageConnection connection = services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Empty(connection.GetRecurringJobs());
    }

    [Fact]
    public async Task RecurringJobLockStaysBusy_RegistrationGivesUpWithAWarningAndNothingThrows()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        // Hangfire's log provider is global and bound to the last host configured: configure it for this test's services, as a
        // host does, or it would be an earlier test's disposed host.
        using ServiceProvider services = new ServiceCollection().AddLogging()
            .AddHangfire(c => c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(farm.HangfireConnectionString), farm.HangfireOptions))
            .BuildServiceProvider();
        _ = services.GetRequiredService<IGlobalConfiguration>();
        JobStorage storage = services.GetRequiredService<JobStorage>();
        var settings = new HangfireSchedulingOptions();
        var logger = new WarningLogger();
        using IStorageConnection holder = storage.GetConnection();
        using IDisposable held = holder.AcquireDistributedLock("lock:recurring-job:" + settings.DispatcherJobId, TimeSpan.FromSeconds(10));
        using var registration = new DispatcherRegistration(new HangfireStorage(services), Options.Create(settings), logger) { Patience = TimeSpan.FromSeconds(1) };

        await registration.StartAsync(CancellationToken.None);
        bool registered = await registration.Completion.WaitAsync(Patience);
        await registration.StopAsync(CancellationToken.None);

        Assert.False(registered);
        string warning = Assert.Single(logger.Warnings);
        Assert.Contains(settings.DispatcherJobId, warning, StringComparison.Ordinal);
        Assert.True(warning.Contains("lock stayed busy", StringComparison.Ordinal), warning);
        using IStorageConnection connection = storage.GetConnection();
        Assert.Empty(connection.GetAllItemsFromSet("recurring-jobs"));
    }

    private static DispatcherRegistration Registration(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<DispatcherRegistration>().Single();

    private static void AssertDispatcherRegisteredOnce(HangfireFarm farm, IHost host)
    {
        HangfireSchedulingOptions options = host.Services.GetRequiredService<IOptions<HangfireSchedulingOptions>>().Value;
        using IStorageConnection connection = farm.Storage.GetConnection();
        Assert.Equal([options.DispatcherJobId], connection.GetAllItemsFromSet("recurring-jobs"));
        RecurringJobDto job = Assert.Single(connection.GetRecurringJobs());
        Assert.Equal((options.DispatcherJobId, options.DispatchCron, nameof(OutlookCalendarSyncJobs.DispatchAsync)), (job.Id, job.Cron, job.Job.Method.Name));
    }

    /// <summary>Keeps the warnings (and errors) logged.</summary>
    private sealed class WarningLogger : ILogger<DispatcherRegistration>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _warnings = new();

        public IReadOnlyCollection<string> Warnings => _warnings;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                _warnings.Enqueue(formatter(state, exception) + " " + exception);
            }
        }
    }
}
