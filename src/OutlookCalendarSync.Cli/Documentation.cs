namespace OutlookCalendarSync.Cli;

/// <summary>
/// Where messages send the user for more: absolute links, since the installed tool has no docs folder next to it.
/// </summary>
internal static class Documentation
{
    private const string Repository = "https://github.com/outlookcalendarsync/OutlookCalendarSync";

    /// <summary>How to register the Azure app and where to find each value.</summary>
    public const string GettingStarted = Repository + "/blob/main/docs/getting-started.md";

    /// <summary>Every option, environment variable and exit code of the tool.</summary>
    public const string Configuration = Repository + "/blob/main/docs/configuration.md#the-outlook-calendar-sync-tool";

    /// <summary>Where to report what the tool did not expect.</summary>
    public const string Issues = Repository + "/issues";
}
