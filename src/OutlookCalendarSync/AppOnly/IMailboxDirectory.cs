namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// Tells the Graph adapter which users are synced in app-only mode and with which mailbox: the host's mapping of its users to
/// mailboxes. A user it returns <see langword="null"/> for is a delegated user (one who connected their own account), so one host
/// can mix both in one scheduler.
/// </summary>
/// <remarks>
/// Register it with <c>.UseMailboxDirectory&lt;T&gt;()</c> (scoped: each run resolves its own, so it may use a scoped
/// <c>DbContext</c>), <c>.UseMailboxDirectory(instance)</c> or <c>.UseMailboxDirectory((userId, ct) =&gt; ...)</c>. It is asked once
/// per adapter call (a run asks a few times), so a database lookup is fine; cache if it is expensive.
/// </remarks>
/// <threadsafety>Called concurrently for different users; implementations must be thread-safe.</threadsafety>
public interface IMailboxDirectory
{
    /// <summary>Finds the mailbox a user is synced with in app-only mode.</summary>
    /// <param name="userId">The host's id of the user.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The tenant and mailbox, or <see langword="null"/> for a delegated user.</returns>
    ValueTask<AppOnlyMailbox?> FindMailboxAsync(string userId, CancellationToken cancellationToken);
}
