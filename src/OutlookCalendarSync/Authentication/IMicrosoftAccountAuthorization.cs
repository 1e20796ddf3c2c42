namespace OutlookCalendarSync.Authentication;

/// <summary>
/// Connects users' Microsoft accounts: builds the sign-in URL, completes the redirect back to the app, reports and removes
/// connections.
/// </summary>
/// <remarks>
/// <para>
/// Send the user's browser to <see cref="BuildSignInUrlAsync"/>'s URL; Microsoft redirects it back to
/// <c>{PublicBaseUrl}/microsoft_account/authentication</c> with the query that <see cref="CompleteSignInAsync(IReadOnlyDictionary{string, string}, string?, CancellationToken)"/>
/// takes, with the host user the redirect arrived for. The authorization code is exchanged with PKCE (S256); the <c>state</c> is
/// unguessable, single-use, bound to the user, replaced by the user's next sign-in URL, and expires after
/// <see cref="MicrosoftAccountOptions.SignInLifetime"/>.
/// </para>
/// <para>
/// Pending sign-ins are kept in the registered <see cref="Stores.IPendingSignInStore"/>: in this process's memory by default
/// (at most <see cref="MicrosoftAccountOptions.MaxPendingSignIns"/>), so the redirect must reach the process that built the URL;
/// with the SQLite or PostgreSQL stores (or the host's own) and a shared Data Protection key ring, any server completes it.
/// </para>
/// </remarks>
/// <threadsafety>All members are safe to call concurrently.</threadsafety>
public interface IMicrosoftAccountAuthorization
{
    /// <summary>Builds the Microsoft sign-in URL for a user of the host app.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="loginHint">The account to suggest on the sign-in page, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The URL to redirect the user's browser to.</returns>
    Task<Uri> BuildSignInUrlAsync(string userId, string? loginHint = null, CancellationToken cancellationToken = default);

    /// <summary>Completes a sign-in from the query string of the redirect (<c>code</c> and <c>state</c>, or <c>error</c>).</summary>
    /// <param name="query">The query parameters of the redirect.</param>
    /// <param name="userId">
    /// The host user signed in to the app where the redirect arrived. Only a sign-in started by this user completes: a <c>state</c>
    /// built for another user is rejected and stays usable by its owner, so nobody can connect their Microsoft account to someone
    /// else's user by sending them a sign-in link, nor spoil another user's sign-in.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened; never throws for a bad or denied sign-in.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null or empty: the callback must know who the user is.</exception>
    Task<SignInResult> CompleteSignInAsync(IReadOnlyDictionary<string, string> query, string userId, CancellationToken cancellationToken = default);

    /// <summary>Completes a sign-in from the parameters of the redirect.</summary>
    /// <param name="code">The authorization code, when the user signed in.</param>
    /// <param name="state">The state the sign-in URL carried.</param>
    /// <param name="errorCode">The error code from Microsoft Entra, such as <c>access_denied</c>.</param>
    /// <param name="errorDescription">Microsoft Entra's description of the error.</param>
    /// <param name="userId">The host user signed in where the redirect arrived; only a sign-in this user started completes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened; never throws for a bad or denied sign-in.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null or empty: the callback must know who the user is.</exception>
    Task<SignInResult> CompleteSignInAsync(string? code, string? state, string? errorCode, string? errorDescription, string userId, CancellationToken cancellationToken = default);

    /// <summary>Reports a user's connection.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection, or <see langword="null"/> when the user has not connected an account.</returns>
    Task<MicrosoftAccountConnection?> GetConnectionAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Forgets a user's tokens; the user must connect again before the next sync.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tokens are gone.</returns>
    Task DisconnectAsync(string userId, CancellationToken cancellationToken = default);
}
