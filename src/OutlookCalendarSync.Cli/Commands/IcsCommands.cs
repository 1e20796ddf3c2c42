using System.CommandLine;
using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Cli.Ics;
using OutlookCalendarSync.Model;
using Spectre.Console;
using CalendarEvent = OutlookCalendarSync.Model.CalendarEvent;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary><c>import-ics</c> and <c>export-ics</c>: the local SQLite calendar from and to an iCalendar file.</summary>
internal sealed class IcsCommands
{
    private readonly CliContext _context;
    private readonly AccountOptions _options = new();
    private readonly Argument<FileInfo> _importFile = new("file") { Description = "The .ics file to read", CustomParser = FilePath.Parse };
    private readonly Argument<FileInfo> _exportFile = new("file") { Description = "The .ics file to write (replaced if it exists)", CustomParser = FilePath.Parse };

    public IcsCommands(CliContext context)
    {
        _context = context;
        Import = new Command("import-ics", "Adds the events of an iCalendar file, recurring series included, to the local calendar; an event or series whose UID is already there is updated (or counted unchanged). Events Outlook cannot hold (such as an RRULE it cannot express, or RDATE) or that cannot be read (no start, an unknown time zone) are skipped with the reason");
        Import.Add(_importFile);
        _options.AddTo(Import, includeApp: false);
        Import.SetAction((parse, cancellationToken) => ImportAsync(_options.Resolve(parse, _context), parse.GetValue(_importFile)!, cancellationToken));

        Export = new Command("export-ics", "Writes the local calendar, recurring series and their modified occurrences included, to an iCalendar file");
        Export.Add(_exportFile);
        _options.AddTo(Export, includeApp: false);
        Export.SetAction((parse, cancellationToken) => ExportAsync(_options.Resolve(parse, _context), parse.GetValue(_exportFile)!, cancellationToken));
    }

    public Command Import { get; }

    public Command Export { get; }

    private async Task<int> ImportAsync(AccountSettings settings, FileInfo file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"Cannot read '{file.FullName}': {error.Message}", error);
        }

        IcsImport content;
        try
        {
            content = IcsConverter.Read(text);
        }
        catch (FormatException error)
        {
            throw new CliException(ExitCodes.FileError, $"Cannot import '{file.FullName}': {error.Message}", error);
        }

        await using LocalAccount account = LocalAccount.Open(settings, _context);
        IReadOnlyList<CalendarEvent> stored = account.Calendar.GetAll(settings.UserId);
        var byUid = stored
            .Where(e => e.ICalUId is not null && !e.IsSeriesException)
            .GroupBy(e => e.ICalUId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        ILookup<string, CalendarEvent> storedExceptions = stored.Where(e => e.IsSeriesException).ToLookup(e => e.SeriesMasterId!, StringComparer.Ordinal);
        var counts = new ImportCounts();
        foreach (ImportedEvent imported in content.Events)
        {
            string id;
            if (imported.Event.ICalUId is { } uid && byUid.TryGetValue(uid, out CalendarEvent? existing))
            {
                Update(account, settings.UserId, existing, imported.Event, counts);
                id = existing.Id!;
            }
            else
            {
                id = account.Calendar.AddByUser(settings.UserId, imported.Event).Id!;
                counts.Added++;
            }

            ImportExceptions(account, settings.UserId, id, imported.Exceptions, storedExceptions[id], counts);
        }

        string unchanged = counts.Unchanged > 0 ? $", {counts.Unchanged} unchanged" : string.Empty;
        string removed = counts.Removed > 0 ? $", {counts.Removed} removed (modified occurrences no longer in the file)" : string.Empty;
        _context.Console.MarkupLineInterpolated($"Imported {file.Name} into {settings.DatabasePath} (user {settings.UserId}): {counts.Added} added, {counts.Updated} updated{unchanged}{removed}.");
        ReportSkipped("Skipped", content.Skipped);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Stores a series' modified occurrences under its master: one with the original start of a stored one updates it, the others
    /// are added; stored ones the file no longer has are removed, since the file's VEVENTs with the series' UID are the whole series.
    /// </summary>
    private static void ImportExceptions(
        LocalAccount account, string userId, string masterId, IReadOnlyList<CalendarEvent> imported, IEnumerable<CalendarEvent> stored, ImportCounts counts)
    {
        var byOriginalStart = new Dictionary<Instant, CalendarEvent>();
        var stale = new List<CalendarEvent>();
        foreach (CalendarEvent existing in stored)
        {
            if (existing.OriginalStart is not { } start || !byOriginalStart.TryAdd(start, existing))
            {
                stale.Add(existing);
            }
        }

        foreach (CalendarEvent exception in imported)
        {
            CalendarEvent linked = exception with { SeriesMasterId = masterId };
            if (byOriginalStart.Remove(exception.OriginalStart!.Value, out CalendarEvent? existing))
            {
                Update(account, userId, existing, linked, counts);
            }
            else
            {
                account.Calendar.AddByUser(userId, linked);
                counts.Added++;
            }
        }

        foreach (CalendarEvent existing in stale.Concat(byOriginalStart.Values))
        {
            account.Calendar.DeleteByUser(userId, existing.Id!);
            counts.Removed++;
        }
    }

    /// <summary>
    /// Writes the file's version of a stored event; one with the same content is not written (no new version to sync) and counts
    /// as unchanged.
    /// </summary>
    private static void Update(LocalAccount account, string userId, CalendarEvent existing, CalendarEvent imported, ImportCounts counts)
    {
        if (existing.DiffersFrom(imported) == EventFields.None)
        {
            counts.Unchanged++;
            return;
        }

        account.Calendar.UpdateByUser(userId, existing.Id!, e => e.WithFieldsFrom(imported, EventFields.All));
        counts.Updated++;
    }

    private async Task<int> ExportAsync(AccountSettings settings, FileInfo file, CancellationToken cancellationToken)
    {
        await using LocalAccount account = LocalAccount.Open(settings, _context);
        IReadOnlyList<CalendarEvent> events = account.Calendar.GetAll(settings.UserId);
        string text = IcsConverter.Write(events, out IReadOnlyList<SkippedEvent> skipped);
        try
        {
            await File.WriteAllTextAsync(file.FullName, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"Cannot write '{file.FullName}': {error.Message}", error);
        }

        _context.Console.MarkupLineInterpolated($"Exported {events.Count - skipped.Count} events of user {settings.UserId} to {file.FullName}.");
        ReportSkipped("Left out", skipped);
        return ExitCodes.Ok;
    }

    /// <summary>Prints the events left out, each with its reason: one line for one, a list for more.</summary>
    private void ReportSkipped(string verb, IReadOnlyList<SkippedEvent> skipped)
    {
        if (skipped.Count == 1)
        {
            _context.Console.MarkupLineInterpolated($"{verb} 1 event: {skipped[0]}");
        }
        else if (skipped.Count > 1)
        {
            _context.Console.MarkupLineInterpolated($"{verb} {skipped.Count} events:");
            foreach (SkippedEvent left in skipped)
            {
                _context.Console.MarkupLineInterpolated($"  {left}");
            }
        }
    }

    /// <summary>What an import did, counted over single events, series masters and modified occurrences.</summary>
    private sealed class ImportCounts
    {
        public int Added { get; set; }

        public int Updated { get; set; }

        public int Unchanged { get; set; }

        public int Removed { get; set; }
    }
}
