using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using OutlookCalendarSync.Hangfire.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.PostgreSql.Tests;

namespace OutlookCalendarSync.Hangfire.Tests;

/// <summary>
/// Hangfire delivers a job at least once: a job fetched again (a slow server's invisibility ran out, a job requeued), or enqueued
/// again by a dispatch that read its due users before the user's run ended (two dispatches overlap once a dispatch outlives
/// Hangfire's lock), must not sync the user a second time; a requested run and a killed run's user must still run. Real Hangfire
/// servers on Hangfire.PostgreSql, the PostgreSQL stores and the Graph emulator through the real SDK.
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class SupersededJobTests(PostgreSqlServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task UserJob_DeliveredAgainAfterItRan_EndsWithoutASecondRunAndWithoutANewJob()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        const string User = "ada";
        await SeedAsync(farm, User);
        await farm.ConnectAsync([User]);
        await farm.AddServerAsync("server-a");
        await HangfireFarm.WaitUntilAsync(() => Task.FromResult(farm.UserJobs() is [{ State: "Succeeded" }]), Patience, "the user's first job succeeded");
        string jobId = Assert.Single(farm.UserJobs()).JobId;

        // The same job id performed a second time, as Hangfire does when a job's invisibility runs out on a slow server.
        Assert.True(new BackgroundJobClient(farm.Storage).Requeue(jobId));
        await HangfireFarm.WaitUntilAsync(() => Task.FromResult(SucceededTimes(farm, jobId) == 2), Patience, "the job was performed a second time");

        Assert.Single(farm.State.GrantTimes(User));
        Assert.StartsWith(OutlookCalendarSyncJobs.SupersededOutcome, LastResult(farm, jobId), StringComparison.Ordinal);
        Assert.Single(farm.UserJobs());
        AssertNoPendingJob(farm);
        await AssertConvergedAsync(farm, User, expectedEvents: 2);
    }

    [Fact]
    public async Task StaleDispatch_DueListReadBeforeTheRunEnded_EnqueuesNothing_AndAJobOfTheUserNotDueEndsWithoutARun()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        const string User = "grace";
        await SeedAsync(farm, User);
        await farm.ConnectAsync([User]);

        // A dispatch beside another one (it outlived the storage's lock timeout) read its due list now, before the user's run.
        Instant dueReadAt = SystemClock.Instance.GetCurrentInstant();
        IHost host = await farm.AddServerAsync("server-a");
        await HangfireFarm.WaitUntilAsync(() => Task.FromResult(farm.UserJobs() is [{ State: "Succeeded" }]), Patience, "the user's first job succeeded");
        string first = Assert.Single(farm.UserJobs()).JobId;

        // The stale dispatch reaches the user: its place is free, but its last job ended after the list was read.
        var pending = host.Services.GetRequiredService<PendingUserJobs>();
        using (IStorageConnection connection = farm.Storage.GetConnection())
        {
            Assert.False(pending.EnqueueDue(connection, User, dueReadAt));
            Assert.Single(farm.UserJobs());

            // A job of the user made anyway (a list read after the run, a job from elsewhere): it ends without a run.
            Assert.True(pending.EnqueueDue(connection, User, SystemClock.Instance.GetCurrentInstant()));
        }

        await HangfireFarm.WaitUntilAsync(() => Task.FromResult(farm.UserJobs() is [{ State: "Succeeded" }, { State: "Succeeded" }]), Patience, "the second job ended");

        Assert.Single(farm.State.GrantTimes(User));
        string stale = Assert.Single(farm.UserJobs(), j => j.JobId != first).JobId;
        Assert.StartsWith("Synced", LastResult(farm, first), StringComparison.Ordinal);
        Assert.StartsWith(OutlookCalendarSyncJobs.SupersededOutcome, LastResult(farm, stale), StringComparison.Ordinal);
        AssertNoPendingJob(farm);
    }

    [Fact]
    public async Task RequestSync_MergedIntoAJobOfAUserNotDue_TheJobRunsTheUser()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        const string User = "linus";
        await SeedAsync(farm, User);
        await farm.ConnectAsync([User]);
        IHost front = await farm.AddServerAsync("front-end", runsJobs: false);
        var engine = front.Services.GetRequiredService<Engine.ISyncEngine>();
        Assert.Equal(Reporting.SyncRunStatus.Synced, (await engine.SyncAsync(User, default)).Status);

        // A job of the user, not due now (a stale dispatch's), then a change on the host side and a request that merges into it.
        var pending = front.Services.GetRequiredService<PendingUserJobs>();
        using (IStorageConnection connection = farm.Storage.GetConnection())
        {
            Assert.True(pending.EnqueueDue(connection, User, SystemClock.Instance.GetCurrentInstant()));
        }

        await farm.Calendar.AddByUserAsync(User, Meeting("Saved after the first sync", day: 9), default);
        Assert.False(front.Services.GetRequiredService<IHangfireSyncScheduler>().RequestSync(User));
        Assert.Single(farm.UserJobs());

        await farm.AddServerAsync("server-a");
        await HangfireFarm.WaitUntilAsync(() => Task.FromResult(farm.UserJobs() is [{ State: "Succeeded" }]), Patience, "the merged job ended");

        Assert.Equal(2, farm.State.GrantTimes(User).Count);
        Assert.DoesNotContain(OutlookCalendarSyncJobs.SupersededOutcome, LastResult(farm, farm.UserJobs()[0].JobId), StringComparison.Ordinal);
        AssertNoPendingJob(farm);
        await AssertConvergedAsync(farm, User, expectedEvents: 3);
    }

    [Fact]
    public async Task UserJob_UserHeldByAKilledRun_RunsOnceTheLeaseExpires()
    {
        await using HangfireFarm farm = await HangfireFarm.StartAsync(server);
        const string User = "barbara";
        await SeedAsync(farm, User);
        await farm.ConnectAsync([User]);

        // A run killed mid-way: its lease is never released and the user is still due (its run never saved a next run).
        Assert.NotNull(await farm.State.TryAcquireLeaseAsync(User, Duration.FromSeconds(3), default));
        await farm.AddServerAsync("server-a", o => o.BusyRetryDelay = Duration.FromSeconds(1));

        await HangfireFarm.WaitUntilAsync(
            async () => (await farm.State.GetHeaderAsync(User, default))?.LastSyncAt is not null && farm.UserJobs().All(j => j.State == "Succeeded"),
            Patience,
            "the user synced after the dead run's lease expired");

        IReadOnlyList<(string JobId, string UserId, string State)> jobs = farm.UserJobs();
        Assert.True(jobs.Count >= 2, $"{jobs.Count} jobs: the first must have found the lease held.");
        Assert.Contains("AlreadyRunning", LastResult(farm, jobs[0].JobId), StringComparison.Ordinal);
        Assert.DoesNotContain(jobs, j => LastResult(farm, j.JobId).StartsWith(OutlookCalendarSyncJobs.SupersededOutcome, StringComparison.Ordinal));
        Assert.Equal(2, farm.State.GrantTimes(User).Count);
        AssertNoPendingJob(farm);
        await AssertConvergedAsync(farm, User, expectedEvents: 2);
    }

    private static int SucceededTimes(HangfireFarm farm, string jobId) =>
        farm.Storage.GetMonitoringApi().JobDetails(jobId).History.Count(h => h.StateName == "Succeeded");

    /// <summary>The result the job's last Succeeded state holds (Hangfire stores it JSON-encoded).</summary>
    private static string LastResult(HangfireFarm farm, string jobId) =>
        JsonSerializer.Deserialize<string>(farm.Storage.GetMonitoringApi().JobDetails(jobId).History.First(h => h.StateName == "Succeeded").Data["Result"]) ?? string.Empty;

    private static void AssertNoPendingJob(HangfireFarm farm)
    {
        using IStorageConnection connection = farm.Storage.GetConnection();
        Assert.Empty(connection.GetAllItemsFromSet(PendingUserJobs.PendingSet));
    }

    private static async Task SeedAsync(HangfireFarm farm, string user)
    {
        await farm.Calendar.AddByUserAsync(user, Meeting($"Host planning of {user}", day: 3), default);
        farm.Emulator.AddEvent(user, new JsonObject
        {
            ["subject"] = $"Outlook review of {user}",
            ["start"] = new JsonObject { ["dateTime"] = "2026-12-04T14:00:00.0000000", ["timeZone"] = "UTC" },
            ["end"] = new JsonObject { ["dateTime"] = "2026-12-04T15:00:00.0000000", ["timeZone"] = "UTC" },
        }.ToJsonString());
    }

    private static async Task AssertConvergedAsync(HangfireFarm farm, string user, int expectedEvents)
    {
        string[] host = [.. (await farm.Calendar.GetAllAsync(user, default)).Select(e => e.Subject ?? string.Empty).Order()];
        string[] outlook = [.. farm.Emulator.GetEvents(user).Select(e => e["subject"]?.GetValue<string>() ?? string.Empty).Order()];
        Assert.Equal(expectedEvents, host.Length);
        Assert.Equal(host, outlook);
    }

    private static CalendarEvent Meeting(string subject, int day) => new()
    {
        Subject = subject,
        Timing = EventTiming.Timed(new LocalDateTime(2026, 12, day, 9, 0), new LocalDateTime(2026, 12, day, 10, 0), "Europe/Berlin"),
    };
}
