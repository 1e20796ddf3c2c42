using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.DependencyInjection;

public sealed class AddOutlookCalendarSyncTests
{
    [Fact]
    public void AddOutlookCalendarSync_OneFakeTimeProvider_DrivesTheClockToo()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddOutlookCalendarSync();
        using ServiceProvider provider = services.BuildServiceProvider();
        IClock clock = provider.GetRequiredService<IClock>();

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(Instant.FromUtc(2026, 11, 30, 13, 0), clock.GetCurrentInstant());
    }

    [Fact]
    public void AddOutlookCalendarSync_HostRegisteredItsOwnClock_KeepsIt()
    {
        var own = new NodaTime.Testing.FakeClock(Instant.FromUtc(2020, 1, 1, 0, 0));
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(own);
        services.AddOutlookCalendarSync();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public void AddOutlookCalendarSync_NoPortsRegistered_ExplainsEachMissingPort()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync();
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISyncEngine>());

        Assert.Contains("No ICalendarStore is registered", ex.Message);
        Assert.Contains("No IOutlookCalendar is registered", ex.Message);
        Assert.Contains("No ISyncStateStore is registered", ex.Message);
        Assert.Contains("UseCalendarStore", ex.Message);
    }

    [Fact]
    public void AddOutlookCalendarSync_InvalidOptions_SaysWhatToFix()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync(o =>
            {
                o.WindowBefore = Duration.FromDays(1000);
                o.WindowAfter = Duration.FromDays(1000);
                o.OutlookBatchSize = 50;
                o.MassDeletionThreshold = 2;
            })
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseOutlookCalendar(new InMemoryOutlookCalendar())
            .UseSyncStateStore(new InMemorySyncStateStore());
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OutlookCalendarSyncOptions>>().Value);

        Assert.Contains("five years", ex.Message);
        Assert.Contains("OutlookBatchSize must be from 1 to 20", ex.Message);
        Assert.Contains("MassDeletionThreshold is a share from 0 to 1", ex.Message);
    }

    [Fact]
    public void AddOutlookCalendarSync_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync(o => o.PushPastEvents = true);
        services.AddOutlookCalendarSync(o => o.Direction = SyncDirection.ToOutlookOnly)
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseOutlookCalendar(new InMemoryOutlookCalendar())
            .UseSyncStateStore(new InMemorySyncStateStore());
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ISyncEngine));
        Assert.Single(services, d => d.ServiceType == typeof(IConflictResolver));
        OutlookCalendarSyncOptions options = provider.GetRequiredService<IOptions<OutlookCalendarSyncOptions>>().Value;
        Assert.True(options.PushPastEvents);
        Assert.Equal(SyncDirection.ToOutlookOnly, options.Direction);
        Assert.NotNull(provider.GetRequiredService<ISyncEngine>());
    }

    [Fact]
    public void UseConflictResolver_ReplacesTheDefault()
    {
        var services = new ServiceCollection();
        var custom = new AlwaysOutlookResolver();
        services.AddOutlookCalendarSync().UseConflictResolver(custom);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(custom, provider.GetRequiredService<IConflictResolver>());
    }

    [Fact]
    public void AddOutlookCalendarSync_NullServices_Throws()
        => Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddOutlookCalendarSync());

    private sealed class AlwaysOutlookResolver : IConflictResolver
    {
        public ConflictResolution Resolve(SyncConflict conflict)
            => conflict.Outlook is null ? ConflictResolution.Delete("gone in Outlook") : ConflictResolution.Keep(conflict.Outlook, ConflictWinner.Outlook, "Outlook always wins");
    }
}
