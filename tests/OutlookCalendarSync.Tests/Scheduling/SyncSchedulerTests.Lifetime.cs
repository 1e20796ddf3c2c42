using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Scheduling;

/// <summary>Starting and stopping with the host, registration, validation and metrics.</summary>
public sealed partial class SyncSchedulerTests
{
    [Fact]
    public async Task StopAsync_RunInFlight_CancelsItWaitsForItAndStartsNothingElse()
    {
        await using var harness = new SchedulerHarness(o => o.MaxConcurrentRuns = 1);
        var runEnded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Engine.Script = (user, _, cancellationToken) => user == "ada" ? RunUntilCancelledAsync(cancellationToken) : null;
        await harness.StartAsync();
        harness.Scheduler.RequestSync("ada");
        harness.Scheduler.RequestSync("bob");
        await harness.Engine.WaitForRunsAsync("ada", 1);

        await harness.StopAsync();

        Assert.True(runEnded.Task.IsCompleted);
        Assert.True(await runEnded.Task, "the run saw the stopping token");
        Assert.Equal(0, harness.Engine.InFlight);
        Assert.Equal(0, harness.Engine.Runs("bob"));
        SyncSchedulerSnapshot snapshot = harness.Scheduler.GetSnapshot();
        Assert.Equal((0, 1), (snapshot.RunningCount, snapshot.QueueLength));

        async Task<SyncResult> RunUntilCancelledAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return new SyncResult { UserId = "ada", Status = SyncRunStatus.Synced };
            }
            finally
            {
                runEnded.SetResult(cancellationToken.IsCancellationRequested);
            }
        }
    }

    [Fact]
    public async Task Host_AddScheduler_SyncsDueUsersAndStopsWithTheHost()
    {
        var time = new FakeTimeProvider(TestEvents.Now.ToDateTimeOffset());
        var clock = new TimeProviderClock(time);
        var states = new InMemorySyncStateStore(clock);
        var outlook = new InMemoryOutlookCalendar(clock);
        var calendar = new InMemoryCalendarStore(clock);
        calendar.AddByUser("ada", TestEvents.Meeting("Ada's planning"));
        await states.SaveAsync(new Stores.SyncStateChanges(new Stores.SyncStateHeader("ada")), default);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddOutlookCalendarSync()
            .UseCalendarStore(calendar)
            .UseOutlookCalendar(outlook)
            .UseSyncStateStore(states)
            .AddScheduler(o => o.MaxConcurrentRuns = 2);
        using IHost host = builder.Build();

        await host.StartAsync();
        ISyncScheduler scheduler = host.Services.GetRequiredService<ISyncScheduler>();
        await Until.TrueAsync(() => scheduler.GetUser("ada")?.LastStatus is not null, "ada's run");
        await host.StopAsync();

        Assert.Equal(SyncRunStatus.Synced, scheduler.GetUser("ada")!.LastStatus);
        Assert.Single(outlook.GetAll("ada"));
    }

    [Fact]
    public async Task Host_InvalidSchedulerOptions_FailsToStartSayingWhatToFix()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseOutlookCalendar(new InMemoryOutlookCalendar())
            .UseSyncStateStore(new InMemorySyncStateStore())
            .AddScheduler(o =>
            {
                o.MaxConcurrentRuns = 0;
                o.PollInterval = Duration.Zero;
                o.FailureBackoff = Duration.FromMinutes(10);
                o.MaxFailureBackoff = Duration.FromMinutes(5);
            });
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaxConcurrentRuns must be at least 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PollInterval must be from one second to one day", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFailureBackoff must be from FailureBackoff", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddScheduler_CalledTwice_RegistersOneSchedulerBehindBothServices()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseOutlookCalendar(new InMemoryOutlookCalendar())
            .UseSyncStateStore(new InMemorySyncStateStore())
            .AddScheduler(o => o.MaxConcurrentRuns = 8)
            .AddScheduler(o => o.DueBatchSize = 10);
        using ServiceProvider provider = services.BuildServiceProvider();

        IHostedService hosted = Assert.Single(provider.GetServices<IHostedService>());
        SyncSchedulerOptions options = provider.GetRequiredService<IOptions<SyncSchedulerOptions>>().Value;

        Assert.Same(hosted, provider.GetRequiredService<ISyncScheduler>());
        Assert.Equal((8, 10), (options.MaxConcurrentRuns, options.DueBatchSize));
    }

    [Fact]
    public void SyncSchedulerOptions_Defaults_AreValid()
    {
        var options = new SyncSchedulerOptions();

        Assert.Empty(options.Validate());
        Assert.Equal((Duration.FromSeconds(30), 4, 100, Duration.FromMinutes(1), Duration.FromHours(1)),
            (options.PollInterval, options.MaxConcurrentRuns, options.DueBatchSize, options.FailureBackoff, options.MaxFailureBackoff));
    }

    [Fact]
    public async Task Metrics_RunsStartedLagAndQueue_AreRecordedOnTheLibrarysMeter()
    {
        var time = new FakeTimeProvider(TestEvents.Now.ToDateTimeOffset());
        var clock = new TimeProviderClock(time);
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IClock>(clock);
        services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore(clock))
            .UseOutlookCalendar(new InMemoryOutlookCalendar(clock))
            .UseSyncStateStore(new InMemorySyncStateStore(clock))
            .AddScheduler(o => o.RequestDelay = Duration.Zero);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IMeterFactory factory = provider.GetRequiredService<IMeterFactory>();
        var measurements = new System.Collections.Concurrent.ConcurrentQueue<(string Name, double Value, string? Trigger)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("outlook_calendar_sync.scheduler.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Trigger(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Trigger(tags))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Trigger(tags))));
        listener.Start();
        ISyncScheduler scheduler = provider.GetRequiredService<ISyncScheduler>();
        IHostedService service = Assert.Single(provider.GetServices<IHostedService>());

        await service.StartAsync(default);
        scheduler.RequestSync("ada");
        await Until.TrueAsync(() => scheduler.GetUser("ada")?.LastStatus is not null, "ada's run");
        listener.RecordObservableInstruments();
        await service.StopAsync(default);

        Assert.Contains(("outlook_calendar_sync.scheduler.runs_started", 1d, "requested"), measurements);
        Assert.Contains(("outlook_calendar_sync.scheduler.lag", 0d, "requested"), measurements);
        Assert.Contains(("outlook_calendar_sync.scheduler.queued", 0d, null), measurements);
        Assert.Contains(("outlook_calendar_sync.scheduler.running", 0d, null), measurements);

        static string? Trigger(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "trigger")
                {
                    return (string?)tag.Value;
                }
            }

            return null;
        }
    }
}
