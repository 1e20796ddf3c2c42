using NodaTime;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>Starts the demo's Outlook calendar.</summary>
internal static class DemoOutlookFactory
{
    public static Task<IDemoOutlook> StartAsync(string userId, IClock clock, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IDemoOutlook>(new InMemoryDemoOutlook(userId, clock));
    }
}
