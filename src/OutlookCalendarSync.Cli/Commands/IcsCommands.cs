using System.CommandLine;
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
    private readonly Argument<FileInfo> _importFile = new("file") { Description = "The .ics file to read" };
    private readonly Argument<FileInfo> _exportFile = new("file") { Description = "The .ics file to write (replaced if it exists)" };

    public IcsCommands(CliContext context)
    {
        _context = context;
        Import = new Command("import-ics", "Adds the events of an iCalendar file to the local calendar; an event whose UID is already there is updated");
        Import.Add(_importFile);
        _options.AddTo(Import, includeApp: false);
        Import.SetAction((parse, cancellationToken) => ImportAsync(_options.Resolve(parse, _context), parse.GetValue(_importFile)!, cancellationToken));

        Export = new Command("export-ics", "Writes the local calendar to an iCalendar file");
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

        IReadOnlyList<CalendarEvent> events;
        int skipped;
        try
        {
            events = IcsConverter.Read(text, out skipped);
        }
        catch (FormatException error)
        {
            throw new CliException(ExitCodes.FileError, $"Cannot import '{file.FullName}': {error.Message}", error);
        }

        await using LocalAccount account = LocalAccount.Open(settings, _context);
        var byUid = account.Calendar.GetAll(settings.UserId)
            .Where(e => e.ICalUId is not null)
            .GroupBy(e => e.ICalUId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Id!, StringComparer.Ordinal);
        int added = 0, updated = 0;
        foreach (CalendarEvent imported in events)
        {
            if (imported.ICalUId is { } uid && byUid.TryGetValue(uid, out string? id))
            {
                account.Calendar.UpdateByUser(settings.UserId, id, existing => existing.WithFieldsFrom(imported, EventFields.All));
                updated++;
            }
            else
            {
                account.Calendar.AddByUser(settings.UserId, imported);
                added++;
            }
        }

        _context.Console.MarkupLineInterpolated($"Imported {file.Name} into {settings.DatabasePath} (user {settings.UserId}): {added} added, {updated} updated.");
        if (skipped > 0)
        {
            _context.Console.MarkupLineInterpolated($"Skipped {skipped} recurring events (series and their exceptions): this build does not sync recurring series yet.");
        }

        return ExitCodes.Ok;
    }

    private async Task<int> ExportAsync(AccountSettings settings, FileInfo file, CancellationToken cancellationToken)
    {
        await using LocalAccount account = LocalAccount.Open(settings, _context);
        IReadOnlyList<CalendarEvent> events = account.Calendar.GetAll(settings.UserId);
        string text = IcsConverter.Write(events, out int skipped);
        try
        {
            await File.WriteAllTextAsync(file.FullName, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"Cannot write '{file.FullName}': {error.Message}", error);
        }

        _context.Console.MarkupLineInterpolated($"Exported {events.Count - skipped} events of user {settings.UserId} to {file.FullName}.");
        if (skipped > 0)
        {
            _context.Console.MarkupLineInterpolated($"Left out {skipped} recurring events: this build does not export recurring series yet.");
        }

        return ExitCodes.Ok;
    }
}
