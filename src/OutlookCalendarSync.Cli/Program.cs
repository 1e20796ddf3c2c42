namespace OutlookCalendarSync.Cli;

/// <summary>The entry point of <c>outlook-calendar-sync</c>.</summary>
internal static class Program
{
    /// <summary>Runs a command; with no arguments, the demo.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static async Task<int> Main(string[] args)
    {
        using var ctrlC = new CancelKeyHandler();
        ConsoleCancelEventHandler onCancelKeyPress = (_, e) => e.Cancel = ctrlC.Press();
        System.Console.CancelKeyPress += onCancelKeyPress;
        try
        {
            return await CliApplication.RunAsync(args, CliContext.ForProcess(), ctrlC.Token).ConfigureAwait(false);
        }
        finally
        {
            System.Console.CancelKeyPress -= onCancelKeyPress;
        }
    }
}
