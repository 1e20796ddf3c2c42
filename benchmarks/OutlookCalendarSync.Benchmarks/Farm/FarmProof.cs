using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Npgsql;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.PostgreSql;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.TestSupport;

namespace OutlookCalendarSync.Benchmarks.Farm;

/// <summary>
/// The proof at scale (issue 11 item 5): the Graph emulator in its own process with N mailboxes, one throwaway PostgreSQL cluster, W
/// worker processes with Hangfire (<c>AddHangfireScheduling</c> on Hangfire.PostgreSql); one worker is killed with SIGKILL in the
/// middle of the first syncs; then events change on both sides every few seconds for a while. Prints: how long each change took to
/// reach the other side (max, p95), whether two runs of one user ever overlapped (lease grants and the requests Graph saw),
/// duplicates and losses on either side, throughput in users per minute per worker, and how soon the killed worker's users resumed.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/OutlookCalendarSync.Benchmarks -- --farm &lt;workers&gt; &lt;mailboxes&gt;
/// [--events 4] [--interval-seconds 60] [--lease-seconds 20] [--latency-ms 50] [--change-minutes 3] [--changes-per-minute 12]
/// [--hangfire-workers 4] [--lock-timeout-seconds 600] [--invisibility-seconds 30] [--dispatch-ahead-seconds 15]</c> (Hangfire.PostgreSql's
/// <c>DistributedLockTimeout</c> and sliding <c>InvisibilityTimeout</c>; <c>HangfireSchedulingOptions.DispatchAhead</c>). Needs initdb and pg_ctl on PATH (/usr/lib/postgresql/15/bin).
/// </remarks>
internal static class FarmProof
{
    public const string Argument = "--farm";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2
            || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int workerCount)
            || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int userCount)
            || workerCount < 2)
        {
            Console.Error.WriteLine("Usage: --farm <workers, at least 2> <mailboxes> [--events 4] [--interval-seconds 60] [--lease-seconds 20] [--latency-ms 50] [--change-minutes 3] [--changes-per-minute 12] [--hangfire-workers 4] [--lock-timeout-seconds 600] [--invisibility-seconds 30] [--dispatch-ahead-seconds 15]");
            return 2;
        }

        var options = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["events"] = 4, ["interval-seconds"] = 60, ["lease-seconds"] = 20, ["latency-ms"] = 50, ["change-minutes"] = 3, ["changes-per-minute"] = 12, ["hangfire-workers"] = 4, ["lock-timeout-seconds"] = 600,
            ["invisibility-seconds"] = 30, ["dispatch-ahead-seconds"] = 15,
        };
        for (int i = 2; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = int.Parse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        int events = options["events"];
        var interval = TimeSpan.FromSeconds(options["interval-seconds"]);
        Stopwatch total = Stopwatch.StartNew();
        Console.WriteLine($"Farm: {workerCount} workers x {options["hangfire-workers"]} Hangfire workers, {userCount} mailboxes with {events} Outlook and {events} host events each, "
            + $"interval {interval.TotalSeconds:0} s, lease {options["lease-seconds"]} s, Graph latency {options["latency-ms"]} ms, Hangfire invisibility {options["invisibility-seconds"]} s (sliding), "
            + $"lock timeout {options["lock-timeout-seconds"]} s, dispatch ahead {options["dispatch-ahead-seconds"]} s, {Environment.ProcessorCount} cores.");

        using var postgres = new ThrowawayPostgreSqlCluster(maxConnections: 60 + (workerCount * 30), maximumPoolSize: 20);
        var store = new PostgreSqlStoreOptions { ConnectionString = postgres.ConnectionString, Schema = "farm" };
        var calendar = new PostgreSqlCalendarStore(store, SystemClock.Instance);
        var state = new PostgreSqlSyncStateStore(store, SystemClock.Instance);
        string[] users = [.. Enumerable.Range(0, userCount).Select(n => $"user-{n:00000}")];
        var expected = users.ToDictionary(u => u, _ => new List<string>(), StringComparer.Ordinal);

        await using FarmGraphProcess graph = await FarmGraphProcess.StartAsync(userCount, events, TimeSpan.FromMilliseconds(options["latency-ms"]));
        foreach (string user in users)
        {
            expected[user].AddRange(Enumerable.Range(0, events).Select(i => $"Outlook seed {i} of {user}"));
        }

        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (user, cancellationToken) =>
        {
            for (int i = 0; i < events; i++)
            {
                string subject = $"Host seed {i} of {user}";
                LocalDateTime start = new LocalDateTime(2027, 1, 4, 9, 0).PlusDays(i);
                await calendar.AddByUserAsync(user, new CalendarEvent { Subject = subject, Timing = EventTiming.Timed(start, start.PlusMinutes(30), "Europe/Berlin") }, cancellationToken);
                lock (expected)
                {
                    expected[user].Add(subject);
                }
            }

            await state.SaveAsync(new SyncStateChanges(new SyncStateHeader(user)), cancellationToken);
        });
        Console.WriteLine($"Seeded in {total.Elapsed.TotalSeconds:0} s.");

        var workers = new List<FarmWorkerProcess>();
        await using var stopWorkers = new AsyncCleanup(workers);
        for (int w = 1; w <= workerCount; w++)
        {
            workers.Add(FarmWorkerProcess.Start(
                $"worker-{w}",
                "--graph", graph.GraphBaseUrl.ToString(),
                "--postgres", postgres.ConnectionString,
                "--schema", store.Schema,
                "--lease-seconds", options["lease-seconds"].ToString(CultureInfo.InvariantCulture),
                "--hangfire", "hangfire",
                "--hangfire-workers", options["hangfire-workers"].ToString(CultureInfo.InvariantCulture),
                "--interval-seconds", options["interval-seconds"].ToString(CultureInfo.InvariantCulture),
                "--invisibility-seconds", options["invisibility-seconds"].ToString(CultureInfo.InvariantCulture),
                "--lock-timeout-seconds", options["lock-timeout-seconds"].ToString(CultureInfo.InvariantCulture),
                "--dispatch-ahead-seconds", options["dispatch-ahead-seconds"].ToString(CultureInfo.InvariantCulture)));
        }

        // First syncs of every user; one worker is killed halfway, while it holds leases.
        DateTime firstStart = DateTime.UtcNow;
        FarmWorkerProcess victim = workers[0];
        IReadOnlyList<string> killedUsers = [];
        var killedJobs = new List<(string JobId, string User)>();
        int synced = 0;
        while (synced < userCount)
        {
            await Task.Delay(500);
            synced = await CountSyncedAsync(postgres.ConnectionString, store.Schema);
            if (victim.KilledAt is null && synced >= userCount / 2 && victim.HeldUsers() is { Count: > 0 } held)
            {
                victim.Kill();
                // Exactly the users whose run was in progress on the victim at the kill: a lease it was granted and never released
                // (by the lines it printed before it died), or a job it was processing that had not ended (no JOB line) and whose run
                // had not released the user's lease by then (a run that ended but whose job was not marked done is not interrupted).
                held = victim.HeldUsers();
                var ended = victim.Jobs.Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
                var releases = victim.Lines.Where(l => l.Kind == "RELEASE").ToList();
                IReadOnlyList<(string JobId, string User, DateTime Since)> processing = await JobsProcessedByAsync(postgres.ConnectionString, victim.Name);
                killedJobs.AddRange(processing
                    .Where(p => !ended.Contains(p.JobId) && !releases.Any(r => r.User == p.User && r.At >= p.Since))
                    .Select(p => (p.JobId, p.User)));
                var fetched = killedJobs.Select(p => p.User).ToList();
                killedUsers = [.. held.Union(fetched, StringComparer.Ordinal)];
                Console.WriteLine($"Killed {victim.Name} at {synced} of {userCount} users synced, holding the leases of {held.Count} users ({string.Join(", ", held)}); "
                    + $"its Hangfire jobs being processed and not ended were of {fetched.Count} users ({string.Join(", ", fetched)}): {killedUsers.Count} users interrupted.");
            }

            if (DateTime.UtcNow - firstStart > TimeSpan.FromMinutes(30))
            {
                Console.WriteLine($"First syncs did not finish within 30 minutes ({synced} of {userCount}).");
                return 1;
            }
        }

        TimeSpan firstSyncs = DateTime.UtcNow - firstStart;
        (int spreadUsers, TimeSpan spread) = await FirstSyncSpreadAsync(postgres.ConnectionString, store.Schema, killedUsers);
        Console.WriteLine($"First sync of {userCount} users: all synced {firstSyncs.TotalSeconds:0.0} s after the workers started; the {spreadUsers} users the kill did not touch "
            + $"completed their first syncs within {spread.TotalSeconds:0.0} s of each other: {spreadUsers / spread.TotalMinutes:0} users/min, "
            + $"{spreadUsers / spread.TotalMinutes / (workerCount - 0.5):0} users/min per worker ({workerCount} workers, one killed halfway).");

        // Changes on both sides, a few per minute, each checked until it reached the other side.
        var changes = new List<(string User, string Subject, bool ToOutlook, DateTime MadeAt)>();
        var delays = new List<TimeSpan>();
        var pending = new List<(string User, string Subject, bool ToOutlook, DateTime MadeAt)>();
        DateTime changeStart = DateTime.UtcNow;
        DateTime changeEnd = changeStart + TimeSpan.FromMinutes(options["change-minutes"]);
        var every = TimeSpan.FromMinutes(1) / options["changes-per-minute"];
        DateTime nextChange = changeStart;
        int n = 0;
        while (DateTime.UtcNow < changeEnd || pending.Count > 0)
        {
            if (DateTime.UtcNow >= nextChange && DateTime.UtcNow < changeEnd)
            {
                string user = users[Random.Shared.Next(users.Length)];
                string subject = $"Change {n} of {user}";
                bool toOutlook = n % 2 == 0;
                bool edit = n % 4 >= 2;
                if (toOutlook)
                {
                    if (edit)
                    {
                        CalendarEvent seed = (await calendar.GetAllAsync(user, default)).First(e => e.Subject!.StartsWith("Host seed ", StringComparison.Ordinal));
                        await calendar.UpdateByUserAsync(user, seed.Id!, e => e with { Subject = subject }, default);
                        expected[user].Remove(seed.Subject!);
                    }
                    else
                    {
                        LocalDateTime start = new LocalDateTime(2027, 3, 1, 9, 0).PlusDays(n % 60);
                        await calendar.AddByUserAsync(user, new CalendarEvent { Subject = subject, Timing = EventTiming.Timed(start, start.PlusMinutes(30), "Europe/Berlin") }, default);
                    }
                }
                else
                {
                    string answer = (await graph.AskAsync($"{(edit ? "EDIT" : "ADD")} {user} {subject}"))[0];
                    if (answer == "EDITED")
                    {
                        string renamed = expected[user].First(s => s.StartsWith("Outlook seed ", StringComparison.Ordinal));
                        expected[user].Remove(renamed);
                    }
                    else if (answer != "ADDED")
                    {
                        throw new InvalidOperationException($"The emulator answered {answer} to a change.");
                    }
                }

                expected[user].Add(subject);
                var change = (user, subject, toOutlook, DateTime.UtcNow);
                changes.Add(change);
                pending.Add(change);
                n++;
                nextChange += every;
            }

            foreach (var change in pending.ToList())
            {
                bool arrived = change.ToOutlook
                    ? (await graph.AskAsync($"COUNT {change.User} {change.Subject}"))[0] != "COUNT 0"
                    : (await calendar.GetAllAsync(change.User, default)).Any(e => e.Subject == change.Subject);
                if (arrived)
                {
                    delays.Add(DateTime.UtcNow - change.MadeAt);
                    pending.Remove(change);
                }
                else if (DateTime.UtcNow - change.MadeAt > (interval * 3) + TimeSpan.FromMinutes(2))
                {
                    Console.WriteLine($"A change never arrived: {change.Subject} ({(change.ToOutlook ? "host to Outlook" : "Outlook to host")}).");
                    return 1;
                }
            }

            await Task.Delay(1000);
        }

        TimeSpan changePhase = DateTime.UtcNow - changeStart;
        var leases = workers.SelectMany(w => w.Lines).ToList();
        int steadyRuns = leases.Count(l => l.Kind == "LEASE" && l.At >= changeStart);
        List<JobLine> steadyJobs = [.. workers.SelectMany(w => w.Jobs).Where(j => j.Started >= changeStart)];

        // Let the last runs finish, then stop the workers, so the checks see a quiet farm.
        await Task.Delay(TimeSpan.FromSeconds(5));
        foreach (FarmWorkerProcess worker in workers)
        {
            await worker.DisposeAsync();
        }

        leases = [.. workers.SelectMany(w => w.Lines)];

        // Nothing lost, nothing duplicated: both sides hold exactly the expected subjects, each once.
        IReadOnlyList<string> report = await graph.AskAsync("REPORT", line => line.StartsWith("END ", StringComparison.Ordinal));
        int outlookDuplicates = 0, mismatched = 0, hostDuplicates = 0;
        foreach (string line in report.Where(l => l.StartsWith("MAILBOX ", StringComparison.Ordinal)))
        {
            string[] parts = line.Split(' ');
            string user = parts[1];
            outlookDuplicates += int.Parse(parts[3], CultureInfo.InvariantCulture);
            string[] host = [.. (await calendar.GetAllAsync(user, default)).Select(e => e.Subject ?? string.Empty).Order(StringComparer.Ordinal)];
            hostDuplicates += host.Length - host.Distinct(StringComparer.Ordinal).Count();
            string want = Hash(expected[user].Order(StringComparer.Ordinal));
            if (parts[4] != want || Hash(host) != want)
            {
                mismatched++;
                if (mismatched <= 5)
                {
                    Console.WriteLine($"{user} differs from what was expected: Outlook {(parts[4] == want ? "as expected" : "differs")} ({parts[2]} events), host {(Hash(host) == want ? "as expected" : "differs")} ({host.Length} events), expected {expected[user].Count}.");
                }
            }
        }

        string[] end = report[^1].Split(' ');
        var overlaps = report.Where(l => l.StartsWith("OVERLAP ", StringComparison.Ordinal)).ToList();
        List<string> leaseOverlaps = LeaseOverlaps(leases);

        // A job the victim was processing without holding its user's lease may have been one that would have ended without a run
        // (superseded: the user not due); such a user's run was not interrupted. Known once the job ran again elsewhere.
        IReadOnlyList<string> notInterrupted = await SupersededUsersAsync(postgres.ConnectionString, killedJobs, victim.HeldUsers());
        if (notInterrupted.Count > 0)
        {
            Console.WriteLine($"Of the killed worker's users, {notInterrupted.Count} had a job that, delivered again, ended superseded (the user was not due): no run was interrupted ({string.Join(", ", notInterrupted)}).");
            killedUsers = [.. killedUsers.Except(notInterrupted, StringComparer.Ordinal)];
        }

        // The killed worker's users: when another worker took each one's lease again.
        var resumed = killedUsers.Select(user => leases
            .Where(l => l.Kind == "LEASE" && l.User == user && l.At > victim.KilledAt!.Value)
            .Select(l => (TimeSpan?)(l.At - victim.KilledAt!.Value))
            .Min()).ToList();

        delays.Sort();

        // SyncInterval bounds how long a change waits (measured here from the change to the check that found it, checks about every
        // second, so a little longer than the sync took).
        int late = delays.Count(d => d > interval);
        Console.WriteLine();
        Console.WriteLine($"Changes: {changes.Count} in {changePhase.TotalMinutes:0.0} min ({changes.Count(c => c.ToOutlook)} host to Outlook, {changes.Count(c => !c.ToOutlook)} Outlook to host), "
            + $"all arrived: {delays.Count == changes.Count}; delay max {delays[^1].TotalSeconds:0.0} s, p95 {delays[(int)Math.Ceiling(delays.Count * 0.95) - 1].TotalSeconds:0.0} s, "
            + $"median {delays[delays.Count / 2].TotalSeconds:0.0} s (interval {interval.TotalSeconds:0} s); later than the interval: {late}.");
        Console.WriteLine($"Runs: {leases.Count(l => l.Kind == "LEASE")} lease grants; Graph saw {end[1]} runs and {end[2]} requests. "
            + $"Overlapping runs of one user: {overlaps.Count} by Graph's request log, {leaseOverlaps.Count} by the lease grants.");
        foreach (string overlap in overlaps.Take(5).Concat(leaseOverlaps.Take(5)))
        {
            Console.WriteLine($"  {overlap}");
        }

        Console.WriteLine($"Duplicates: {outlookDuplicates} in Outlook, {hostDuplicates} in the host. Users whose events differ from what was expected on either side: {mismatched} of {userCount}.");
        Console.WriteLine($"Steady state: {steadyRuns} runs in {changePhase.TotalMinutes:0.0} min by {workerCount - 1} workers: {steadyRuns / changePhase.TotalMinutes / (workerCount - 1):0} users/min per worker "
            + $"(the schedule asks {userCount / interval.TotalMinutes:0} runs/min).");
        Console.WriteLine($"Steady-state user jobs by cause: {steadyJobs.Count} jobs; "
            + $"{steadyJobs.Count(j => j.Ran && j.Due && j.FailedRuns == 0)} runs of users due, "
            + $"{steadyJobs.Count(j => j.Ran && !j.Due)} runs of users not due (requested), "
            + $"{steadyJobs.Count(j => j.Outcome == "Superseded")} superseded (user not due, no request: no run), "
            + $"{steadyJobs.Count(j => j.Outcome == "AlreadyRunning")} busy deferrals, "
            + $"{steadyJobs.Count(j => j.FailedRuns > 0)} retries after failures, "
            + $"{steadyJobs.Count(j => j.Outcome is "Throttled" or "Failed" or "Threw")} throttled or failed; "
            + $"{steadyJobs.GroupBy(j => j.JobId).Sum(g => g.Count() - 1)} second deliveries of a job id, "
            + $"{steadyJobs.Count(j => !j.HeldMarker)} jobs not holding their user's marker; "
            + $"users run twice within {interval.TotalSeconds / 2:0} s: {TwiceWithin(steadyJobs.Where(j => j.Ran), interval / 2)}.");
        Console.WriteLine($"Killed worker's users (runs in progress on it at the kill): {killedUsers.Count}; their next run on another worker began after "
            + string.Join(", ", resumed.Select(r => r is null ? "never" : $"{r.Value.TotalSeconds:0.0} s"))
            + $"; all within a minute: {(resumed.All(r => r is not null && r.Value < TimeSpan.FromMinutes(1)) ? "yes" : "no")}.");
        Console.WriteLine($"Total {total.Elapsed.TotalMinutes:0.0} min.");
        // Correctness decides; how soon the killed worker's users resumed is a figure (it depends on the queue ahead of their jobs).
        bool passed = delays.Count == changes.Count && late == 0 && overlaps.Count == 0 && leaseOverlaps.Count == 0 && outlookDuplicates == 0 && hostDuplicates == 0 && mismatched == 0
            && resumed.All(r => r is not null);
        Console.WriteLine(passed ? "PASSED" : "FAILED");
        return passed ? 0 : 1;
    }

    private static string Hash(IEnumerable<string> sortedSubjects) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', sortedSubjects))))[..16];

    private static async Task<int> CountSyncedAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".sync_headers WHERE last_sync_at_ticks IS NOT NULL", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>How many users (not <paramref name="excluded"/>) completed a first sync, and the time from the first to the last.</summary>
    private static async Task<(int Users, TimeSpan Spread)> FirstSyncSpreadAsync(string connectionString, string schema, IReadOnlyList<string> excluded)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT count(*), min(first_sync_at_ticks), max(first_sync_at_ticks) FROM \"{schema}\".sync_headers WHERE first_sync_at_ticks IS NOT NULL AND NOT (user_id = ANY(@excluded))",
            connection);
        command.Parameters.AddWithValue("excluded", excluded.ToArray());
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Convert.ToInt32(reader.GetInt64(0)), TimeSpan.FromTicks(reader.GetInt64(2) - reader.GetInt64(1)));
    }

    /// <summary>Users that ran more than once within <paramref name="window"/> (by the start of the jobs that ran the engine).</summary>
    private static int TwiceWithin(IEnumerable<JobLine> runs, TimeSpan window) =>
        runs.GroupBy(j => j.User).Count(g => g.OrderBy(j => j.Started).Zip(g.OrderBy(j => j.Started).Skip(1)).Any(p => p.Second.Started - p.First.Started < window));

    /// <summary>The users of <paramref name="jobs"/> (not holding a lease) whose job's last result says it ended superseded.</summary>
    private static async Task<IReadOnlyList<string>> SupersededUsersAsync(string connectionString, IReadOnlyList<(string JobId, string User)> jobs, IReadOnlyList<string> leaseHolders)
    {
        var users = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach ((string jobId, string user) in jobs.Where(j => !leaseHolders.Contains(j.User, StringComparer.Ordinal)))
        {
            await using var command = new NpgsqlCommand(
                "SELECT s.data->>'Result' FROM hangfire.state s WHERE s.jobid = @id::bigint AND s.name = 'Succeeded' ORDER BY s.id DESC LIMIT 1", connection);
            command.Parameters.AddWithValue("id", jobId);
            if (await command.ExecuteScalarAsync() is string result && result.TrimStart('"').StartsWith("Superseded", StringComparison.Ordinal))
            {
                users.Add(user);
            }
        }

        return users;
    }

    /// <summary>The user jobs the server of the worker was processing (in the Processing state): job id, user, since when (UTC).</summary>
    private static async Task<IReadOnlyList<(string JobId, string User, DateTime Since)>> JobsProcessedByAsync(string connectionString, string worker)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT j.id::text, j.arguments->>0, s.createdat FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid WHERE j.statename = 'Processing' AND s.data->>'ServerId' LIKE @server AND j.arguments->>0 IS NOT NULL",
            connection);
        command.Parameters.AddWithValue("server", worker + ":%");
        var jobs = new List<(string, string, DateTime)>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // Hangfire stores each argument JSON-encoded: a user job's first argument is the user id as a JSON string (the
            // dispatcher's is a cancellation token, stored as null and filtered out above).
            if (System.Text.Json.JsonSerializer.Deserialize<string>(reader.GetString(1)) is { } user)
            {
                jobs.Add((reader.GetString(0), user, DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)));
            }
        }

        return jobs;
    }

    /// <summary>Grants of a user's lease made before the previous holder released it or, killed, before its last expiry.</summary>
    private static List<string> LeaseOverlaps(IReadOnlyList<LeaseLine> lines)
    {
        var releases = lines.Where(l => l.Kind == "RELEASE").ToDictionary(l => l.Token, l => l.At, StringComparer.Ordinal);
        var expiries = lines.Where(l => l.Kind is "LEASE" or "RENEW").GroupBy(l => l.Token).ToDictionary(g => g.Key, g => g.Max(l => l.ExpiresAt!.Value), StringComparer.Ordinal);
        var overlaps = new List<string>();
        foreach (var user in lines.Where(l => l.Kind == "LEASE").GroupBy(l => l.User))
        {
            var grants = user.OrderBy(l => l.At).ToList();
            for (int i = 1; i < grants.Count; i++)
            {
                DateTime freed = releases.TryGetValue(grants[i - 1].Token, out DateTime released) ? released : expiries[grants[i - 1].Token];
                if (grants[i].At < freed)
                {
                    overlaps.Add($"{user.Key}: {grants[i].Worker} granted at {grants[i].At:HH:mm:ss.fff} while {grants[i - 1].Worker} held it until {freed:HH:mm:ss.fff}");
                }
            }
        }

        return overlaps;
    }

    /// <summary>Stops every worker still running, whatever happened.</summary>
    private sealed class AsyncCleanup(List<FarmWorkerProcess> workers) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (FarmWorkerProcess worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }
}
