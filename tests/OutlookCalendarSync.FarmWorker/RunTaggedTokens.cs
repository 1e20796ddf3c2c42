using OutlookCalendarSync.Graph;

namespace OutlookCalendarSync.FarmWorker;

/// <summary>
/// Access tokens the Graph emulator resolves to the user's mailbox (<c>{user}|{worker}:{lease}</c>, the mailbox being what
/// precedes <c>|</c>), carrying the worker and the lease of the run that sends the request, so the emulator's side can tell
/// which run every request belongs to and prove two runs of one user never sent requests at the same time.
/// </summary>
internal sealed class RunTaggedTokens(string worker, LeaseJournal leases) : IUserAccessTokenProvider
{
    public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken)
        => Task.FromResult($"{userId}|{worker}:{leases.HeldBy(userId) ?? "no-lease"}");
}
