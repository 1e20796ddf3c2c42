using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>
/// Peak memory of a first sync pulling 10,000 Outlook events, with the library alone in the measured process: the Graph emulator
/// runs in a child process (EmulatorHost) and the host calendar and sync state are SQLite files, so neither the emulator nor an
/// in-memory test double is counted. Each run is a fresh process (<see cref="MeasuredRun"/>) syncing a fresh user into a fresh file.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/OutlookCalendarSync.Benchmarks -- --memory [--runs 3] [--count 10000]
/// [--latency 0] [--phase sync|preview|feed|pullfeed|localwrites|journal|engine|rawpages|sdkpages|readerpages] [--details]</c>. GC settings such as <c>DOTNET_gcServer=1</c> are taken
/// from the environment, which the runs inherit.
/// </remarks>
internal static class FirstSyncMemory
{
    /// <summary>The argument that starts this measurement instead of BenchmarkDotNet.</summary>
    public const string Argument = "--memory";

    private const string Mailbox = "memory-mailbox";

    /// <summary>Starts the emulator, measures the runs one after the other and prints their figures.</summary>
    /// <param name="args">The options after <c>--memory</c>.</param>
    /// <returns>The exit code: 0 when every run completed.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = 3;
        int count = 10_000;
        int latencyMs = 0;
        MeasuredPhase phase = MeasuredPhase.Sync;
        bool details = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--count" when i + 1 < args.Length:
                    count = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--latency" when i + 1 < args.Length:
                    latencyMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--phase" when i + 1 < args.Length && Enum.TryParse(args[i + 1], ignoreCase: true, out MeasuredPhase parsed):
                    phase = parsed;
                    i++;
                    break;
                case "--details":
                    details = true;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option '{args[i]}'. Usage: {Argument} [--runs 3] [--count 10000] [--latency 0] [--phase sync|preview|feed|pullfeed|localwrites|journal|engine|rawpages|sdkpages|readerpages] [--details]");
                    return 2;
            }
        }

        Console.WriteLine($"// First sync memory: {count:N0} Outlook events, {latencyMs} ms latency per request, phase {phase}, {runs} runs, each in a fresh process.");
        Console.WriteLine($"// {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores; GC settings from the environment: {GcEnvironment()}.");
        string folder = Directory.CreateTempSubdirectory("ocs-first-sync-memory-").FullName;
        var reports = new List<RunReport>();
        try
        {
            var seeding = Stopwatch.StartNew();
            await using EmulatorHostProcess emulator = await EmulatorHostProcess.StartAsync(Mailbox, count, TimeSpan.FromMilliseconds(latencyMs));
            Console.WriteLine($"// Emulator ready in its own process at {emulator.GraphBaseUrl} ({seeding.Elapsed.TotalSeconds:0.0} s to start and seed).");
            for (int run = 1; run <= runs; run++)
            {
                string user = $"{phase.ToString().ToLowerInvariant()}-{run}";
                RunReport report = await MeasureAsync(emulator.GraphBaseUrl, user, phase, Path.Combine(folder, $"{user}.db"), details);
                Console.WriteLine($"// run {run}: {Describe(report)}");
                reports.Add(report);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Console.WriteLine();
        PrintTable(reports);
        return reports.All(r => r.Failures == 0 && r.Status is not ("Failed" or "MassDeletionBlocked")) ? 0 : 1;
    }

    private static Task<RunReport> MeasureAsync(Uri graphBaseUrl, string user, MeasuredPhase phase, string databasePath, bool details)
        => MeasureAsync(graphBaseUrl, Mailbox, user, phase, databasePath, details);

    /// <summary>Runs one phase in a fresh process (<see cref="MeasuredRun"/>) against a mailbox of a running emulator.</summary>
    internal static async Task<RunReport> MeasureAsync(Uri graphBaseUrl, string mailbox, string user, MeasuredPhase phase, string databasePath, bool details)
    {
        string[] arguments = [MeasuredRun.Argument, graphBaseUrl.ToString(), mailbox, user, phase.ToString(), databasePath, .. details ? ["details"] : Array.Empty<string>()];
        ProcessStartInfo start = DotnetHost.StartInfo(typeof(FirstSyncMemory).Assembly.Location, arguments);
        start.RedirectStandardOutput = true;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("The measured run did not start.");
        RunReport? report = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                report = JsonSerializer.Deserialize<RunReport>(line["RESULT ".Length..]);
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        await process.WaitForExitAsync();
        return report ?? throw new InvalidOperationException($"The measured run of {user} ended with exit code {process.ExitCode} and no result (see its output above).");
    }

    private static string GcEnvironment()
    {
        string[] settings = [.. Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")];
        return settings.Length == 0 ? "none (defaults)" : string.Join(", ", settings);
    }

    private static string Describe(RunReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Status}, {r.Events:N0} events, {r.Failures} failures{(r.FirstFailure is null ? string.Empty : $" (first: {r.FirstFailure})")}; "
        + $"{(r.ServerGc ? "server" : "workstation")} GC{(r.ConcurrentGc ? ", concurrent" : string.Empty)}; "
        + $"working set {Mb(r.WorkingSetBefore)} MB before, peak {Mb(r.PeakWorkingSetSampled)} MB sampled ({Mb(r.AnonymousAtPeak)} MB anonymous, {Mb(r.FileBackedAtPeak)} MB file-backed, {Mb(r.SharedAtPeak)} MB shared) / {Mb(r.PeakWorkingSetProcess)} MB process high-water mark; "
        + $"heap {Mb(r.HeapBefore)} MB before, {Mb(r.HeapAfter)} MB after (full GC), peak {Mb(r.PeakHeap)} MB with garbage, {Mb(r.PeakHeapAfterCollection)} MB after a GC, GC committed up to {Mb(r.PeakCommitted)} MB; "
        + $"allocated {Mb(r.Allocated):N0} MB; GCs {r.Gen0Collections}/{r.Gen1Collections}/{r.Gen2Collections} (gen0/1/2); {r.WallTime.TotalSeconds:0.0} s");

    private static void PrintTable(List<RunReport> reports)
    {
        Console.WriteLine("| run | working set before | peak working set (sampled / high-water mark) | heap before → after (full GC) | peak heap (with garbage / after a GC) | allocated | wall time | events | status |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i < reports.Count; i++)
        {
            RunReport r = reports[i];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i + 1} | {Mb(r.WorkingSetBefore)} MB | {Mb(r.PeakWorkingSetSampled)} / {Mb(r.PeakWorkingSetProcess)} MB | {Mb(r.HeapBefore)} → {Mb(r.HeapAfter)} MB | {Mb(r.PeakHeap)} / {Mb(r.PeakHeapAfterCollection)} MB | {Mb(r.Allocated):N0} MB | {r.WallTime.TotalSeconds:0.0} s | {r.Events:N0} | {r.Status}, {r.Failures} failures |"));
        }
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);
}
