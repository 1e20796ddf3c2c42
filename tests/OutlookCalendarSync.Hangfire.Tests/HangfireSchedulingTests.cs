using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.PostgreSql.Tests;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Hangfire.Tests;

/// <summary>
/// Real Hangfire servers on Hangfire.PostgreSql, the PostgreSQL stores, and the Graph emulator through the real SDK: the dispatcher
/// enqueues due users once, one user's runs never overlap across servers, and throttling reschedules the job at Graph's instant.
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class HangfireSchedulingTests(PostgreSqlServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Dispatcher_DueUsersOnTwoServers_EachUserEnqueuedAndRunOnce()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        string[] users = [.. Enumerable.Range(1, 12).Select(i => $"due-{i:00}")];
        foreach (string user in users)
        {
            await SeedAsync(farm, user);
        }

        await farm.ConnectAsync(users);
        await farm.AddServerAsync("server-a");
        await farm.AddServerAsync("server-b");

        await HangfireFarm.WaitUntilAsync(async () => await AllSyncedAsync(farm, users) && AllJobsSucceeded(farm), Patience, "every user synced");
        // Dispatches keep running every second on both servers: give them a few more chances to enqueue a user twice.
        await Task.Delay(TimeSpan.FromSeconds(4));

        var jobs = farm.UserJobs();
        foreach (string user in users)
        {
            Assert.Single(jobs, j => j.UserId == user);
            Assert.Single(farm.State.GrantTimes(user));
            await AssertConvergedAsync(farm, user, expectedEvents: 2);
        }

        Assert.All(jobs, j => Assert.Equal("Succeeded", j.State));
        using var connection = farm.Storage.GetConnection();
        Assert.Empty(connection.GetAllItemsFromSet("outlook-calendar-sync:pending"));
    }

    [Fact]
    public async Task TwoServers_DueAgainEverySecondAndRequestedFromBoth_RunsOfOneUserNeverOverlapAndNothingIsLostOrDuplicated()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        string[] users = ["ada", "grace", "linus", "barbara"];
        foreach (string user in users)
        {
            await SeedAsync(farm, user);
        }

        await farm.ConnectAsync(users);
        IHost a = await farm.AddServerAsync("server-a", syncInterval: Duration.FromSeconds(1));
        IHost b = await farm.AddServerAsync("server-b", syncInterval: Duration.FromSeconds(1));
        IHangfireSyncScheduler[] schedulers = [a.Services.GetRequiredService<IHangfireSyncScheduler>(), b.Services.GetRequiredService<IHangfireSyncScheduler>()];

        DateTime start = DateTime.UtcNow;
        bool changed = false;
        while (DateTime.UtcNow < start + TimeSpan.FromSeconds(10))
        {
            await Task.WhenAll(users.SelectMany(user => schedulers.Select(s => Task.Run(() => s.RequestSync(user)))));
            if (!changed && DateTime.UtcNow > start + TimeSpan.FromSeconds(3))
            {
                changed = true;
                // Changes on both sides while runs go on: each must arrive once.
                foreach (string user in users)
                {
                    await farm.Calendar.AddByUserAsync(user, Meeting("Host added while running", day: 7), default);
                    farm.Emulator.AddEvent(user, OutlookMeeting("Outlook added while running", day: 8));
                }
            }

            await Task.Delay(100);
        }

        await HangfireFarm.WaitUntilAsync(
            async () =>
            {
                foreach (string user in users)
                {
                    if ((await farm.Calendar.GetAllAsync(user, default)).Count != 4 || farm.Emulator.GetEvents(user).Count != 4)
                    {
                        return false;
                    }
                }

                return true;
            },
            Patience,
            "both changes of every user reached the other side",
            async () => string.Join("; ", await Task.WhenAll(users.Select(async u =>
                $"{u}: host {(await farm.Calendar.GetAllAsync(u, default)).Count}, Outlook {farm.Emulator.GetEvents(u).Count}, runs {farm.State.GrantTimes(u).Count}"))));

        foreach (string user in users)
        {
            Assert.Equal(1, farm.State.MostHeldAtOnce(user));
            Assert.True(farm.State.GrantTimes(user).Count >= 2, $"{user} ran {farm.State.GrantTimes(user).Count} times; it is due every second.");
            await AssertConvergedAsync(farm, user, expectedEvents: 4);
        }
    }

    [Fact]
    public async Task UserJob_GraphThrottlesLongerThanTheRunMayWait_JobRescheduledAtGraphsInstantThenSyncs()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        const string User = "throttled";
        await SeedAsync(farm, User);
        using IDisposable fault = farm.Emulator.InjectFault(GraphFault.Throttle(TimeSpan.FromSeconds(5)) with { PathPattern = "calendarView/delta", Times = 1 });
        await farm.ConnectAsync([User]);

        // The failure backoff is an hour: a retry sooner than that can only come from Graph's instant.
        await farm.AddServerAsync("server-a", o => o.FailureBackoff = o.MaxFailureBackoff = Duration.FromHours(1));

        await HangfireFarm.WaitUntilAsync(async () => await AllSyncedAsync(farm, [User]) && AllJobsSucceeded(farm), Patience, "the throttled user synced");

        IReadOnlyList<DateTimeOffset> runs = farm.State.GrantTimes(User);
        Assert.Equal(2, runs.Count);
        var jobs = farm.UserJobs();
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("Succeeded", j.State));
        using (var connection = farm.Storage.GetConnection())
        {
            Assert.Contains("Throttled", connection.GetStateData(jobs[0].JobId).Data["Result"], StringComparison.Ordinal);
        }

        // The retry was scheduled at Graph's instant: 5 s after the throttled answer, which came after the first run took its lease
        // (and within a minute of it, however loaded the machine), and it ran no earlier.
        var scheduled = farm.Storage.GetMonitoringApi().JobDetails(jobs[1].JobId).History.Single(h => h.StateName == "Scheduled");
        DateTimeOffset enqueueAt = global::Hangfire.Common.JobHelper.DeserializeDateTime(scheduled.Data["EnqueueAt"]);
        Assert.InRange(enqueueAt - runs[0], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(65));
        Assert.True(runs[1] >= enqueueAt, $"The retry ran at {runs[1]:O}, before Graph's instant {enqueueAt:O}.");

        await AssertConvergedAsync(farm, User, expectedEvents: 2);
    }

    [Fact]
    public async Task RequestSync_NoServerRunning_EnqueuesOnceAndMergesLaterRequests()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        IHost front = await farm.AddServerAsync("front-end", runsJobs: false);
        var scheduler = front.Services.GetRequiredService<IHangfireSyncScheduler>();

        bool first = scheduler.RequestSync("ada");
        bool second = scheduler.RequestSync("ada");
        bool other = scheduler.RequestSync("grace");

        Assert.Equal((true, false, true), (first, second, other));
        var jobs = farm.UserJobs();
        Assert.Equal(["ada", "grace"], jobs.Select(j => j.UserId).Order());
        Assert.All(jobs, j => Assert.Equal("Enqueued", j.State));
    }

    [Fact]
    public async Task Dispatch_PendingJobDeletedFromTheDashboard_EnqueuesTheUserAgain()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        IHost front = await farm.AddServerAsync("front-end", o => o.PendingCheckAfter = Duration.FromSeconds(1), runsJobs: false);
        await farm.ConnectAsync(["ada"]);
        var jobs = front.Services.GetRequiredService<OutlookCalendarSyncJobs>();
        await jobs.DispatchAsync(default);
        string lost = Assert.Single(farm.UserJobs()).JobId;
        new BackgroundJobClient(farm.Storage).Delete(lost);

        string early = await jobs.DispatchAsync(default);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        string late = await jobs.DispatchAsync(default);

        Assert.Contains("0 lost jobs replaced", early, StringComparison.Ordinal);
        Assert.Contains("1 lost jobs replaced", late, StringComparison.Ordinal);
        Assert.Equal(["Deleted", "Enqueued"], farm.UserJobs().Select(j => j.State));
    }

    private static async Task<bool> AllSyncedAsync(HangfireFarm farm, IEnumerable<string> users)
    {
        foreach (string user in users)
        {
            if ((await farm.State.GetHeaderAsync(user, default))?.LastSyncAt is null)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllJobsSucceeded(HangfireFarm farm) => farm.UserJobs().All(j => j.State == "Succeeded");

    private static async Task SeedAsync(HangfireFarm farm, string user)
    {
        await farm.Calendar.AddByUserAsync(user, Meeting($"Host planning of {user}", day: 3), default);
        farm.Emulator.AddEvent(user, OutlookMeeting($"Outlook review of {user}", day: 4));
    }

    /// <summary>Both sides hold the same events, each once.</summary>
    private static async Task AssertConvergedAsync(HangfireFarm farm, string user, int expectedEvents)
    {
        string[] host = [.. (await farm.Calendar.GetAllAsync(user, default)).Select(e => e.Subject ?? string.Empty).Order()];
        string[] outlook = [.. farm.Emulator.GetEvents(user).Select(e => e["subject"]?.GetValue<string>() ?? string.Empty).Order()];
        Assert.Equal(expectedEvents, host.Length);
        Assert.Equal(host, outlook);
        Assert.Equal(host.Length, host.Distinct().Count());
    }

    private static CalendarEvent Meeting(string subject, int day) => new()
    {
        Subject = subject,
        Timing = EventTiming.Timed(new LocalDateTime(2026, 12, day, 9, 0), new LocalDateTime(2026, 12, day, 10, 0), "Europe/Berlin"),
    };

    private static string OutlookMeeting(string subject, int day) => new JsonObject
    {
        ["subject"] = subject,
        ["start"] = new JsonObject { ["dateTime"] = $"2026-12-{day:00}T14:00:00.0000000", ["timeZone"] = "UTC" },
        ["end"] = new JsonObject { ["dateTime"] = $"2026-12-{day:00}T15:00:00.0000000", ["timeZone"] = "UTC" },
    }.ToJsonString();
}
