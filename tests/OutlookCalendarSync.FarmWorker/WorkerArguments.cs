using System.Globalization;

namespace OutlookCalendarSync.FarmWorker;

/// <summary>The worker's command line: <c>--name</c>, <c>--graph</c>, <c>--postgres</c>, <c>--schema</c> and a mode.</summary>
internal sealed class WorkerArguments
{
    public const string Usage =
        "Usage: OutlookCalendarSync.FarmWorker --name <worker> --graph <graph base url> --postgres <connection string> --schema <schema>\n"
        + "         [--lease-seconds 60] (--users <id,id,...> [--pause-ms 200] | --hangfire <hangfire schema> [--hangfire-workers 4] [--interval-seconds 900] [--invisibility-seconds 30] [--lock-timeout-seconds 600] [--dispatch-ahead-seconds 15])\n"
        + "Loop mode (--users) syncs the users one after another, again and again; Hangfire mode runs a Hangfire server with AddHangfireScheduling.\n"
        + "Both stop when stdin closes.";

    public required string Name { get; init; }

    public required Uri GraphBaseUrl { get; init; }

    public required string ConnectionString { get; init; }

    public required string Schema { get; init; }

    public int LeaseSeconds { get; init; } = 60;

    public IReadOnlyList<string> Users { get; init; } = [];

    public int PauseMilliseconds { get; init; } = 200;

    public string? HangfireSchema { get; init; }

    public int HangfireWorkers { get; init; } = 4;

    public int IntervalSeconds { get; init; } = 900;

    public int InvisibilitySeconds { get; init; } = 30;

    public int LockTimeoutSeconds { get; init; } = 600;

    /// <summary><c>HangfireSchedulingOptions.DispatchAhead</c>: the dispatch every 5 s, Hangfire's 1 s polls, and a margin.</summary>
    public int DispatchAheadSeconds { get; init; } = 15;

    public static WorkerArguments? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Length % 2 != 0
            || !values.TryGetValue("name", out string? name)
            || !values.TryGetValue("graph", out string? graph)
            || !values.TryGetValue("postgres", out string? postgres)
            || !values.TryGetValue("schema", out string? schema)
            || values.ContainsKey("users") == values.ContainsKey("hangfire"))
        {
            return null;
        }

        int Number(string key, int fallback) => values.TryGetValue(key, out string? text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

        return new WorkerArguments
        {
            Name = name,
            GraphBaseUrl = new Uri(graph),
            ConnectionString = postgres,
            Schema = schema,
            LeaseSeconds = Number("lease-seconds", 60),
            Users = values.TryGetValue("users", out string? users) ? users.Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
            PauseMilliseconds = Number("pause-ms", 200),
            HangfireSchema = values.GetValueOrDefault("hangfire"),
            HangfireWorkers = Number("hangfire-workers", 4),
            IntervalSeconds = Number("interval-seconds", 900),
            InvisibilitySeconds = Number("invisibility-seconds", 30),
            LockTimeoutSeconds = Number("lock-timeout-seconds", 600),
            DispatchAheadSeconds = Number("dispatch-ahead-seconds", 15),
        };
    }
}
