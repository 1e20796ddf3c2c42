using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Cli.Rendering;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Sqlite;
using Spectre.Console;
using CalendarEvent = OutlookCalendarSync.Model.CalendarEvent;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>
/// The demo: a SQLite calendar in a temporary folder and an Outlook calendar, a week of events on both, three sync runs with
/// edits on both sides in between, and a check that both calendars ended up in step.
/// </summary>
internal sealed class DemoRunner(CliContext context)
{
    public const string UserId = "ada";

    /// <summary>Runs the demo.</summary>
    /// <param name="folder">Where to put the SQLite file; null for a temporary folder deleted afterwards.</param>
    /// <param name="cancellationToken">Stops the demo.</param>
    public async Task<DemoOutcome> RunAsync(string? folder, CancellationToken cancellationToken)
    {
        bool temporary = folder is null;
        folder ??= Path.Combine(Path.GetTempPath(), "outlook-calendar-sync-demo-" + Guid.NewGuid().ToString("N")[..8]);
        string databasePath = PrepareFolder(folder, temporary);
        try
        {
            await using IDemoOutlook outlook = await DemoOutlookFactory.StartAsync(UserId, context.Clock, cancellationToken).ConfigureAwait(false);
            return await RunAsync(outlook, databasePath, temporary, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (temporary)
            {
                TryDelete(folder);
            }
        }
    }

    /// <summary>Creates the folder and an empty SQLite calendar in it; the demo starts from an empty calendar, never from one it finds.</summary>
    /// <exception cref="CliException">The folder cannot be used.</exception>
    private static string PrepareFolder(string folder, bool temporary)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new CliException(ExitCodes.UsageError, "--folder needs the path of a folder; leave it out to use a temporary one.");
        }

