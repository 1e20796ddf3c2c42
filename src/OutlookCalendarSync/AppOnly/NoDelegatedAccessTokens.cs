using OutlookCalendarSync.Graph;

namespace OutlookCalendarSync.AppOnly;

/// <summary>The token source of a host that syncs app-only users alone: a user without a mailbox mapping cannot be synced.</summary>
internal sealed class NoDelegatedAccessTokens : IUserAccessTokenProvider
{
    public static readonly NoDelegatedAccessTokens Instance = new();

    public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) =>
        throw new ReauthorizationRequiredException(
            "The mailbox directory maps this user to no mailbox, and no delegated sign-in is configured (UseMicrosoftAccount or UseAccessTokenProvider): map the user to a mailbox, or let users connect their own account.");
}
