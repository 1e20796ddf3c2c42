using OutlookCalendarSync.Cli.Demo;

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
    }
}
