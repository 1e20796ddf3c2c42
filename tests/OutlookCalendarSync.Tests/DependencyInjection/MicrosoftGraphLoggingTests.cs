using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;
using OutlookCalendarSync.Tests.Authentication;

namespace OutlookCalendarSync.Tests.DependencyInjection;

/// <summary>The Graph HTTP client's request logs: off by default, on when the host asks for them.</summary>
public sealed class MicrosoftGraphLoggingTests
{
    private const string GraphClientCategory = "System.Net.Http.HttpClient." + MicrosoftGraphBuilderExtensions.HttpClientName;

    [Fact]
    public async Task UseMicrosoftGraph_ByDefault_LogsNoRequestOfTheGraphClient()
    {
        using var capture = new CapturingLoggerProvider();
        await using GraphEmulator emulator = await GraphEmulator.StartAsync();

        SyncResult result = await SyncOnceAsync(emulator, capture, _ => { });

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Equal("Sprint planning", Assert.Single(emulator.GetEvents("ada"))["subject"]!.GetValue<string>());
        Assert.NotEmpty(capture.Lines);
        Assert.DoesNotContain(capture.Lines, line => line.StartsWith(GraphClientCategory, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseMicrosoftGraph_WithTheDefaultLoggerAddedBack_LogsEachRequestAtInformation()
    {
        using var capture = new CapturingLoggerProvider();
        await using GraphEmulator emulator = await GraphEmulator.StartAsync();

        SyncResult result = await SyncOnceAsync(emulator, capture, services => services.AddHttpClient(MicrosoftGraphBuilderExtensions.HttpClientName).AddDefaultLogger());

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Contains(capture.Lines, line => line.StartsWith(GraphClientCategory + ".LogicalHandler Information Start processing HTTP request GET", StringComparison.Ordinal));
    }

    private static async Task<SyncResult> SyncOnceAsync(GraphEmulator emulator, CapturingLoggerProvider capture, Action<IServiceCollection> hostLogging)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var local = new InMemoryCalendarStore();
        Instant tomorrow = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(1);
        local.AddByUser("ada", new CalendarEvent
        {
            Subject = "Sprint planning",
            Timing = EventTiming.Timed(tomorrow.InUtc(), (tomorrow + Duration.FromHours(1)).InUtc()),
        });
        services.AddOutlookCalendarSync()
            .UseCalendarStore(local)
            .UseSyncStateStore(new InMemorySyncStateStore())
            .UseAccessTokenProvider(new MailboxTokens())
            .UseMicrosoftGraph(o => o.GraphBaseUrl = emulator.GraphBaseUrl);
        hostLogging(services);
        await using ServiceProvider provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<ISyncEngine>().SyncAsync("ada");
    }

    /// <summary>The emulator takes the bearer token as the mailbox name.</summary>
    private sealed class MailboxTokens : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }
}
