using NodaTime;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>Starts the demo's Outlook calendar.</summary>
internal static class DemoOutlookFactory
{
    public static async Task<IDemoOutlook> StartAsync(string userId, IClock clock, CancellationToken cancellationToken)
        => await EmulatorDemoOutlook.StartAsync(userId, clock, cancellationToken).ConfigureAwait(false);
}
