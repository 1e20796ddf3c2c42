using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OutlookCalendarSync.Testing.Emulator;

/// <summary>
/// The Graph of the farm benchmark: mailboxes <c>user-00000</c>, <c>user-00001</c>, ... seeded with events, serving workers whose
/// tokens are <c>{mailbox}|{worker}:{lease}</c> (the mailbox is what precedes <c>|</c>); the run after the bar is recorded with the
/// arrival of each request, so the emulator itself tells whether two runs of one mailbox ever sent requests at the same time.
/// </summary>
/// <remarks>
/// Commands on stdin, one answer line each on stdout:
/// <c>ADD &lt;mailbox&gt; &lt;subject&gt;</c> adds an event as the user would in Outlook (<c>ADDED</c>);
/// <c>EDIT &lt;mailbox&gt; &lt;subject&gt;</c> renames the mailbox's first seeded event not renamed yet (<c>EDITED</c>, or <c>NONE</c>);
/// <c>COUNT &lt;mailbox&gt; &lt;subject&gt;</c> answers <c>COUNT &lt;n&gt;</c>, how many events of the mailbox have that subject;
/// <c>REPORT</c> answers one <c>MAILBOX &lt;name&gt; &lt;events&gt; &lt;duplicated subjects&gt; &lt;hash of the sorted subjects&gt;</c>
/// line per mailbox, then <c>OVERLAP ...</c> lines, then <c>END &lt;runs&gt; &lt;requests&gt; &lt;overlaps&gt;</c>.
/// Closing stdin stops the emulator.
/// </remarks>
internal static class FarmGraph
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 3
            || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int mailboxes)
            || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int events)
            || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int latencyMs))
        {
            await Console.Error.WriteLineAsync("Usage: OutlookCalendarSync.EmulatorHost --farm <mailbox count> <events per mailbox> <latency ms>");
            return 2;
        }

        var runs = new RunLog();
        await using GraphEmulator emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Latency = TimeSpan.FromMilliseconds(latencyMs),
            ResolveMailbox = runs.ResolveMailbox,
        });
        for (int m = 0; m < mailboxes; m++)
        {
            string mailbox = Mailbox(m);
            for (int i = 0; i < events; i++)
            {
                string day = new DateOnly(2027, 1, 4).AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                emulator.AddEvent(mailbox, Event($"Outlook seed {i} of {mailbox}", $"{day}T14:00:00", $"{day}T14:30:00"));
            }
        }

        Console.WriteLine($"READY {emulator.GraphBaseUrl}");
        var edited = new HashSet<string>(StringComparer.Ordinal);
        while (await Console.In.ReadLineAsync() is { } command)
        {
            string[] parts = command.Split(' ', 3);
            switch (parts[0])
            {
                case "ADD":
                    string day = new DateOnly(2027, 2, 1).AddDays(Random.Shared.Next(60)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    emulator.AddEvent(parts[1], Event(parts[2], $"{day}T16:00:00", $"{day}T16:30:00"));
                    Console.WriteLine("ADDED");
                    break;
                case "EDIT":
                    JsonObject? seed = emulator.GetEvents(parts[1]).FirstOrDefault(e =>
                        Subject(e).StartsWith("Outlook seed ", StringComparison.Ordinal) && !edited.Contains(e["id"]!.GetValue<string>()));
                    if (seed is null)
                    {
                        Console.WriteLine("NONE");
                        break;
                    }

                    edited.Add(seed["id"]!.GetValue<string>());
                    emulator.UpdateEvent(parts[1], seed["id"]!.GetValue<string>(), new JsonObject { ["subject"] = parts[2] }.ToJsonString());
                    Console.WriteLine("EDITED");
                    break;
                case "COUNT":
                    Console.WriteLine($"COUNT {emulator.GetEvents(parts[1]).Count(e => Subject(e) == parts[2])}");
                    break;
                case "REPORT":
                    for (int m = 0; m < mailboxes; m++)
                    {
                        string[] subjects = [.. emulator.GetEvents(Mailbox(m)).Select(Subject).Order(StringComparer.Ordinal)];
                        int duplicated = subjects.Length - subjects.Distinct(StringComparer.Ordinal).Count();
                        Console.WriteLine($"MAILBOX {Mailbox(m)} {subjects.Length} {duplicated} {Hash(subjects)}");
                    }

                    (int runCount, int requestCount, IReadOnlyList<string> overlaps) = runs.Analyse();
                    foreach (string overlap in overlaps)
                    {
                        Console.WriteLine($"OVERLAP {overlap}");
                    }

                    Console.WriteLine($"END {runCount} {requestCount} {overlaps.Count}");
                    break;
                default:
                    Console.WriteLine($"UNKNOWN {parts[0]}");
                    break;
            }
        }

        return 0;
    }

    /// <summary>The name of the n-th mailbox, which is also its user's id.</summary>
    public static string Mailbox(int n) => $"user-{n:00000}";

    /// <summary>The hash the benchmark compares with its own of the host side: SHA-256 of the sorted subjects, one per line.</summary>
    public static string Hash(IEnumerable<string> sortedSubjects) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', sortedSubjects))))[..16];

    private static string Event(string subject, string start, string end) => new JsonObject
    {
        ["subject"] = subject,
        ["start"] = new JsonObject { ["dateTime"] = start, ["timeZone"] = "UTC" },
        ["end"] = new JsonObject { ["dateTime"] = end, ["timeZone"] = "UTC" },
    }.ToJsonString();

    private static string Subject(JsonObject e) => e["subject"]?.GetValue<string>() ?? string.Empty;

    /// <summary>Per mailbox and run, the arrival of the first and last request.</summary>
    private sealed class RunLog
    {
        private readonly Dictionary<(string Mailbox, string Run), (DateTime First, DateTime Last, int Requests)> _runs = [];

        public string? ResolveMailbox(string token)
        {
            int bar = token.IndexOf('|', StringComparison.Ordinal);
            string mailbox = bar < 0 ? token : token[..bar];
            string run = bar < 0 ? "untagged" : token[(bar + 1)..];
            DateTime now = DateTime.UtcNow;
            lock (_runs)
            {
                _runs[(mailbox, run)] = _runs.TryGetValue((mailbox, run), out var seen) ? (seen.First, now, seen.Requests + 1) : (now, now, 1);
            }

            return mailbox;
        }

        public (int Runs, int Requests, IReadOnlyList<string> Overlaps) Analyse()
        {
            lock (_runs)
            {
                var overlaps = new List<string>();
                foreach (var mailbox in _runs.GroupBy(r => r.Key.Mailbox))
                {
                    var ordered = mailbox.OrderBy(r => r.Value.First).ToList();
                    for (int i = 1; i < ordered.Count; i++)
                    {
                        if (ordered[i].Value.First <= ordered[i - 1].Value.Last)
                        {
                            overlaps.Add($"{mailbox.Key}: {ordered[i - 1].Key.Run} until {ordered[i - 1].Value.Last:HH:mm:ss.fff}, {ordered[i].Key.Run} from {ordered[i].Value.First:HH:mm:ss.fff}");
                        }
                    }
                }

                return (_runs.Count, _runs.Values.Sum(r => r.Requests), overlaps);
            }
        }
    }
}
