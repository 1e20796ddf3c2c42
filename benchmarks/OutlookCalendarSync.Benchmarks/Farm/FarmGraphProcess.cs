using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using OutlookCalendarSync.Benchmarks.Memory;

namespace OutlookCalendarSync.Benchmarks.Farm;

/// <summary>
/// The Graph emulator in its own process in farm mode (<c>OutlookCalendarSync.EmulatorHost --farm</c>): seeded mailboxes, a record of
/// which run sent each request, and commands on stdin answered on stdout, one at a time. Disposing closes stdin, which stops it.
/// </summary>
internal sealed class FarmGraphProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private FarmGraphProcess(Process process, Uri graphBaseUrl)
    {
        _process = process;
        GraphBaseUrl = graphBaseUrl;
    }

    public Uri GraphBaseUrl { get; }

    public static async Task<FarmGraphProcess> StartAsync(int mailboxes, int eventsPerMailbox, TimeSpan latency)
    {
        string path = typeof(FarmGraphProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "EmulatorHostPath").Value ?? string.Empty;
        var start = DotnetHost.StartInfo(
            path,
            "--farm",
            mailboxes.ToString(CultureInfo.InvariantCulture),
            eventsPerMailbox.ToString(CultureInfo.InvariantCulture),
            ((int)latency.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        Process process = Process.Start(start) ?? throw new InvalidOperationException("The emulator host did not start.");
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                return new FarmGraphProcess(process, new Uri(line["READY ".Length..]));
            }
        }

        throw new InvalidOperationException("The emulator host exited before it was ready.");
    }

    /// <summary>Sends a command and returns its answer lines, up to and including the line <paramref name="last"/> accepts.</summary>
    public async Task<IReadOnlyList<string>> AskAsync(string command, Func<string, bool>? last = null)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            var lines = new List<string>();
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Add(line);
                if (last is null || last(line))
                {
                    return lines;
                }
            }

            throw new InvalidOperationException($"The emulator host exited while answering '{command}'.");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _gate.Dispose();
    }
}
