using NodaTime;

namespace OutlookCalendarSync.Authentication;

/// <summary>What is kept per user, protected, in <see cref="Stores.ITokenStore"/>: the account and MSAL's serialized token cache.</summary>
internal sealed record ConnectedAccount(string AccountId, string Username, string TenantId, IReadOnlyList<string> Scopes, Instant ConnectedAt, byte[] MsalCache)
{
    public MicrosoftAccountConnection ToConnection(string userId) => new(userId, Username, AccountId, TenantId, Scopes, ConnectedAt);
}
