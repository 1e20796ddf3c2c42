using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;

namespace OutlookCalendarSync.Tests.Scheduling;

/// <summary>Failures and throttling back off per user; paused, stopped and unauthorized users are left alone.</summary>
public sealed partial class SyncSchedulerTests
{
    [Fact]
    public async Task FailingRuns_BackOffExponentiallyThenSucceed()
    {
        await using var harness = new SchedulerHarness(o => o.FailureBackoff = Duration.FromMinutes(1));
        harness.Engine.Script = (user, run, _) => (user, run) switch
        {
            ("ada", 1) => RecordingEngine.Result(user, SyncRunStatus.Failed),
            ("ada", 2) => Task.FromException<SyncResult>(new InvalidOperationException("The database is down.")),
            _ => null,
        };
        await harness.StartAsync();
        await harness.ProbeAsync();
        Instant start = harness.Now;

        harness.Scheduler.RequestSync("ada");
        await Until.TrueAsync(() => harness.User("ada").State == ScheduledUserState.BackingOff, "the first backoff");
        ScheduledUser afterFirst = harness.User("ada");
        Assert.False(harness.Scheduler.RequestSync("ada"));
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        await harness.ProbeAsync();
        Assert.Equal(1, harness.Engine.Runs("ada"));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.Engine.WaitForRunsAsync("ada", 2);
        await Until.TrueAsync(() => harness.User("ada").ConsecutiveFailures == 2, "the second backoff");
        ScheduledUser afterSecond = harness.User("ada");
        harness.Time.Advance(TimeSpan.FromSeconds(119));
        await harness.ProbeAsync();
        Assert.Equal(2, harness.Engine.Runs("ada"));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.Engine.WaitForRunsAsync("ada", 3);
        await harness.SettledAsync();

        Assert.Equal((SyncRunStatus.Failed, 1, start + Duration.FromMinutes(1)), (afterFirst.LastStatus!.Value, afterFirst.ConsecutiveFailures, afterFirst.NextRunAt!.Value));
        Assert.Equal((SyncRunStatus.Failed, start + Duration.FromMinutes(3)), (afterSecond.LastStatus!.Value, afterSecond.NextRunAt!.Value));
        Assert.Contains("The database is down.", afterSecond.LastMessage, StringComparison.Ordinal);
        Assert.Equal(3, harness.Engine.Runs("ada"));
        Assert.Equal(0, harness.User("ada").ConsecutiveFailures);
        Assert.Equal(SyncRunStatus.NothingNew, harness.User("ada").LastStatus);
    }

    [Fact]
    public async Task FailingDueUser_IsNotPolledAgainDuringItsBackoff()
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.PollInterval = Duration.FromSeconds(10);
            o.FailureBackoff = Duration.FromMinutes(5);
        });
        harness.Engine.Script = (user, run, _) => (user, run) == ("ada", 1) ? RecordingEngine.Result(user, SyncRunStatus.Failed) : null;
        await harness.ConnectAsync("ada");

        await harness.StartAsync();
        await Until.TrueAsync(() => harness.Scheduler.GetUser("ada")?.State == ScheduledUserState.BackingOff, "the backoff");
        for (int i = 0; i < 29; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(10));
            await harness.ProbeAsync();
        }

        Assert.Equal(1, harness.Engine.Runs("ada"));
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.Engine.WaitForRunsAsync("ada", 2);
        await harness.SettledAsync();
        Assert.Equal(2, harness.Engine.Runs("ada"));
    }

    [Fact]
    public async Task PausedUser_IsNotRunWhenDueAndARequestRunsItOnceWithoutRetry()
    {
        await using var harness = new SchedulerHarness();
        await harness.ConnectAsync("ada", "bob");
        await harness.Engine.PauseAsync("bob");

        await harness.StartAsync();
        await harness.Engine.WaitForRunsAsync("ada", 1);
        await harness.SettledAsync();
        Assert.Equal(0, harness.Engine.Runs("bob"));
        Assert.Null(harness.Scheduler.GetUser("bob"));

        harness.Scheduler.RequestSync("bob");
        await harness.Engine.WaitForRunsAsync("bob", 1);
        await harness.SettledAsync();
        harness.Time.Advance(TimeSpan.FromHours(2));
        await harness.Engine.WaitForRunsAsync("ada", 2);
        await harness.ProbeAsync();

        ScheduledUser bob = harness.User("bob");
        Assert.Equal(1, harness.Engine.Runs("bob"));
        Assert.Equal((SyncRunStatus.Paused, ScheduledUserState.Idle, 0), (bob.LastStatus!.Value, bob.State, bob.ConsecutiveFailures));
        Assert.Null(bob.NextRunAt);
    }

    [Fact]
    public async Task RunHeldByAnotherProcess_IsRetriedAfterOnePollInterval()
    {
        await using var harness = new SchedulerHarness(o => o.PollInterval = Duration.FromSeconds(30));
        harness.Engine.Script = (user, run, _) => (user, run) == ("ada", 1) ? RecordingEngine.Result(user, SyncRunStatus.AlreadyRunning) : null;
        await harness.StartAsync();
        await harness.ProbeAsync();
        Instant requestedAt = harness.Now;

        harness.Scheduler.RequestSync("ada");
        await Until.TrueAsync(() => harness.User("ada").State == ScheduledUserState.BackingOff, "the retry wait");
        Assert.Equal(requestedAt + Duration.FromSeconds(30), harness.User("ada").NextRunAt);
        Assert.Equal(0, harness.User("ada").ConsecutiveFailures);
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.Engine.WaitForRunsAsync("ada", 2);
        await harness.SettledAsync();

        Assert.Equal(SyncRunStatus.NothingNew, harness.User("ada").LastStatus);
    }
}
