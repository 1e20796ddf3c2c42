using NodaTime;

namespace OutlookCalendarSync.Authentication;

/// <summary>A user's connected Microsoft account.</summary>
/// <remarks>Made by the library only (its constructor is internal), so a member can be added without breaking anyone.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record MicrosoftAccountConnection
{
    internal MicrosoftAccountConnection(string userId, string username, string accountId, string tenantId, IReadOnlyList<string> scopes, Instant connectedAt)
    {
        UserId = userId;
        Username = username;
        AccountId = accountId;
        TenantId = tenantId;
        Scopes = scopes;
        ConnectedAt = connectedAt;
    }

    /// <summary>The host's user id.</summary>
    public string UserId { get; }

    /// <summary>The account's sign-in name, such as <c>alice@contoso.com</c>.</summary>
    public string Username { get; }

    /// <summary>MSAL's home account id (<c>objectId.tenantId</c>).</summary>
    public string AccountId { get; }

    /// <summary>The directory the account signed in to.</summary>
    public string TenantId { get; }

    /// <summary>The permissions granted.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>When the account was connected.</summary>
    public Instant ConnectedAt { get; }

    /// <summary>
    /// Gets whether the account was connected as a public client (<see cref="IPublicClientSignIn"/>, no secret): its tokens are
    /// refreshed without the app's secret. <see langword="false"/> for the Web sign-in, with the secret or certificate.
    /// </summary>
    public bool PublicClient { get; init; }
}
