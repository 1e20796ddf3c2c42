using System.CommandLine;
using OutlookCalendarSync.Cli.Commands;

namespace OutlookCalendarSync.Cli;

/// <summary>Parses the command line, runs the command, and turns every outcome into a message and an exit code.</summary>
internal static class CliApplication
{
    public const string Name = "outlook-calendar-sync";

    /// <summary>Runs <c>outlook-calendar-sync</c> with <paramref name="args"/>; with none, the demo.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        RootCommand root = BuildCommands(context);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            string command = parse.CommandResult.Command is RootCommand ? string.Empty : " " + parse.CommandResult.Command.Name;
            await context.Error.WriteLineAsync($"Run '{Name}{command} --help' to see the commands and options.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        try
        {
            var invocation = new InvocationConfiguration
            {
                Output = context.Console.Profile.Out.Writer,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,

                // Ctrl+C reaches the command through cancellationToken only: a signal handler of System.CommandLine's own would
                // cancel the command behind the caller's back and race the caller's handler (an unhandled exception, exit 134).
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever a command was doing when Ctrl+C stopped it, stopping is what the user asked for.
            await context.Error.WriteLineAsync("Cancelled (Ctrl+C).").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (CliException error)
        {
            await context.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            return error.ExitCode;
        }
        catch (ReauthorizationRequiredException error)
        {
            await context.Error.WriteLineAsync($"error: {error.Message} Run '{Name} connect'.").ConfigureAwait(false);
            return ExitCodes.NeedsReauthorization;
        }
        catch (Microsoft.Data.Sqlite.SqliteException error)
        {
            await context.Error.WriteLineAsync($"error: The local calendar database could not be used ({FirstLine(error.Message)}). Check the --database path and its permissions.").ConfigureAwait(false);
            return ExitCodes.FileError;
        }
        catch (Exception error)
        {
            // A failure no command expected: still a message and an exit code, never a stack trace.
            await context.Error.WriteLineAsync($"error: {FirstLine(error.Message)} This was not expected: please report it, with the command you ran, at {Documentation.Issues}.").ConfigureAwait(false);
            return ExitCodes.SyncFailures;
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).TrimEnd();
    }

    private static RootCommand BuildCommands(CliContext context)
    {
        var root = new RootCommand(
            "Two-way sync between a local SQLite calendar and an Outlook calendar through Microsoft Graph. "
            + "With no command, runs the demo on a local Graph emulator.");
        var demo = new DemoCommand(context);
        root.Add(demo.Command);
        root.SetAction(demo.RunDefaultAsync);
        var accounts = new AccountCommands(context);
        foreach (Command command in accounts.Commands)
        {
            root.Add(command);
        }

        var ics = new IcsCommands(context);
        root.Add(ics.Import);
        root.Add(ics.Export);
        return root;
    }
}
