namespace OutlookCalendarSync.Cli.Tests;

public sealed class ArgumentTests
{
    [Fact]
    public async Task RunAsync_UnknownCommand_UsageErrorWithHint()
    {
        var cli = new CliRun();

        int exitCode = await cli.RunAsync("synk");

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("synk", cli.Error, StringComparison.Ordinal);
        Assert.Contains("outlook-calendar-sync --help", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResetWithUnknownDeletePolicy_UsageErrorNamingTheChoices()
    {
        var cli = new CliRun();

        int exitCode = await cli.RunAsync("reset", "--delete", "everything");

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("everything", cli.Error, StringComparison.Ordinal);
        Assert.Contains("outlook", cli.Error, StringComparison.Ordinal);
        Assert.Contains("outlook-calendar-sync reset --help", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ImportWithoutFile_UsageError()
    {
        var cli = new CliRun();

        int exitCode = await cli.RunAsync("import-ics");

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("import-ics --help", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PortNotANumber_UsageError()
    {
        var cli = new CliRun();

        int exitCode = await cli.RunAsync("connect", "--port", "eighty");

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("error: --port takes the port of the sign-in redirect URI: a whole number from 1 to 65535, and 'eighty' is not one.", cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Int32", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_ListsEveryCommandAndExitsZero()
    {
        var cli = new CliRun();

        int exitCode = await cli.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, exitCode);
        foreach (string command in new[] { "demo", "connect", "sync", "status", "preview", "import-ics", "export-ics", "disconnect", "reset" })
        {
            Assert.Contains(command, cli.Output, StringComparison.Ordinal);
        }
    }
}
