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
            };
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
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
