using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Cli.Rendering;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
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
        IAnsiConsole console = context.Console;
        bool temporary = folder is null;
        folder ??= Path.Combine(Path.GetTempPath(), "outlook-calendar-sync-demo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        string databasePath = Path.Combine(folder, "calendar.db");
        try
        {
            await using IDemoOutlook outlook = await DemoOutlookFactory.StartAsync(UserId, context.Clock, cancellationToken).ConfigureAwait(false);
            return await RunAsync(outlook, databasePath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (temporary)
            {
                TryDelete(folder);
            }
        }
    }

    private async Task<DemoOutcome> RunAsync(IDemoOutlook outlook, string databasePath, CancellationToken cancellationToken)
    {
        IAnsiConsole console = context.Console;
        console.Write(new Rule("[bold]OutlookCalendarSync demo[/]").LeftJustified());
        console.MarkupLineInterpolated($"Local calendar: SQLite file [grey]{databasePath}[/]");
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
        runs.Add(await SyncAsync(engine, local, outlook, activity, "Run 1, the first sync", cancellationToken).ConfigureAwait(false));

        console.WriteLine();
        console.MarkupLine("[bold]Editing both sides[/]");
        foreach (string edit in await week.EditBothSidesAsync(cancellationToken).ConfigureAwait(false))
        {
            console.MarkupLineInterpolated($"  {edit}");
        }

        runs.Add(await SyncAsync(engine, local, outlook, activity, "Run 2, after the edits", cancellationToken).ConfigureAwait(false));
        runs.Add(await SyncAsync(engine, local, outlook, activity, "Run 3, nothing changed", cancellationToken).ConfigureAwait(false));

        IReadOnlyList<CalendarEvent> localEvents = local.GetAll(UserId);
        IReadOnlyList<CalendarEvent> outlookEvents = await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false);
        var outcome = new DemoOutcome(runs, localEvents, outlookEvents, context.Clock.GetCurrentInstant(), outlook.Outbox);

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
            console.MarkupLineInterpolated($"Emails Outlook sent to attendees: {outbox.Total} ({outbox.Invitations} invitations to new meetings pushed from the local calendar), {outbox.ForPastEvents} about past events.");
        }
        else
        {
            console.MarkupLine("Emails Outlook sent to attendees: not counted by the in-memory Outlook.");
        }

        return outcome;
    }

    private async Task<SyncResult> SyncAsync(
        ISyncEngine engine, SqliteCalendarStore local, IDemoOutlook outlook, SyncActivity activity, string label, CancellationToken cancellationToken)
    {
        IAnsiConsole console = context.Console;
        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(label)}[/]").LeftJustified());
        SyncPreview preview = await engine.PreviewAsync(UserId, cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated($"Preview: {preview.Changes.Count(c => c.HostWrite is not null || c.OutlookWrite is not null)} changes planned, {preview.OutlookCreates} to create in Outlook, about {preview.InvitationEmails} invitation emails.");
        var localBefore = new CalendarSnapshot(local.GetAll(UserId));
        var outlookBefore = new CalendarSnapshot(await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false));
        int planned = preview.Host.Total + preview.Outlook.Total;
        SyncResult result = await SyncProgressDisplay.RunAsync(context, label, activity, planned, () => engine.SyncAsync(UserId, cancellationToken)).ConfigureAwait(false);
        var localAfter = new CalendarSnapshot(local.GetAll(UserId));
        var outlookAfter = new CalendarSnapshot(await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false));
        SyncReport.Write(console, result, outlookBefore.Compare(outlookAfter), localBefore.Compare(localAfter));
        return result;
    }

    private async Task WriteCalendarsAsync(SqliteCalendarStore local, IDemoOutlook outlook, CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("local calendar (SQLite)");
        table.AddColumn("Outlook");
        string[] left = local.GetAll(UserId).OrderBy(e => e.Timing.StartInstant).Select(Describe).ToArray();
        string[] right = (await outlook.GetAllAsync(cancellationToken).ConfigureAwait(false)).OrderBy(e => e.Timing.StartInstant).Select(Describe).ToArray();
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
