namespace OutlookCalendarSync.Cli;

/// <summary>The entry point of <c>outlook-calendar-sync</c>.</summary>
internal static class Program
{
    /// <summary>Runs a command; with no arguments, the demo.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return await CliApplication.RunAsync(args, CliContext.ForProcess(), cancellation.Token).ConfigureAwait(false);
    }
}
