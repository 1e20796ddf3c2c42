using Microsoft.Extensions.Configuration;
using NodaTime;
using Spectre.Console;

namespace OutlookCalendarSync.Cli.Tests;

// StringWriters hold no unmanaged resources: nothing to dispose.
#pragma warning disable CA1001
/// <summary>Runs the tool in-process with a captured, non-interactive console (like CI: no TTY) and a given environment.</summary>
internal sealed class CliRun
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public CliRun(IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyDictionary<string, string?>? userSecrets = null)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_out),
        });
        console.Profile.Width = 160;
        var env = environment ?? new Dictionary<string, string?>();
        Context = new CliContext(
            console,
            _error,
            name => env.TryGetValue(name, out string? value) ? value : null,
            new ConfigurationBuilder().AddInMemoryCollection(userSecrets ?? new Dictionary<string, string?>()).Build(),
            SystemClock.Instance);
    }

    public CliContext Context { get; set; }

    public string Output => _out.ToString();

    public string Error => _error.ToString();

    public Task<int> RunAsync(params string[] args) => CliApplication.RunAsync(args, Context);
}
#pragma warning restore CA1001
