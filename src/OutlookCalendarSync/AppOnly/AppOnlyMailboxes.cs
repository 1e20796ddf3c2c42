using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using NodaTime;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// What the Graph adapter needs for app-only users: the host's mapping, and a Graph client that reaches the mapped mailbox
/// through <c>/users/{mailbox}</c> with the tenant's app-only token.
/// </summary>
internal sealed class AppOnlyMailboxes(IMailboxDirectory directory, AppOnlyTokenProvider tokens, IClock clock)
{
    public ValueTask<AppOnlyMailbox?> FindAsync(string userId, CancellationToken cancellationToken) => directory.FindMailboxAsync(userId, cancellationToken);

    public GraphServiceClient CreateClient(AppOnlyMailbox mailbox, HttpClient httpClient, string baseUrl, string graphHost)
    {
        var authentication = new BaseBearerTokenAuthenticationProvider(new AppOnlyTokenAuthentication(tokens, mailbox.TenantId, graphHost));
        var adapter = new BaseGraphRequestAdapter(authentication, httpClient: WithTokenRenewal(httpClient, mailbox.TenantId)) { BaseUrl = baseUrl };
        return new GraphServiceClient(new MailboxRequestAdapter(adapter, mailbox.Mailbox), baseUrl);
    }

    /// <summary>
    /// A Graph client of the tenant that is not tied to a mailbox (<c>/subscriptions</c>), with the app-only token and the same
    /// handling of 401 as the adapter's.
    /// </summary>
    public GraphServiceClient CreateTenantClient(string tenantId, HttpClient httpClient, string baseUrl, string graphHost)
    {
        var authentication = new BaseBearerTokenAuthenticationProvider(new AppOnlyTokenAuthentication(tokens, tenantId, graphHost));
        return new GraphServiceClient(WithTokenRenewal(httpClient, tenantId), authentication, baseUrl);
    }

    /// <summary>When a mailbox Graph refused is tried again.</summary>
    public Instant MailboxRetryAt() => clock.GetCurrentInstant() + tokens.Options.MailboxRecheckInterval;

    /// <summary>
    /// The factory's client behind <see cref="AppOnlyUnauthorizedHandler"/>. The outer client owns only the handler (no connection
    /// of its own) and leaves timeouts to the factory's client.
    /// </summary>
    private HttpClient WithTokenRenewal(HttpClient httpClient, string tenantId) =>
        new(new AppOnlyUnauthorizedHandler(httpClient, tokens, tenantId), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Kiota's token source for one tenant: the app-only token, sent only to the Graph host.</summary>
    private sealed class AppOnlyTokenAuthentication(AppOnlyTokenProvider tokens, string tenantId, string graphHost) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([graphHost]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
            => tokens.GetAccessTokenAsync(tenantId, cancellationToken);
    }
}
