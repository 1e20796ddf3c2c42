using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>A tenant without consent or a refused mailbox is left alone until its instant, and never counted as a failure.</summary>
public sealed class AppOnlyRetryPolicyTests
{
    private static readonly Instant Now = TestEvents.Now;
    private readonly SyncRetryPolicy _policy = new(Duration.FromMinutes(1), Duration.FromMinutes(10), Duration.FromSeconds(30));

    [Theory]
    [InlineData(SyncRunStatus.AdminConsentRequired, 15)]
    [InlineData(SyncRunStatus.MailboxUnavailable, 60)]
    public void Decide_RefusedByTheTenant_DeferredUntilTheRecheckWithoutAFailure(SyncRunStatus status, int minutes)
    {
        Instant recheck = Now + Duration.FromMinutes(minutes);

        Assert.Equal(new RunDecision(RunVerdict.Deferred, recheck, 2), _policy.Decide(status, recheck, 2, Now));
    }
}
