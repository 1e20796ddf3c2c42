using NodaTime;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// What is kept per user, protected, in <see cref="Stores.ITokenStore"/>: the account, MSAL's serialized token cache, and
/// whether a public client (no secret) connected it, so refreshes go through the same kind of client.
/// </summary>
internal sealed record ConnectedAccount(string AccountId, string Username, string TenantId, IReadOnlyList<string> Scopes, Instant ConnectedAt, byte[] MsalCache, bool PublicClient = false)
{
    public MicrosoftAccountConnection ToConnection(string userId) => new(userId, Username, AccountId, TenantId, Scopes, ConnectedAt) { PublicClient = PublicClient };
}
