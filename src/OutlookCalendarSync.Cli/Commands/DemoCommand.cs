using System.CommandLine;
using OutlookCalendarSync.Cli.Demo;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary><c>demo</c>, also what runs with no command at all.</summary>
internal sealed class DemoCommand
{
    private readonly CliContext _context;
    private readonly Option<string?> _folder = new("--folder")
    {
        Description = "Keep the demo's SQLite calendar in this folder instead of a temporary one deleted at the end",
        HelpName = "path",
    };

    public DemoCommand(CliContext context)
    {
        _context = context;
        Command = new Command("demo", "Runs a two-way sync of a week of events between a SQLite calendar and a local Microsoft Graph emulator (the default command)");
        Command.Add(_folder);
        Command.SetAction(RunAsync);
    }

    public Command Command { get; }

    public Task<int> RunDefaultAsync(ParseResult parse, CancellationToken cancellationToken) => RunDemoAsync(null, cancellationToken);

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) => RunDemoAsync(parse.GetValue(_folder), cancellationToken);

    private async Task<int> RunDemoAsync(string? folder, CancellationToken cancellationToken)
    {
        DemoOutcome outcome = await new DemoRunner(_context).RunAsync(folder, cancellationToken).ConfigureAwait(false);
        bool ok = outcome.InStep && outcome.Runs[^1].TotalWrites == 0 && outcome.Runs.All(r => r.Failures.Count == 0);
        return ok ? ExitCodes.Ok : ExitCodes.SyncFailures;
    }
}