        string databasePath;
        try
        {
            databasePath = Path.Combine(Path.GetFullPath(folder), "calendar.db");
            if (File.Exists(databasePath))
            {
                throw new CliException(
                    ExitCodes.FileError,
                    $"The folder '{Path.GetDirectoryName(databasePath)}' already holds a calendar.db; the demo starts from an empty calendar and leaves existing files alone. Pass --folder with another folder, or delete that file.");
            }

            Directory.CreateDirectory(folder);
            _ = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = databasePath }).GetAll(UserId);
            return databasePath;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or Microsoft.Data.Sqlite.SqliteException)
        {
            string hint = temporary ? "Set TMPDIR (TEMP on Windows) to a folder you can write, or pass --folder." : "Pass --folder with a folder you can write, or leave it out to use a temporary one.";
            throw new CliException(ExitCodes.FileError, $"Cannot keep the demo's calendar in '{folder}' ({error.Message.TrimEnd('.')}). {hint}", error);
        }
    }

    private async Task<DemoOutcome> RunAsync(IDemoOutlook outlook, string databasePath, bool temporary, CancellationToken cancellationToken)
    {
        IAnsiConsole console = context.Console;
        console.Write(new Rule("[bold]OutlookCalendarSync demo[/]").LeftJustified());
        console.MarkupLineInterpolated($"Local calendar: SQLite file [grey]{databasePath}[/]{(temporary ? " (temporary: deleted at the end)" : string.Empty)}");
        console.MarkupLineInterpolated($"User:           {UserId} (the user id of the demo's events in that file)");
        console.MarkupLineInterpolated($"Outlook:        {outlook.Description}");

        var sqliteOptions = new SqliteStoreOptions { DatabasePath = databasePath };
        var local = new SqliteCalendarStore(sqliteOptions, context.Clock);
        var activity = new SyncActivity();
        var services = new ServiceCollection();
        services.AddSingleton(context.Clock);
        OutlookCalendarSyncBuilder builder = services.AddOutlookCalendarSync(o => o.PushPastEvents = false)
            .UseCalendarStore(new ObservedCalendarStore(local, activity))
            .UseSyncStateStore(new SqliteSyncStateStore(sqliteOptions, context.Clock))
            .UseTokenStore(new SqliteTokenStore(sqliteOptions));
        outlook.Register(builder);
        ObserveOutlook(services, activity);
        await using ServiceProvider provider = services.BuildServiceProvider();
        ISyncEngine engine = provider.GetRequiredService<ISyncEngine>();

        var week = new DemoWeek(UserId, local, outlook, context.Clock.GetCurrentInstant());
        await week.SeedAsync(cancellationToken).ConfigureAwait(false);
        console.WriteLine();
        console.MarkupLineInterpolated($"[bold]Seeded the week of {week.Monday:yyyy'-'MM'-'dd}[/] (times in {DemoWeek.HomeZone}, {DemoWeek.NewYork} and {DemoWeek.Tokyo}):");
        await WriteCalendarsAsync(local, outlook, cancellationToken).ConfigureAwait(false);

        var runs = new List<SyncResult>();
        var previews = new List<SyncPreview>();
        async Task SyncAndRecordAsync(string label)
        {
            (SyncPreview preview, SyncResult result) = await SyncAsync(engine, local, outlook, activity, label, cancellationToken).ConfigureAwait(false);
            previews.Add(preview);
            runs.Add(result);
        }

        await SyncAndRecordAsync("Run 1, the first sync").ConfigureAwait(false);

        console.WriteLine();
        console.MarkupLine("[bold]Editing both sides[/]");
        foreach (string edit in await week.EditBothSidesAsync(cancellationToken).ConfigureAwait(false))
        {
            console.MarkupLineInterpolated($"  {edit}");
        }

        await SyncAndRecordAsync("Run 2, after the edits").ConfigureAwait(false);
        await SyncAndRecordAsync("Run 3, nothing changed").ConfigureAwait(false);

        IReadOnlyList<CalendarEvent> localEvents = local.GetAll(UserId);
        IReadOnlyList<CalendarEvent> outlookEvents = await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false);
        var outcome = new DemoOutcome(runs, previews, localEvents, outlookEvents, context.Clock.GetCurrentInstant(), outlook.Outbox);

        console.WriteLine();
        console.Write(new Rule("[bold]Result[/]").LeftJustified());
        await WriteCalendarsAsync(local, outlook, cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated($"The last run made {runs[^1].TotalWrites} writes.");
        console.MarkupLine(outcome.InStep ? "Both calendars are in step: [green]yes[/]." : "Both calendars are in step: [red]no[/].");
        foreach (CalendarEvent localOnly in outcome.LocalOnly)
        {
            console.MarkupLineInterpolated($"Only in the local calendar: '{localOnly.Subject}', over before the first sync: not pushed to Outlook (PushPastEvents = false), so no attendee was emailed about it.");
        }
        if (outlook.Outbox is { } outbox)
        {
            console.MarkupLineInterpolated(
                $"Emails Outlook sent to attendees: {outbox.Total} = {outbox.Invitations} invitations to new meetings pushed from the local calendar + {outbox.Updates} updates of meetings moved or changed + {outbox.Cancellations} cancellations + {outbox.Responses} answers to invitations; {outbox.ForPastEvents} of them about past events.");
        }
        else
        {
            console.MarkupLine("Emails Outlook sent to attendees: not counted by the in-memory Outlook.");
        }

        if (!temporary)
        {
            console.MarkupLineInterpolated($"The local calendar is kept in {databasePath}, under the user id '{UserId}': for example, outlook-calendar-sync export-ics demo.ics --database \"{databasePath}\" --user {UserId}");
        }

        return outcome;
    }

    private async Task<(SyncPreview Preview, SyncResult Result)> SyncAsync(
        ISyncEngine engine,
        SqliteCalendarStore local,
        IDemoOutlook outlook,
        SyncActivity activity,
        string label,
        CancellationToken cancellationToken)
    {
        IAnsiConsole console = context.Console;
        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(label)}[/]").LeftJustified());
        SyncPreview preview = await engine.PreviewAsync(UserId, cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated(
            $"Preview: {preview.Host.Total + preview.Outlook.Total} writes planned (Outlook: {Planned(preview.Outlook)}; local: {Planned(preview.Host)}), about {preview.InvitationEmails} emails to attendees.");
        var localBefore = new CalendarSnapshot(local.GetAll(UserId));
        var outlookBefore = new CalendarSnapshot(await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false));
        SyncResult result = await SyncProgressDisplay.RunAsync(context, label, activity, preview.Host.Total + preview.Outlook.Total, () => engine.SyncAsync(UserId, cancellationToken)).ConfigureAwait(false);
        var localAfter = new CalendarSnapshot(local.GetAll(UserId));
        var outlookAfter = new CalendarSnapshot(await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false));
        SyncReport.Write(console, result, outlookBefore.Compare(outlookAfter), localBefore.Compare(localAfter));
        return (preview, result);
    }

    private static string Planned(SyncCounts counts)
        => $"{counts.Created} to create, {counts.Updated} to update, {counts.Deleted} to delete";

    private async Task WriteCalendarsAsync(SqliteCalendarStore local, IDemoOutlook outlook, CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("local calendar (SQLite)");
        table.AddColumn("Outlook");
        string[] left = local.GetAll(UserId).InPrintOrder().Select(Describe).ToArray();
        string[] right = (await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false)).InPrintOrder().Select(Describe).ToArray();
        for (int i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            table.AddRow(new Text(i < left.Length ? left[i] : string.Empty), new Text(i < right.Length ? right[i] : string.Empty));
        }

        context.Console.Write(table);
    }

    /// <summary>Wraps whatever Outlook port is registered so the progress display sees its reads and writes.</summary>
    private static void ObserveOutlook(IServiceCollection services, SyncActivity activity)
    {
        ServiceDescriptor registered = services.Last(d => d.ServiceType == typeof(IOutlookCalendar));
        services.Replace(ServiceDescriptor.Singleton<IOutlookCalendar>(sp => new ObservedOutlookCalendar(
            registered.ImplementationInstance as IOutlookCalendar
            ?? registered.ImplementationFactory?.Invoke(sp) as IOutlookCalendar
            ?? (IOutlookCalendar)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
            activity)));
    }

    private static string Describe(CalendarEvent e)
    {
        string when = e.Timing.IsAllDay
            ? $"{e.Timing.StartDate:ddd dd MMM} all day"
            : $"{e.Timing.Start.LocalDateTime:ddd dd MMM HH:mm} {ShortZone(e.Timing.TimeZoneId)}";
        string people = e.Attendees.Count == 0 ? string.Empty : $", {e.Attendees.Count} attendee{(e.Attendees.Count == 1 ? string.Empty : "s")}";
        string series = e.Recurrence is { } rule
            ? $" (repeats {string.Join("/", rule.DaysOfWeek.Select(d => d.ToString()[..3]))}{(rule.DeletedOccurrences.Count == 0 ? string.Empty : ", not on " + string.Join(", ", rule.DeletedOccurrences.Select(d => d.ToString("ddd dd MMM", CultureInfo.InvariantCulture))))})"
            : string.Empty;
        return $"{when}  {e.Subject}{series}{people}";
    }

    private static string ShortZone(string? zone) => zone switch
    {
        DemoWeek.HomeZone => "London",
        DemoWeek.NewYork => "New York",
        DemoWeek.Tokyo => "Tokyo",
        null => string.Empty,
        _ => zone,
    };

    private static void TryDelete(string folder)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; the operating system cleans it up.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

/// <summary>What the demo did, for its summary and for tests.</summary>
internal sealed record DemoOutcome(
    IReadOnlyList<SyncResult> Runs,
    IReadOnlyList<SyncPreview> Previews,
    IReadOnlyList<CalendarEvent> LocalEvents,
    IReadOnlyList<CalendarEvent> OutlookEvents,
    Instant FinishedAt,
    OutboxSummary? Outbox)
{
    /// <summary>Local events that are not in Outlook: the past ones the first-sync policy keeps out.</summary>
    public IReadOnlyList<CalendarEvent> LocalOnly => LocalEvents.Where(l => !OutlookEvents.Any(o => SameContent(l, o))).ToList();

    /// <summary>Every Outlook event has its twin locally, and every local event has its twin in Outlook or is over.</summary>
    public bool InStep
        => OutlookEvents.All(o => LocalEvents.Any(l => SameContent(l, o)))
           && LocalOnly.All(e => e.Timing.EndsBefore(FinishedAt))
           && LocalEvents.Count - LocalOnly.Count == OutlookEvents.Count;

    private static bool SameContent(CalendarEvent a, CalendarEvent b) => a.DiffersFrom(b) == EventFields.None;
}
