using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Scheduling;

/// <summary>The embedded scheduler: who runs when, merged requests and the concurrency cap.</summary>
public sealed partial class SyncSchedulerTests
{
    [Fact]
    public async Task Start_ConnectedUsers_AreSyncedAndRunAgainAfterTheSyncInterval()
    {
        await using var harness = new SchedulerHarness();
        await harness.ConnectAsync("ada", "bob");
        harness.Calendar.AddByUser("ada", TestEvents.Meeting("Ada's planning"));
        harness.Outlook.AddByUser("bob", TestEvents.Meeting("Bob's review"));

        await harness.StartAsync();
        await harness.Engine.WaitForRunsAsync("ada", 1);
        await harness.Engine.WaitForRunsAsync("bob", 1);
        await harness.SettledAsync();
        Instant firstRunEnd = harness.Now;

        Assert.Equal("Ada's planning", Assert.Single(harness.Outlook.GetAll("ada")).Subject);
        Assert.Equal("Bob's review", Assert.Single(harness.Calendar.GetAll("bob")).Subject);
        ScheduledUser ada = harness.User("ada");
        Assert.Equal(SyncRunStatus.Synced, ada.LastStatus);
        Assert.Equal(firstRunEnd + Duration.FromMinutes(15), ada.NextRunAt);
        Assert.Equal(firstRunEnd + Duration.FromMinutes(15), (await harness.States.GetHeaderAsync("ada", default))!.NextSyncAt);

        harness.Time.Advance(TimeSpan.FromMinutes(14));
        await harness.ProbeAsync();
        Assert.Equal(1, harness.Engine.Runs("ada"));

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await Until.TrueWhileNudgingAsync(harness.Time, TimeSpan.FromSeconds(1), () => harness.Engine.Runs("ada") >= 2 && harness.Engine.Runs("bob") >= 2, "2 runs of ada and bob");
        await harness.SettledAsync();
        Assert.Equal(SyncRunStatus.NothingNew, harness.User("ada").LastStatus);
    }

    [Fact]
    public async Task Poll_UserDueBeforeTheNextPoll_RunsAtThisPoll_NotAPollPastItsNextSync()
    {
        await using var harness = new SchedulerHarness(o => o.PollInterval = Duration.FromSeconds(30));
        Instant start = harness.Now;
        await harness.States.SaveAsync(new SyncStateChanges(new SyncStateHeader("soon") { NextSyncAt = start + Duration.FromSeconds(20) }), default);
        await harness.States.SaveAsync(new SyncStateChanges(new SyncStateHeader("later") { NextSyncAt = start + Duration.FromSeconds(40) }), default);

        await harness.StartAsync();
        await harness.Engine.WaitForRunsAsync("soon", 1);
        await harness.SettledAsync();

        // The first poll looks one poll interval ahead: "soon" runs now, 20 s before its NextSyncAt; "later" waits for the next poll.
        Assert.Equal(start, harness.User("soon").LastRunStartedAt);
        Assert.Equal(0, harness.Engine.Runs("later"));

        // The next poll, 30 s on, finds "later" (due at 40 s), which the poll after (at 60 s) would have made 20 s late.
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.ProbeAsync();
        await harness.Engine.WaitForRunsAsync("later", 1);
        await harness.SettledAsync();
        Assert.Equal(start + Duration.FromSeconds(30), harness.User("later").LastRunStartedAt);
        Assert.Equal(1, harness.Engine.Runs("soon"));
    }

    [Fact]
    public async Task Poll_PollIntervalLongerThanAQuarterOfTheSyncInterval_LooksOnlyAQuarterOfTheIntervalAhead()
    {
        await using var harness = new SchedulerHarness(o => o.PollInterval = Duration.FromDays(1), o => o.SyncInterval = Duration.FromMinutes(10));
        Instant start = harness.Now;
        await harness.States.SaveAsync(new SyncStateChanges(new SyncStateHeader("in2") { NextSyncAt = start + Duration.FromMinutes(2) }), default);

        // Half an interval after its end: where a run longer than a quarter of the interval leaves its user.
        await harness.States.SaveAsync(new SyncStateChanges(new SyncStateHeader("in5") { NextSyncAt = start + Duration.FromMinutes(5) }), default);
        await harness.States.SaveAsync(new SyncStateChanges(new SyncStateHeader("in3") { NextSyncAt = start + Duration.FromMinutes(3) }), default);

        await harness.StartAsync();
        await harness.Engine.WaitForRunsAsync("in2", 1);
        await harness.SettledAsync();
        await harness.ProbeAsync();

        Assert.Equal((0, 0), (harness.Engine.Runs("in3"), harness.Engine.Runs("in5")));
        Assert.Null(harness.Scheduler.GetUser("in3"));
    }

    [Fact]
    public async Task RequestSync_UserNotDue_RunsAtOnce()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.ProbeAsync();
        Instant requestedAt = harness.Now;
        harness.Calendar.AddByUser("ada", TestEvents.Meeting("Saved just now"));

