using NodaTime;

namespace OutlookCalendarSync.Authentication;

/// <summary>A user's connected Microsoft account.</summary>
/// <param name="UserId">The host's user id.</param>
/// <param name="Username">The account's sign-in name, such as <c>alice@contoso.com</c>.</param>
/// <param name="AccountId">MSAL's home account id (<c>objectId.tenantId</c>).</param>
/// <param name="TenantId">The directory the account signed in to.</param>
/// <param name="Scopes">The permissions granted.</param>
/// <param name="ConnectedAt">When the account was connected.</param>
public sealed record MicrosoftAccountConnection(string UserId, string Username, string AccountId, string TenantId, IReadOnlyList<string> Scopes, Instant ConnectedAt)
{
    /// <summary>
    /// Gets whether the account was connected as a public client (<see cref="IPublicClientSignIn"/>, no secret): its tokens are
    /// refreshed without the app's secret. <see langword="false"/> for the Web sign-in, with the secret or certificate.
    /// </summary>
    public bool PublicClient { get; init; }
}
