using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using Spectre.Console;

namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>Prints a sync result: the writes per side, the conflicts and how each was settled, the notes and the failures.</summary>
internal static class SyncReport
{
    public static void Write(IAnsiConsole console, SyncResult result, SideChangesReport? outlook = null, SideChangesReport? local = null)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("side");
        table.AddColumn(new TableColumn("created").RightAligned());
        table.AddColumn(new TableColumn("updated").RightAligned());
        table.AddColumn(new TableColumn("deleted").RightAligned());
        table.AddColumn("events");
        AddRow(table, "Outlook", result.Outlook, outlook);
        AddRow(table, "local", result.Host, local);
        console.Write(table);

        foreach (ConflictReport conflict in result.Conflicts.OrderBy(c => c.Subject, StringComparer.Ordinal).ThenBy(c => c.HostId, StringComparer.Ordinal))
        {
            console.MarkupLineInterpolated($"  [yellow]conflict[/] '{conflict.Subject}': {conflict.Explanation} (winner: {Winner(conflict.Winner)})");
        }

        foreach (SyncNote note in result.Notes.OrderBy(n => n.Side).ThenBy(n => n.Subject, StringComparer.Ordinal).ThenBy(n => n.EventId, StringComparer.Ordinal))
        {
            console.MarkupLineInterpolated($"  [blue]note[/] {Side(note.Side)} '{note.Subject}': {note.Reason}");
        }

        foreach (SyncFailure failure in result.Failures.OrderBy(f => f.Side).ThenBy(f => f.Subject, StringComparer.Ordinal))
        {
            console.MarkupLineInterpolated($"  [red]failed[/] {Side(failure.Side)} {failure.Operation} '{failure.Subject}': {failure.Reason}{(failure.WillRetry ? " (retried next run)" : string.Empty)}");
        }

        if (result.Message is { Length: > 0 } message)
        {
            console.MarkupLineInterpolated($"  {message}");
        }
    }

    public static string Winner(ConflictWinner winner) => winner switch
    {
        ConflictWinner.Host => "the local calendar",
        ConflictWinner.Outlook => "Outlook",
        ConflictWinner.Merged => "merged field by field",
        ConflictWinner.Deleted => "deleted",
        _ => winner.ToString(),
    };

    private static string Side(SyncSide side) => side == SyncSide.Outlook ? "Outlook" : "local";

    private static void AddRow(Table table, string side, SyncCounts counts, SideChangesReport? changes)
    {
        string events = changes is null
            ? string.Empty
            : string.Join(
                Environment.NewLine,
                changes.Created.Select(s => "+ " + s).Concat(changes.Updated.Select(s => "~ " + s)).Concat(changes.Deleted.Select(s => "- " + s)));
        table.AddRow(
            new Text(side),
            new Text(counts.Created.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Text(counts.Updated.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Text(counts.Deleted.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Text(events.Length == 0 ? "-" : events));
    }
}