        Assert.True(harness.Scheduler.RequestSync("ada"));
        await harness.Engine.WaitForRunsAsync("ada", 1);
        await harness.SettledAsync();

        Assert.Equal(requestedAt, harness.Now);
        Assert.Equal("Saved just now", Assert.Single(harness.Outlook.GetAll("ada")).Subject);
        Assert.Equal(requestedAt, harness.User("ada").LastRunStartedAt);
    }

    [Fact]
    public async Task RequestSync_WhileTheUserRuns_CausesExactlyOneMoreRun()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        harness.Engine.Hold();
        Assert.True(harness.Scheduler.RequestSync("ada"));
        await harness.Engine.WaitForRunsAsync("ada", 1);

        bool[] merged = [harness.Scheduler.RequestSync("ada"), harness.Scheduler.RequestSync("ada"), harness.Scheduler.RequestSync("ada")];
        Assert.Equal([true, false, false], merged);
        Assert.Equal(ScheduledUserState.Running, harness.User("ada").State);
        Assert.True(harness.User("ada").RunPending);

        harness.Engine.Release();
        await harness.SettledAsync();

        Assert.Equal(2, harness.Engine.Runs("ada"));
        Assert.False(harness.User("ada").RunPending);
    }

    [Fact]
    public async Task RequestSync_WhileTheUserIsQueued_MergesIntoTheQueuedRun()
    {
        await using var harness = new SchedulerHarness(o => o.MaxConcurrentRuns = 1);
        await harness.StartAsync();
        harness.Engine.Hold();
        harness.Scheduler.RequestSync("ada");
        await harness.Engine.WaitForRunsAsync("ada", 1);

        bool[] requests = [harness.Scheduler.RequestSync("bob"), harness.Scheduler.RequestSync("bob"), harness.Scheduler.RequestSync("bob")];
        Assert.Equal([true, false, false], requests);
        Assert.Equal(ScheduledUserState.Queued, harness.User("bob").State);
        Assert.Equal(1, harness.Scheduler.GetSnapshot().QueueLength);

        harness.Engine.Release();
        await harness.SettledAsync();

        Assert.Equal(1, harness.Engine.Runs("bob"));
        Assert.Equal(1, harness.Engine.Runs("ada"));
    }

    [Fact]
    public async Task RequestSync_WhileTheRunSlotsAreFull_TheUserShowsWhenItWasQueuedUntilItRuns()
    {
        await using var harness = new SchedulerHarness(o => o.MaxConcurrentRuns = 1);
        await harness.StartAsync();
        harness.Engine.Hold();
        harness.Scheduler.RequestSync("ada");
        await harness.Engine.WaitForRunsAsync("ada", 1);
        harness.Scheduler.RequestSync("bob");

        Assert.Equal(harness.Now, harness.User("bob").QueuedAt);
        Assert.Null(harness.User("ada").QueuedAt);

        harness.Engine.Release();
        await harness.SettledAsync();

        Assert.Null(harness.User("bob").QueuedAt);
    }

    [Fact]
    public async Task ManyUsersDue_RunsAtMostMaxConcurrentRunsAtATime()
    {
        await using var harness = new SchedulerHarness(o => o.MaxConcurrentRuns = 3);
        string[] users = Enumerable.Range(1, 10).Select(i => $"user-{i:00}").ToArray();
        await harness.ConnectAsync(users);
        harness.Engine.Hold();

        await harness.StartAsync();
        await Until.TrueAsync(() => harness.Engine.InFlight == 3 && harness.Scheduler.GetSnapshot().QueueLength == 7, "three runs in flight");
        SyncSchedulerSnapshot busy = harness.Scheduler.GetSnapshot();
        harness.Engine.Release();
        await Until.TrueAsync(() => users.All(u => harness.Engine.Runs(u) == 1), "every user to run");
        await harness.SettledAsync();

        Assert.Equal(3, busy.RunningCount);
        Assert.Equal(3, busy.Users.Count(u => u.State == ScheduledUserState.Running));
        Assert.Equal(3, harness.Engine.MaxInFlight);
        Assert.All(users, u => Assert.Equal(SyncRunStatus.NothingNew, harness.User(u).LastStatus));
    }

    [Fact]
    public async Task DueBatchSize_FullBatch_PollsAgainWhenTheQueueIsEmpty()
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.DueBatchSize = 2;
            o.MaxConcurrentRuns = 1;
        });
        string[] users = ["u1", "u2", "u3", "u4", "u5"];
        await harness.ConnectAsync(users);

        await harness.StartAsync();
        await Until.TrueAsync(() => users.All(u => harness.Engine.Runs(u) == 1), "every user to run without waiting for the next poll");
        await harness.SettledAsync();

        Assert.Equal(TestEvents.Now, harness.Now);
    }
}
