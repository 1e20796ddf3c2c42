using System.Globalization;
using System.Text.RegularExpressions;
using OutlookCalendarSync.Cli.Demo;
using OutlookCalendarSync.Cli.Rendering;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task RunAsync_NoArguments_RunsTheDemoAndExitsZero()
    {
        var cli = new CliRun();

        int exitCode = await cli.RunAsync();

        Assert.True(exitCode == ExitCodes.Ok, cli.Output + cli.Error);
        Assert.Contains("Run 1, the first sync", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Run 3, nothing changed: nothing new, 0 writes", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Both calendars are in step: yes.", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Daily stand-up", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Friday's stand-up deleted", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Graph emulator at http://127.0.0.1:", cli.Output, StringComparison.Ordinal);
        Assert.Contains("0 of them about past events", cli.Output, StringComparison.Ordinal);
        Assert.Contains("User:           ada", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Preview: 10 writes planned (Outlook: 6 to create, 0 to update, 0 to delete; local: 3 to create, 1 to update, 0 to delete)", Unwrapped(cli.Output), StringComparison.Ordinal);

        // The emails' breakdown adds up to their total.
        Match emails = Regex.Match(Unwrapped(cli.Output), @"Emails Outlook sent to attendees: (\d+) = (\d+) invitations .* \+ (\d+) updates .* \+ (\d+) cancellations \+ (\d+) answers to invitations");
        Assert.True(emails.Success, cli.Output);
        Assert.Equal(int.Parse(emails.Groups[1].Value, CultureInfo.InvariantCulture), Enumerable.Range(2, 4).Sum(g => int.Parse(emails.Groups[g].Value, CultureInfo.InvariantCulture)));

        // Events with the same start (Friday 16:00) come out in the same order every run: by subject.
        string[] lines = cli.Output.Split('\n');
        int dana = Array.FindLastIndex(lines, l => l.Contains("Fri", StringComparison.Ordinal) && l.Contains("16:00 London  1:1 with", StringComparison.Ordinal));
        int retro = Array.FindLastIndex(lines, l => l.Contains("16:00 London  Team retro", StringComparison.Ordinal));
        Assert.True(dana >= 0 && retro > dana, cli.Output);
        Assert.DoesNotContain("\u001b[", cli.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cli.Error);
    }

    [Fact]
    public async Task Demo_EndToEnd_BothSidesEqualAndLastRunMakesNoWrites()
    {
        var cli = new CliRun();
        using var folder = new TemporaryFolder();

        DemoOutcome outcome = await new DemoRunner(cli.Context).RunAsync(folder.Path, CancellationToken.None);

        Assert.Equal(3, outcome.Runs.Count);
        Assert.All(outcome.Runs, run => Assert.Empty(run.Failures));
        Assert.True(outcome.Runs[0].TotalWrites > 0);
        Assert.True(outcome.Runs[1].TotalWrites > 0);
        Assert.Equal(0, outcome.Runs[2].TotalWrites);
        Assert.True(outcome.InStep);
        Assert.Equal(outcome.LocalEvents.Count - 1, outcome.OutlookEvents.Count);
        Assert.Equal("Quarterly business review (already over)", Assert.Single(outcome.LocalOnly).Subject);
        Assert.Contains(outcome.Runs[0].Conflicts, c => c.Subject == "Budget review");
        Assert.Contains(outcome.Runs[1].Conflicts, c => c.Subject == "1:1 with Dana");
        Assert.True(File.Exists(folder.File("calendar.db")));
        Assert.NotNull(outcome.Outbox);
        Assert.Equal(0, outcome.Outbox.ForPastEvents);
        Assert.Equal(8, outcome.Outbox.Invitations);

        // The 4 emails that are not invitations: the moved stand-up occurrence and Sprint planning's new room, each to 2 attendees.
        Assert.Equal(4, outcome.Outbox.Updates);
        Assert.Equal(12, outcome.Outbox.Total);
        Assert.Equal([8, 4, 0], outcome.Previews.Select(p => p.InvitationEmails));

        // Each run's preview counted exactly what the run then wrote, the stand-up's moved occurrence included in run 1.
        Assert.Equal(6, outcome.Previews[0].Outlook.Created);
        for (int run = 0; run < outcome.Runs.Count; run++)
        {
            SyncResult result = outcome.Runs[run];
            SyncPreview preview = outcome.Previews[run];
            Assert.Equal(result.Outlook, preview.Outlook);
            Assert.Equal(result.Host, preview.Host);
            Assert.Equal(result.TotalWrites, preview.Host.Total + preview.Outlook.Total);
        }

        // The stand-up series and its moved occurrence reached Outlook in the first run; Outlook's deletion of Friday's
        // occurrence came back to the host's series as a deleted date.
        Model.CalendarEvent localSeries = Assert.Single(outcome.LocalEvents, e => e.IsSeriesMaster);
        Model.CalendarEvent outlookSeries = Assert.Single(outcome.OutlookEvents, e => e.IsSeriesMaster);
        NodaTime.LocalDate friday = Assert.Single(localSeries.Recurrence!.DeletedOccurrences);
        Assert.Equal(NodaTime.IsoDayOfWeek.Friday, friday.DayOfWeek);
        Assert.Equal(localSeries.Recurrence, outlookSeries.Recurrence);
        Assert.Equal(outlookSeries.Id, Assert.Single(outcome.OutlookEvents, e => e.IsSeriesException).SeriesMasterId);
        Assert.Equal(localSeries.Id, Assert.Single(outcome.LocalEvents, e => e.IsSeriesException).SeriesMasterId);
    }

    [Fact]
    public async Task RunAsync_DemoWithFolder_KeepsTheDatabase()
    {
        var cli = new CliRun();
        using var folder = new TemporaryFolder();

        int exitCode = await cli.RunAsync("demo", "--folder", folder.Path);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.True(File.Exists(folder.File("calendar.db")));
        Assert.Contains("under the user id 'ada'", Unwrapped(cli.Output), StringComparison.Ordinal);
        Assert.Contains("--user ada", Unwrapped(cli.Output), StringComparison.Ordinal);
    }

    /// <summary>The output with the console's line wrapping undone, to find a sentence wherever it was wrapped.</summary>
    private static string Unwrapped(string output) => Regex.Replace(output, @"\s*\r?\n", " ");
}
