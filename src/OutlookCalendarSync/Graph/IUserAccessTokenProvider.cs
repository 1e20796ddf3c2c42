namespace OutlookCalendarSync.Graph;

/// <summary>
/// Gives the Microsoft Graph adapter an access token for a user's mailbox (scope <c>Calendars.ReadWrite</c>).
/// </summary>
/// <remarks>
/// <para>
/// The adapter asks for a token before every HTTP request it sends to Graph, so an implementation should cache tokens and
/// refresh them silently (MSAL's <c>AcquireTokenSilent</c> does both). Tokens are sent only to the host of
/// <see cref="MicrosoftGraphOptions.GraphBaseUrl"/> and never appear in a message or a log.
/// </para>
/// <para>
/// When the user's sign-in can no longer be used (revoked consent, an expired refresh token), throw
/// <see cref="ReauthorizationRequiredException"/>: the sync engine then sets the user's status to NeedsReauthorization and
/// returns that status instead of failing.
/// </para>
/// </remarks>
/// <threadsafety>Called concurrently for different users and for the same user; implementations must be thread-safe.</threadsafety>
public interface IUserAccessTokenProvider
{
    /// <summary>Gets a current access token for the user's mailbox.</summary>
    /// <param name="userId">The host application's id of the user.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The bearer token, without the <c>Bearer </c> prefix.</returns>
    /// <exception cref="ReauthorizationRequiredException">The user must connect their Microsoft account again.</exception>
    Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken);
}
