namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>Requests runs through the pending-job bookkeeping that the dispatcher shares.</summary>
internal sealed class HangfireSyncScheduler(PendingUserJobs pending) : IHangfireSyncScheduler
{
    public bool RequestSync(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return pending.Request(userId);
    }
}
