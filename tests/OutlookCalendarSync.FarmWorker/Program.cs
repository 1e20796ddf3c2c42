using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.FarmWorker;
using OutlookCalendarSync.PostgreSql;
using OutlookCalendarSync.Reporting;

// A sync worker in a process of its own, for the process-kill tests and the farm benchmark: the state and the host calendar are
// in PostgreSQL (shared with the other workers), Outlook is the Graph emulator at --graph, reached over HTTP by the real SDK.
if (WorkerArguments.Parse(args) is not { } arguments)
{
    await Console.Error.WriteLineAsync(WorkerArguments.Usage);
    return 2;
}

var store = new PostgreSqlStoreOptions { ConnectionString = arguments.ConnectionString, Schema = arguments.Schema };
var leases = new LeaseJournal(new PostgreSqlSyncStateStore(store, SystemClock.Instance));
var services = new ServiceCollection();
services.AddLogging();
OutlookCalendarSyncBuilder sync = services
    .AddOutlookCalendarSync(o =>
    {
        o.LeaseDuration = Duration.FromSeconds(arguments.LeaseSeconds);
        o.SyncInterval = Duration.FromSeconds(arguments.IntervalSeconds);
    })
    .UseSyncStateStore(leases)
    .UseCalendarStore(new PostgreSqlCalendarStore(store, SystemClock.Instance))
    .UseAccessTokenProvider(new RunTaggedTokens(arguments.Name, leases))
    .UseMicrosoftGraph(o => o.GraphBaseUrl = arguments.GraphBaseUrl);

using var stop = new CancellationTokenSource();

// The parent closes stdin to stop the worker cleanly; a kill needs no cooperation.
_ = Task.Run(async () =>
{
    await Console.In.ReadToEndAsync();
    await stop.CancelAsync();
});

if (arguments.HangfireSchema is { } hangfireSchema)
{
    services.AddHangfire(c => c
        .UseSimpleAssemblyNameTypeSerializer()
        .UseRecommendedSerializerSettings()
        .UseFilter(new JobJournal(leases, Duration.FromSeconds(arguments.DispatchAheadSeconds)))
        .UsePostgreSqlStorage(
            o => o.UseNpgsqlConnection(arguments.ConnectionString),
            new PostgreSqlStorageOptions
            {
                SchemaName = hangfireSchema,
                QueuePollInterval = TimeSpan.FromSeconds(1),
                PrepareSchemaIfNecessary = true,
                // A killed server's job is fetched again one invisibility timeout after its last keep-alive, not after 30 minutes;
                // live servers keep the jobs they run invisible however long a run takes.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromSeconds(arguments.InvisibilitySeconds),
                // A distributed lock a killed server held (a job's state lock, taken while it moved the job to Processing) is taken
                // over after this; with the default 10 minutes that job's user waited 10 minutes in the farm benchmark.
                DistributedLockTimeout = TimeSpan.FromSeconds(arguments.LockTimeoutSeconds),
            }));
    services.AddHangfireServer(o =>
    {
        o.ServerName = arguments.Name;
        o.WorkerCount = arguments.HangfireWorkers;
        o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
    });
    sync.AddHangfireScheduling(o =>
    {
        o.DispatchCron = "*/5 * * * * *";
        o.DispatchAhead = Duration.FromSeconds(arguments.DispatchAheadSeconds);
    });
    var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    foreach (ServiceDescriptor service in services)
    {
        builder.Services.Add(service);
    }

    using IHost host = builder.Build();
    await host.StartAsync(stop.Token);
    WorkerOutput.Line("READY", arguments.Name);
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }

    await host.StopAsync(CancellationToken.None);
    return 0;
}

await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
var engine = provider.GetRequiredService<ISyncEngine>();
WorkerOutput.Line("READY", arguments.Name);
try
{
    while (!stop.IsCancellationRequested)
    {
        foreach (string user in arguments.Users)
        {
            long started = WorkerOutput.Now;
            SyncResult result = await engine.SyncAsync(user, stop.Token);
            WorkerOutput.Line("RUN", user, result.Status, result.TotalWrites, started, WorkerOutput.Now);
        }

        await Task.Delay(arguments.PauseMilliseconds, stop.Token);
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}

return 0;
