using NodaTime;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Scheduling;

/// <summary>RequestSync waits <see cref="SyncSchedulerOptions.RequestDelay"/>, merging every request made meanwhile.</summary>
public sealed partial class SyncSchedulerTests
{
    [Fact]
    public async Task RequestSync_BurstWithinTheDelay_MakesOneRunAtTheEndOfTheDelay()
    {
        await using var harness = new SchedulerHarness(o => o.RequestDelay = Duration.FromSeconds(2));
        await harness.StartAsync();
        Instant requestedAt = harness.Now;
        harness.Calendar.AddByUser("ada", TestEvents.Meeting("First save"));

        Assert.True(harness.Scheduler.RequestSync("ada"));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Calendar.AddByUser("ada", TestEvents.Meeting("Second save"));
        Assert.False(harness.Scheduler.RequestSync("ada"));
        Assert.False(harness.Scheduler.RequestSync("ada"));

        // No run can start before the fake time reaches the end of the delay.
        Assert.Equal(0, harness.Engine.Runs("ada"));
        Assert.Equal(ScheduledUserState.Queued, harness.User("ada").State);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.Engine.WaitForRunsAsync("ada", 1);
        await harness.SettledAsync();

        Assert.Equal(requestedAt + Duration.FromSeconds(2), harness.User("ada").LastRunStartedAt);
        Assert.Equal(2, harness.Outlook.GetAll("ada").Count);
        Assert.Equal(1, harness.Engine.Runs("ada"));
    }

    [Fact]
    public void RequestDelay_OverAMinute_IsRejected()
    {
        var options = new SyncSchedulerOptions { RequestDelay = Duration.FromMinutes(2) };

        Assert.Contains(options.Validate(), p => p.StartsWith("RequestDelay", StringComparison.Ordinal));
    }
}
