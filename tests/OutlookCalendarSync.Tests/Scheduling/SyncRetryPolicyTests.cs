using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Scheduling;

/// <summary>When a user runs next after each way a run can end.</summary>
public sealed class SyncRetryPolicyTests
{
    private static readonly Instant Now = TestEvents.Now;
    private readonly SyncRetryPolicy _policy = new(Duration.FromMinutes(1), Duration.FromMinutes(10), Duration.FromSeconds(30));

    [Theory]
    [InlineData(SyncRunStatus.NothingNew)]
    [InlineData(SyncRunStatus.Synced)]
    [InlineData(SyncRunStatus.SyncedWithFailures)]
    public void Decide_CompletedRun_ResetsFailuresAndLeavesTheNextRunToNextSyncAt(SyncRunStatus status)
        => Assert.Equal(new RunDecision(RunVerdict.Completed, null, 0), _policy.Decide(status, null, 3, Now));

    [Theory]
    [InlineData(SyncRunStatus.Paused)]
    [InlineData(SyncRunStatus.Stopped)]
    [InlineData(SyncRunStatus.NeedsReauthorization)]
    public void Decide_InactiveUser_IsNotRetried(SyncRunStatus status)
        => Assert.Equal(new RunDecision(RunVerdict.Inactive, null, 0), _policy.Decide(status, null, 2, Now));

    [Fact]
    public void Decide_RunHeldElsewhere_RetriesAfterTheBusyDelayWithoutCountingAFailure()
        => Assert.Equal(new RunDecision(RunVerdict.Deferred, Now + Duration.FromSeconds(30), 2), _policy.Decide(SyncRunStatus.AlreadyRunning, null, 2, Now));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 10)]
    [InlineData(30, 10)]
    [InlineData(int.MaxValue, 10)]
    public void Decide_FailedRun_BacksOffExponentiallyUpToTheCap(int previousFailures, int expectedMinutes)
    {
        RunDecision decision = _policy.Decide(SyncRunStatus.Failed, null, previousFailures, Now);

        Assert.Equal(RunVerdict.Failed, decision.Verdict);
        Assert.Equal(Now + Duration.FromMinutes(expectedMinutes), decision.RetryAt);
    }

    [Theory]
    [InlineData(SyncRunStatus.MassDeletionBlocked)]
    [InlineData(null)]
    [InlineData((SyncRunStatus)99)]
    public void Decide_BlockedThrownOrUnknownStatus_IsAFailure(SyncRunStatus? status)
        => Assert.Equal(new RunDecision(RunVerdict.Failed, Now + Duration.FromMinutes(1), 1), _policy.Decide(status, null, 0, Now));

    [Fact]
    public void Decide_ThrottledWithAnInstant_WaitsForItWithoutCountingAFailure()
    {
        Instant graphSaid = Now + Duration.FromSeconds(90);

        Assert.Equal(new RunDecision(RunVerdict.Deferred, graphSaid, 1), _policy.Decide((SyncRunStatus)99, graphSaid, 1, Now));
        Assert.Equal(new RunDecision(RunVerdict.Deferred, Now, 0), _policy.Decide((SyncRunStatus)99, Now - Duration.FromSeconds(5), 0, Now));
    }

    [Fact]
    public void RetryAfterOf_ResultWithoutARetryInstant_IsNull()
        => Assert.Null(SyncRetryPolicy.RetryAfterOf(new SyncResult { UserId = "ada", Status = SyncRunStatus.Failed }));

    [Theory]
    [InlineData(0, 60, 30, "failureBackoff")]
    [InlineData(60, 30, 30, "maxFailureBackoff")]
    [InlineData(60, 60, 0, "busyRetryDelay")]
    public void Constructor_DelayOutOfRange_ThrowsNamingIt(int failureSeconds, int maxSeconds, int busySeconds, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new SyncRetryPolicy(Duration.FromSeconds(failureSeconds), Duration.FromSeconds(maxSeconds), Duration.FromSeconds(busySeconds)));

        Assert.Equal(parameter, error.ParamName);
    }
}
