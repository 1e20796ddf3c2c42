namespace OutlookCalendarSync.Stores;

/// <summary>
/// Keeps the sign-ins users have started and not yet completed, so the redirect back from Microsoft can complete on any server
/// that shares the store: at most one per user, each taken at most once, bound to its user, gone once expired.
/// </summary>
/// <remarks>
/// <para>
/// The default is in memory (one process; at most <c>MicrosoftAccountOptions.MaxPendingSignIns</c>). A farm without sticky
/// sessions uses a shared store: <c>UseSqliteStores</c> and <c>UsePostgreSqlStores</c> register theirs, or a host plugs its own with
/// <c>UsePendingSignInStore</c> and checks it with <c>PendingSignInStoreContract</c> (OutlookCalendarSync.Specification.Tests).
/// </para>
/// <para>
/// Every server must also share the ASP.NET Core Data Protection key ring, which protects <see cref="PendingSignIn"/>'s payload as
/// it protects the token caches.
/// </para>
/// </remarks>
/// <threadsafety>Implementations must be safe for concurrent use, and <see cref="TakeAsync"/> atomic across every process sharing the store.</threadsafety>
public interface IPendingSignInStore
{
    /// <summary>
    /// Keeps a pending sign-in, replacing the user's earlier one if any (a user has at most one pending sign-in). A store may remove
    /// expired sign-ins of any user while doing so.
    /// </summary>
    /// <param name="signIn">The sign-in.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the sign-in is stored.</returns>
    Task AddAsync(PendingSignIn signIn, CancellationToken cancellationToken);

    /// <summary>
    /// Removes and returns the user's pending sign-in when its key is <paramref name="key"/> and it has not expired; otherwise returns
    /// <see langword="null"/> and leaves every pending sign-in in place (an expired one may be removed).
    /// </summary>
    /// <param name="key">The key the callback presents.</param>
    /// <param name="userId">The host user completing the sign-in.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sign-in, or <see langword="null"/>.</returns>
    /// <remarks>
    /// Atomic: of concurrent calls with the same key, across every process sharing the store, at most one gets the sign-in. A key
    /// presented for another user neither returns nor removes that user's sign-in.
    /// </remarks>
    Task<PendingSignIn?> TakeAsync(string key, string userId, CancellationToken cancellationToken);
}
