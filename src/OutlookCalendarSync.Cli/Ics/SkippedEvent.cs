namespace OutlookCalendarSync.Cli.Ics;

/// <summary>An event left out of an import or export, and why: something Outlook's model cannot hold, named so the user can act.</summary>
/// <param name="Subject">The event's title, or null when it has none.</param>
/// <param name="Reason">Why it was left out and what to do.</param>
internal sealed record SkippedEvent(string? Subject, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"'{Subject ?? "(no title)"}' — {Reason}";
}
