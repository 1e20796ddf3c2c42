using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using Spectre.Console;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>
/// Ctrl+C during <c>connect</c> and <c>demo</c>: exit code 130 and one line, never a stack trace. In-process through
/// <see cref="CliApplication"/> with the tool's own <see cref="CancelKeyHandler"/>, and as a real SIGINT to the tool's process.
/// </summary>
public sealed class CancellationTests : IDisposable
{
    private const string ClientId = "0f3c7a52-9a59-4f3a-9a53-1b7f0b9d2c11";
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_CtrlCWhileConnectWaitsForTheBrowser_ExitsCancelledWithOneLine()
    {
        using var ctrlC = new CancelKeyHandler();
        var cli = new CliRun(ConnectEnvironment(FreePort()));
        cli.Context = cli.Context with { OpenBrowser = _ => ctrlC.Press() };

        int exitCode = await CliApplication.RunAsync(["connect", "--timeout", "60"], cli.Context, ctrlC.Token);

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Equal("Cancelled (Ctrl+C)." + Environment.NewLine, cli.Error);
    }

    [Fact]
    public async Task RunAsync_CtrlCDuringTheDemoFirstRun_ExitsCancelledWithOneLine()
    {
        using var ctrlC = new CancelKeyHandler();
        var output = new PressOnText("Run 1, the first sync", () => ctrlC.Press());
        var error = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        var context = new CliContext(console, error, _ => null, new ConfigurationBuilder().Build(), SystemClock.Instance);

        int exitCode = await CliApplication.RunAsync(["demo"], context, ctrlC.Token);

        Assert.True(output.Pressed);
        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Equal("Cancelled (Ctrl+C)." + Environment.NewLine, error.ToString());
        Assert.DoesNotContain("Run 2", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Press_AfterTheCommandHasFinished_DoesNotThrow()
    {
        var ctrlC = new CancelKeyHandler();
        ctrlC.Dispose();

        Assert.True(ctrlC.Press());
    }

    [Fact]
    public void Press_Twice_CancelsOnceThenLetsTheProcessEnd()
    {
        using var ctrlC = new CancelKeyHandler();

        bool first = ctrlC.Press();
        bool cancelled = ctrlC.Token.IsCancellationRequested;
        bool second = ctrlC.Press();

        Assert.True(first);
        Assert.True(cancelled);
        Assert.False(second);
    }

    [UnixOnlyFact]
    public async Task Process_SigIntDuringTheDemo_Exits130WithOneLine()
    {
        (int exitCode, string output, string error) = await RunUntilThenInterruptAsync(["demo"], new Dictionary<string, string>(), "Run 1, the first sync");

        Assert.True(exitCode == ExitCodes.Cancelled, $"exit code {exitCode}{Environment.NewLine}{error}");
        Assert.Equal("Cancelled (Ctrl+C).", error.Trim());
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [UnixOnlyFact]
    public async Task Process_SigIntWhileConnectWaitsForTheBrowser_Exits130WithOneLine()
    {
        var environment = ConnectEnvironment(FreePort()).ToDictionary(e => e.Key, e => e.Value!);

        (int exitCode, string output, string error) = await RunUntilThenInterruptAsync(["connect", "--timeout", "120"], environment, "Waiting up to");

        Assert.True(exitCode == ExitCodes.Cancelled, $"exit code {exitCode}{Environment.NewLine}{error}");
        Assert.Equal("Cancelled (Ctrl+C).", error.Trim());
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    /// <summary>Starts the tool, waits for a line of its output, sends it SIGINT (what Ctrl+C does), and waits for it to end.</summary>
    private static async Task<(int ExitCode, string Output, string Error)> RunUntilThenInterruptAsync(
        string[] args, Dictionary<string, string> environment, string waitFor)
    {
        Assert.False(SigIntIgnored(), "SIGINT is ignored in this test process, and so in the tool it starts (a background job of a shell without job control): run the tests with job control ('set -m') or from a terminal.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "outlook-calendar-sync.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string inherited in start.Environment.Keys.Where(k => k.StartsWith("OCS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var error = new StringBuilder();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using Process tool = Process.Start(start)!;
        tool.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains(waitFor, StringComparison.Ordinal) == true)
            {
                reached.TrySetResult();
            }
        };
        tool.ErrorDataReceived += (_, e) =>
        {
            lock (error)
            {
                error.AppendLine(e.Data);
            }
        };
        tool.BeginOutputReadLine();
        tool.BeginErrorReadLine();
        try
        {
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(120));
            using (Process kill = Process.Start("kill", ["-INT", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!tool.HasExited)
            {
                tool.Kill(entireProcessTree: true);
            }
        }

        return (tool.ExitCode, output.ToString(), error.ToString());
    }

    /// <summary>Whether this process ignores SIGINT (Linux tells in /proc; elsewhere assume not).</summary>
    private static bool SigIntIgnored()
    {
        const ulong sigInt = 1UL << (2 - 1);
        string? line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & sigInt) != 0;
    }

    private Dictionary<string, string?> ConnectEnvironment(int port) => new()
    {
        [AccountSettings.ClientIdVariable] = ClientId,
        [AccountSettings.ClientSecretVariable] = "cancellation-test-secret",
        [AccountSettings.DatabaseVariable] = _folder.File("calendar.db"),
        [AccountSettings.RedirectPortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),

        // A closed loopback port: nothing may call Microsoft.
        [AccountSettings.GraphUrlVariable] = "http://127.0.0.1:9/v1.0/",
        [AccountSettings.AuthorityHostVariable] = "https://127.0.0.1:9/",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The console's output, which presses Ctrl+C once the demo prints a given text.</summary>
    private sealed class PressOnText(string text, Action press) : StringWriter
    {
        public bool Pressed { get; private set; }

        public override void Write(string? value)
        {
            base.Write(value);
            if (!Pressed && ToString().Contains(text, StringComparison.Ordinal))
            {
                Pressed = true;
                press();
            }
        }
    }
}
