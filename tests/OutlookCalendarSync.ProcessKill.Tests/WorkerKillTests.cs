using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.PostgreSql;
using OutlookCalendarSync.PostgreSql.Tests;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing.Emulator;
using Xunit.Abstractions;

namespace OutlookCalendarSync.ProcessKill.Tests;

/// <summary>
/// Real process kills (issue 10 item 7): sync workers in processes of their own share the PostgreSQL state store and host calendar
/// and sync with the Graph emulator over HTTP through the real SDK; one is killed with SIGKILL in the middle of a long first sync,
/// after it wrote to Outlook. Another worker must take the user over within a minute, the runs of one user must never overlap
/// (neither in the lease table's grants nor in the requests Graph saw), and once the runs settle nothing is lost or duplicated on
/// either side, no invitation is sent twice and a last run writes nothing.
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class WorkerKillTests(PostgreSqlServer server, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Short, as a host that wants a crashed worker's users back soon sets it; renewed every third while a run works.</summary>
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>Graph made slow while the first worker syncs, so its first sync of the big user lasts longer than a lease.</summary>
    private static readonly TimeSpan SlowGraph = TimeSpan.FromMilliseconds(300);

    /// <summary>Graph once the first worker wrote enough: slower than a lease, so its run is surely still working when it is killed.</summary>
    private static readonly TimeSpan StalledGraph = TimeSpan.FromSeconds(20);

    private const string BigUser = "kim";
    private const int BigHostEvents = 240;
    private const int BigOutlookEvents = 240;
    private const int WritesBeforeKill = 40;
    private static readonly string[] SmallUsers = ["lee", "max"];

    private readonly PostgreSqlStoreOptions _store = server.NewSchema();
    private readonly GraphRunLog _graphRuns = new();
    private GraphEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { ResolveMailbox = _graphRuns.ResolveMailbox });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        server.DropSchema(_store);
    }

    [Fact]
    public async Task WorkerKilledMidRun_AnotherWorkerTakesOverWithinAMinute_RunsNeverOverlapAndNothingIsLostOrDuplicated()
    {
        var calendar = new PostgreSqlCalendarStore(_store, SystemClock.Instance);
        var expected = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var invitations = new List<string>();
        await SeedAsync(calendar, BigUser, BigHostEvents, BigOutlookEvents, expected, invitations);
        foreach (string user in SmallUsers)
        {
            await SeedAsync(calendar, user, 3, 3, expected, invitations);
        }

        string[] users = [BigUser, .. SmallUsers];
        _emulator.Latency = SlowGraph;
        await using WorkerProcess first = StartWorker("worker-1", users);
        WorkerLine firstLease = await first.WaitForAsync(l => l.Kind == "LEASE" && l.User == BigUser, TimeSpan.FromSeconds(60), $"worker-1 took {BigUser}'s lease");
        await using WorkerProcess second = StartWorker("worker-2", users);

        // Kill worker-1 once its run of the big user outlived a lease (kept by renewals) and wrote to Outlook.
        DateTime granted = firstLease.TimeAt(2);
        DateTime giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            Assert.True(
                DateTime.UtcNow < giveUp,
                $"worker-1 never reached the kill point in 2 minutes ({_emulator.RequestLog.Count(r => r.Mailbox == BigUser && r.InBatch && r.Method != "GET")} writes to Outlook seen).");
            int writes = _emulator.RequestLog.Count(r => r.Mailbox == BigUser && r.InBatch && r.Method != "GET");
            if (writes >= WritesBeforeKill && _emulator.Latency != StalledGraph)
            {
                // The run must still be working when it is killed, however fast the engine has become: from here each request
                // takes longer than the rest of the wait, so the run outlives its lease only through its renewals.
                _emulator.Latency = StalledGraph;
            }

            if (writes >= WritesBeforeKill && DateTime.UtcNow - granted > LeaseDuration + TimeSpan.FromSeconds(2))
            {
                first.Kill();
                _emulator.Latency = TimeSpan.Zero;
                output.WriteLine($"worker-1 killed {(first.KilledAt!.Value - granted).TotalSeconds:0.0} s into its run of {BigUser}, after {writes} writes to Outlook seen by the emulator.");
                break;
            }

            Assert.DoesNotContain(first.Lines, l => l.Kind == "RUN" && l.User == BigUser);
            await Task.Delay(20);
        }

        DateTime killedAt = first.KilledAt.Value;
        Assert.Contains(first.Lines, l => l.Kind == "RENEW" && l.User == BigUser);
        Assert.Contains(second.Lines, l => l.Kind == "RUN" && l.User == BigUser && l.Fields[1] == nameof(SyncRunStatus.AlreadyRunning));

        // worker-2 takes the user over once the killed run's lease expires (at most one lease after its last renewal).
        WorkerLine takeover = await second.WaitForAsync(l => l.Kind == "LEASE" && l.User == BigUser, TimeSpan.FromSeconds(90), $"worker-2 took {BigUser} over");
        TimeSpan takeoverTime = takeover.TimeAt(2) - killedAt;
        output.WriteLine($"worker-2 took {BigUser} over {takeoverTime.TotalSeconds:0.0} s after the kill (lease {LeaseDuration.TotalSeconds:0} s).");
        Assert.True(takeoverTime < TimeSpan.FromSeconds(60), $"worker-2 took {BigUser} over {takeoverTime} after the kill; it must within a minute.");

        // The runs settle: worker-2 completes a run of every user started after the kill.
        foreach (string user in users)
        {
            await second.WaitForAsync(
                l => l.Kind == "RUN" && l.User == user && (l.Fields[1] is nameof(SyncRunStatus.Synced) or nameof(SyncRunStatus.NothingNew)) && l.TimeAt(3) > killedAt,
                TimeSpan.FromSeconds(90),
                $"worker-2 completed a run of {user}");
        }

        await second.StopAsync();
        foreach (WorkerLine run in second.Lines.Where(l => l.Kind == "RUN" && l.TimeAt(3) > killedAt && l.Fields[2] != "0"))
        {
            output.WriteLine($"worker-2 run of {run.User}: {run.Fields[1]}, {run.Fields[2]} writes, {(run.TimeAt(4) - run.TimeAt(3)).TotalSeconds:0.0} s");
        }

        // Two runs of one user never held the lease at once, by the grants the workers saw, nor sent requests at once, by what Graph saw.
        WorkerLine[] leaseLines = [.. first.Lines, .. second.Lines];
        foreach (string user in users)
        {
            Assert.Empty(LeaseOverlaps(leaseLines, user));
            Assert.Empty(_graphRuns.Overlaps(user));
            output.WriteLine($"{user}: {_graphRuns.Runs(user).Count} runs reached Graph, none overlapping.");
        }

        // A last run writes nothing, and both sides hold exactly the seeded events, each once, with each invitation sent once.
        SyncResult[] last = await LastRunsAsync(calendar, users);
        foreach (string user in users)
        {
            SyncResult result = Assert.Single(last, r => r.UserId == user);
            Assert.Contains(result.Status, new[] { SyncRunStatus.NothingNew, SyncRunStatus.Synced });
            Assert.Equal(0, result.TotalWrites);
            Assert.Empty(result.Failures);
            List<string> want = [.. expected[user].Order(StringComparer.Ordinal)];
            Assert.Equal(want, (await calendar.GetAllAsync(user, default)).Select(e => e.Subject ?? string.Empty).Order(StringComparer.Ordinal));
            Assert.Equal(want, _emulator.GetEvents(user).Select(e => e["subject"]?.GetValue<string>() ?? string.Empty).Order(StringComparer.Ordinal));
        }

        Assert.Equal(
            invitations.Order(StringComparer.Ordinal),
            _emulator.Outbox.Where(m => m.Kind == OutboxMessageKind.Invitation).Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_emulator.Outbox, m => m.Kind != OutboxMessageKind.Invitation);
    }

    /// <summary>
    /// Pairs of grants of the user's lease where the next was granted before the previous holder gave it back (<c>RELEASE</c>) or, for
    /// a holder killed before it could, before its lease expired (the expiry of its last grant or renewal).
    /// </summary>
    private static IReadOnlyList<string> LeaseOverlaps(IReadOnlyList<WorkerLine> lines, string user)
    {
        var grants = lines.Where(l => l.Kind == "LEASE" && l.User == user).OrderBy(l => l.TimeAt(2)).ToList();
        var overlaps = new List<string>();
        for (int i = 1; i < grants.Count; i++)
        {
            WorkerLine previous = grants[i - 1];
            WorkerLine? released = lines.FirstOrDefault(l => l.Kind == "RELEASE" && l.LeaseToken == previous.LeaseToken);
            DateTime freedAt = released?.TimeAt(2)
                ?? lines.Where(l => l.Kind is "LEASE" or "RENEW" && l.LeaseToken == previous.LeaseToken).Max(l => l.TimeAt(3));
            if (grants[i].TimeAt(2) < freedAt)
            {
                overlaps.Add($"{grants[i].Worker} was granted {user} at {grants[i].TimeAt(2):HH:mm:ss.fff}, while {previous.Worker} held it until {freedAt:HH:mm:ss.fff}");
            }
        }

        return overlaps;
    }

    private WorkerProcess StartWorker(string name, string[] users) => WorkerProcess.Start(
        name,
        "--graph", _emulator.GraphBaseUrl.ToString(),
        "--postgres", server.ConnectionString,
        "--schema", _store.Schema,
        "--lease-seconds", ((int)LeaseDuration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--users", string.Join(',', users));

    /// <summary>One more run of each user in this process, with the same stores, after the workers stopped.</summary>
    private async Task<SyncResult[]> LastRunsAsync(PostgreSqlCalendarStore calendar, IEnumerable<string> users)
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .UseSyncStateStore(new PostgreSqlSyncStateStore(_store, SystemClock.Instance))
            .UseCalendarStore(calendar)
            .UseAccessTokenProvider(new MailboxTokens())
            .UseMicrosoftGraph(o => o.GraphBaseUrl = _emulator.GraphBaseUrl);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<ISyncEngine>();
        var results = new List<SyncResult>();
        foreach (string user in users)
        {
            results.Add(await engine.SyncAsync(user));
        }

        return [.. results];
    }

    /// <summary>
    /// Host events (every fourth a meeting with an attendee, so a create in Outlook sends one invitation; eight of them share subject,
    /// start and end, so only their stamps tell them apart) and Outlook events, in the coming months.
    /// </summary>
    private async Task SeedAsync(PostgreSqlCalendarStore calendar, string user, int hostEvents, int outlookEvents, Dictionary<string, List<string>> expected, List<string> invitations)
    {
        var subjects = new List<string>();
        for (int i = 0; i < hostEvents; i++)
        {
            bool colliding = i < 8 && hostEvents >= 8;
            string subject = colliding ? $"Standup of {user}" : $"Host event {i} of {user}";
            LocalDateTime start = colliding ? new LocalDateTime(2027, 1, 4, 9, 0) : new LocalDateTime(2027, 1, 1, 8, 0).PlusDays(i % 150).PlusHours(i / 150);
            bool meeting = colliding || i % 4 == 0;
            await calendar.AddByUserAsync(
                user,
                new CalendarEvent
                {
                    Subject = subject,
                    Timing = EventTiming.Timed(start, start.PlusMinutes(30), "Europe/Berlin"),
                    Attendees = meeting ? [Attendee.Create($"guest{i}@example.com")] : [],
                },
                default);
            subjects.Add(subject);
            if (meeting)
            {
                invitations.Add(subject);
            }
        }

        for (int i = 0; i < outlookEvents; i++)
        {
            string subject = $"Outlook event {i} of {user}";
            string day = new LocalDate(2027, 1, 1).PlusDays(i % 150).ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            int hour = 13 + (i / 150);
            _emulator.AddEvent(user, new JsonObject
            {
                ["subject"] = subject,
                ["start"] = new JsonObject { ["dateTime"] = $"{day}T{hour:00}:00:00", ["timeZone"] = "UTC" },
                ["end"] = new JsonObject { ["dateTime"] = $"{day}T{hour:00}:30:00", ["timeZone"] = "UTC" },
            }.ToJsonString());
            subjects.Add(subject);
        }

        expected[user] = subjects;
    }

    /// <summary>The token is the user id, which the emulator takes as the mailbox name.</summary>
    private sealed class MailboxTokens : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }
}
