using Microsoft.Kiota.Abstractions.Authentication;

namespace OutlookCalendarSync.Graph;

/// <summary>The SDK's token source for one user: asks the host's provider for every request, and only for the Graph host.</summary>
internal sealed class UserAccessTokenAuthentication(IUserAccessTokenProvider provider, string userId, string graphHost) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new([graphHost]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        => provider.GetAccessTokenAsync(userId, cancellationToken);
}
