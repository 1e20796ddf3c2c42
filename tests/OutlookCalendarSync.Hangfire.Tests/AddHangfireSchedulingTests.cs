using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Hangfire.Tests;

public sealed class AddHangfireSchedulingTests
{
    [Fact]
    public void AddHangfireScheduling_CalledTwice_RegistersOnceAndRunsBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .AddHangfireScheduling(o => o.DueBatchSize = 50)
            .AddHangfireScheduling(o => o.Queue = "calendar");
        using ServiceProvider provider = services.BuildServiceProvider();

        HangfireSchedulingOptions options = provider.GetRequiredService<IOptions<HangfireSchedulingOptions>>().Value;

        Assert.Equal((50, "calendar"), (options.DueBatchSize, options.Queue));
        Assert.Single(services, d => d.ServiceType == typeof(IHangfireSyncScheduler));
        Assert.Single(services, d => d.ServiceType == typeof(OutlookCalendarSyncJobs));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public void AddHangfireScheduling_Defaults_EveryMinuteOnTheDefaultQueueWithTheSchedulersBackoff()
    {
        var options = new HangfireSchedulingOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(("* * * * *", "default", 1000), (options.DispatchCron, options.Queue, options.DueBatchSize));
        Assert.Equal((Duration.FromMinutes(1), Duration.FromHours(1), Duration.FromSeconds(30)), (options.FailureBackoff, options.MaxFailureBackoff, options.BusyRetryDelay));
        Assert.Equal(Duration.FromMinutes(2), options.DispatchAhead);
        Assert.Contains(new HangfireSchedulingOptions { DispatchAhead = Duration.FromDays(2) }.Validate(), e => e.Contains("DispatchAhead", StringComparison.Ordinal));
    }

    [Fact]
    public void AddHangfireScheduling_BadOptions_FailsAtStartNamingEach()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync().AddHangfireScheduling(o =>
        {
            o.Queue = "Calendar Sync";
            o.DispatchCron = " ";
            o.DueBatchSize = 0;
            o.FailureBackoff = Duration.FromHours(2);
            o.MaxFailureBackoff = Duration.FromHours(1);
            o.BusyRetryDelay = Duration.Zero;
            o.DispatchAhead = Duration.FromSeconds(-1);
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HangfireSchedulingOptions>>().Value);

        foreach (string name in new[] { "Queue", "DispatchCron", "DueBatchSize", "MaxFailureBackoff", "BusyRetryDelay", "DispatchAhead" })
        {
            Assert.Contains($"HangfireSchedulingOptions.{name}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Jobs_ResolvedLikeHangfiresActivatorDoes_UseTheHostsStorage()
    {
        var services = new ServiceCollection();
        services.AddSingleton<JobStorage>(new UnusableStorage());
        services.AddOutlookCalendarSync().UseCalendarStore(new InMemoryCalendarStore()).UseOutlookCalendar(new InMemoryOutlookCalendar())
            .UseSyncStateStore(new InMemorySyncStateStore()).UseTokenStore(new InMemoryTokenStore()).AddHangfireScheduling();
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using IServiceScope scope = provider.CreateScope();

        object jobs = ActivatorUtilitiesLike(scope.ServiceProvider, typeof(OutlookCalendarSyncJobs));
        var requests = provider.GetRequiredService<IHangfireSyncScheduler>();

        Assert.IsType<OutlookCalendarSyncJobs>(jobs);
        Assert.Throws<NotSupportedException>(() => requests.RequestSync("ada"));
        Assert.Throws<ArgumentException>(() => requests.RequestSync(" "));
    }

    /// <summary>What Hangfire.NetCore's job activator does: the type from the scope, else constructed.</summary>
    private static object ActivatorUtilitiesLike(IServiceProvider services, Type type) => ActivatorUtilities.GetServiceOrCreateInstance(services, type);

    /// <summary>A storage that says it is the one used, by refusing every connection.</summary>
    private sealed class UnusableStorage : JobStorage
    {
        public override global::Hangfire.Storage.IMonitoringApi GetMonitoringApi() => throw new NotSupportedException("monitoring");

        public override global::Hangfire.Storage.IStorageConnection GetConnection() => throw new NotSupportedException("connection");
    }
}
