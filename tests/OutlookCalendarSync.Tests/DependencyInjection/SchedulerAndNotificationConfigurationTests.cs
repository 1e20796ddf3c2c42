using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Notifications;
using OutlookCalendarSync.Scheduling;

namespace OutlookCalendarSync.Tests.DependencyInjection;

/// <summary>The scheduler's and the change notifications' options bound from configuration sections, as appsettings.json gives them.</summary>
public sealed class SchedulerAndNotificationConfigurationTests
{
    [Fact]
    public void AddSchedulerAndAddChangeNotifications_FromConfigurationSections_BindTimeSpanAndRoundtripDurations()
    {
        using ServiceProvider provider = Build(new Dictionary<string, string?>
        {
            ["Sync:Scheduler:PollInterval"] = "00:00:10",
            ["Sync:Scheduler:MaxConcurrentRuns"] = "8",
            ["Sync:Scheduler:RequestDelay"] = "00:00:00.5000000",
            ["Sync:Scheduler:MaxFailureBackoff"] = "0:02:00:00",
            ["Sync:Notifications:NotificationUrl"] = "https://app.example.com/microsoft_graph/notifications",
            ["Sync:Notifications:LifecycleNotificationUrl"] = "https://app.example.com/microsoft_graph/lifecycle",
            ["Sync:Notifications:SubscriptionLifetime"] = "2.00:00:00",
            ["Sync:Notifications:RenewBefore"] = "12:00:00",
        });

        SyncSchedulerOptions scheduler = provider.GetRequiredService<IOptions<SyncSchedulerOptions>>().Value;
        ChangeNotificationOptions notifications = provider.GetRequiredService<IOptions<ChangeNotificationOptions>>().Value;

        Assert.Equal(Duration.FromSeconds(10), scheduler.PollInterval);
        Assert.Equal(8, scheduler.MaxConcurrentRuns);
        Assert.Equal(Duration.FromMilliseconds(500), scheduler.RequestDelay);
        Assert.Equal(Duration.FromHours(2), scheduler.MaxFailureBackoff);
        Assert.Equal(new Uri("https://app.example.com/microsoft_graph/notifications"), notifications.NotificationUrl);
        Assert.Equal(new Uri("https://app.example.com/microsoft_graph/lifecycle"), notifications.LifecycleNotificationUrl);
        Assert.Equal(Duration.FromDays(2), notifications.SubscriptionLifetime);
        Assert.Equal(Duration.FromHours(12), notifications.RenewBefore);
        Assert.Equal(Duration.FromMinutes(5), notifications.RenewalCheckInterval);
    }

    [Fact]
    public void AddChangeNotifications_FromConfiguration_InvalidValuesFailValidation()
    {
        using ServiceProvider provider = Build(new Dictionary<string, string?>
        {
            ["Sync:Notifications:NotificationUrl"] = "https://app.example.com/microsoft_graph/notifications",
            ["Sync:Notifications:LifecycleNotificationUrl"] = "https://app.example.com/microsoft_graph/lifecycle",
            ["Sync:Notifications:SubscriptionLifetime"] = "5.00:00:00",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChangeNotificationOptions>>().Value);

        Assert.Contains("SubscriptionLifetime", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .AddScheduler(configuration.GetSection("Sync:Scheduler"))
            .AddChangeNotifications(configuration.GetSection("Sync:Notifications"));
        return services.BuildServiceProvider();
    }
}
