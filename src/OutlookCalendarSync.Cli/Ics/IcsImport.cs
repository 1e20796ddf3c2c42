namespace OutlookCalendarSync.Cli.Ics;

/// <summary>What <see cref="IcsConverter.Read"/> found in an iCalendar file.</summary>
/// <param name="Events">The single events and series masters, in file order, each series with its modified occurrences.</param>
/// <param name="Skipped">The VEVENTs left out, with the reason for each.</param>
internal sealed record IcsImport(IReadOnlyList<ImportedEvent> Events, IReadOnlyList<SkippedEvent> Skipped);
