using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>The Graph emulator running in a child process (benchmarks/OutlookCalendarSync.EmulatorHost), seeded and listening.</summary>
/// <remarks>Disposing closes the child's stdin, which stops it.</remarks>
internal sealed class EmulatorHostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmulatorHostProcess(Process process, Uri graphBaseUrl)
    {
        _process = process;
        GraphBaseUrl = graphBaseUrl;
    }

    /// <summary>Gets the Graph base URL the emulator answers on.</summary>
    public Uri GraphBaseUrl { get; }

    /// <summary>Starts the emulator host and waits until it has seeded the mailbox.</summary>
    /// <param name="mailbox">The mailbox to seed.</param>
    /// <param name="count">How many events to seed.</param>
    /// <param name="latency">The latency the emulator adds to every HTTP request.</param>
    /// <param name="series">How many weekly series (20 occurrences each) to seed besides the single events.</param>
    /// <returns>The running emulator.</returns>
    public static async Task<EmulatorHostProcess> StartAsync(string mailbox, int count, TimeSpan latency, int series = 0)
    {
        string path = typeof(EmulatorHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "EmulatorHostPath").Value ?? string.Empty;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The emulator host is not built at '{path}': run the measurement with 'dotnet run -c Release --project benchmarks/OutlookCalendarSync.Benchmarks -- --memory', which builds it.");
        }

        var start = DotnetHost.StartInfo(path, mailbox, count.ToString(CultureInfo.InvariantCulture), ((int)latency.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), series.ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        Process process = Process.Start(start) ?? throw new InvalidOperationException("The emulator host did not start.");
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return new EmulatorHostProcess(process, new Uri(line["READY ".Length..]));
                }
            }

            throw new InvalidOperationException("The emulator host exited before it was ready (see its output above).");
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
