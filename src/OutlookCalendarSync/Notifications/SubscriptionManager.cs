using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Authentication;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Stores;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Notifications;

/// <summary>
/// Creates, renews and deletes one user's Graph subscription and keeps its row in <see cref="ISubscriptionStore"/>; resolved per
/// call in a DI scope, like the Graph adapter, so a scoped token provider or store is never shared.
/// </summary>
internal sealed class SubscriptionManager
{
    /// <summary>The resource of a delegated subscription: the signed-in user's events (all calendars of the mailbox).</summary>
    public const string Resource = "me/events";


    private const string ChangeTypes = "created,updated,deleted";

    private readonly ISubscriptionStore _store;
    private readonly IUserAccessTokenProvider _tokens;
    private readonly IHttpClientFactory _httpClients;
    private readonly MicrosoftGraphOptions _graph;
    private readonly ChangeNotificationOptions _options;
    private readonly IClock _clock;
    private readonly AppOnlyMailboxes? _appOnly;

    public SubscriptionManager(
        ISubscriptionStore store,
        IHttpClientFactory httpClients,
        IOptions<MicrosoftGraphOptions> graph,
        IOptions<ChangeNotificationOptions> options,
        IClock clock,
        IUserAccessTokenProvider? tokens = null,
        AppOnlyMailboxes? appOnly = null)
    {
        _store = Guard.NotNull(store);
        _tokens = tokens ?? NoDelegatedAccessTokens.Instance;
        _appOnly = appOnly;
        _httpClients = Guard.NotNull(httpClients);
        _graph = Guard.NotNull(graph).Value;
        _options = Guard.NotNull(options).Value;
        _clock = Guard.NotNull(clock);
    }

    /// <summary>Makes sure the user has a subscription that is not due for renewal: creates or renews it as needed.</summary>
    /// <returns>The subscription.</returns>
    public async Task<NotificationSubscription> EnsureAsync(string userId, CancellationToken cancellationToken)
    {
        NotificationSubscription? current = await _store.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (current is not null && current.ExpiresAt - _clock.GetCurrentInstant() > _options.RenewBefore)
        {
            return current;
        }

        return current is null
            ? await CreateAsync(userId, null, cancellationToken).ConfigureAwait(false)
            : await RenewAsync(current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Extends a subscription by <see cref="ChangeNotificationOptions.SubscriptionLifetime"/> (this is also how a subscription is
    /// reauthorized); one Graph no longer knows (expired, removed) is created again.
    /// </summary>
    public async Task<NotificationSubscription> RenewAsync(NotificationSubscription subscription, CancellationToken cancellationToken)
    {
        Instant expiresAt = _clock.GetCurrentInstant() + _options.SubscriptionLifetime;
        try
        {
            (GraphServiceClient client, _) = await ClientAsync(subscription.UserId, cancellationToken).ConfigureAwait(false);
            G.Subscription? renewed = await client.Subscriptions[subscription.SubscriptionId]
                .PatchAsync(new G.Subscription { ExpirationDateTime = expiresAt.ToDateTimeOffset() }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            NotificationSubscription saved = subscription with { ExpiresAt = Instant.FromDateTimeOffset(renewed?.ExpirationDateTime ?? expiresAt.ToDateTimeOffset()) };
            await _store.SaveAsync(saved, cancellationToken).ConfigureAwait(false);
            return saved;
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            return await CreateAsync(subscription.UserId, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates a subscription with a new secret <c>clientState</c> and stores it, replacing the user's row; the old subscription,
    /// if one is named, is deleted in Graph first (it may already be gone).
    /// </summary>
    public async Task<NotificationSubscription> CreateAsync(string userId, NotificationSubscription? replacing, CancellationToken cancellationToken)
    {
        (GraphServiceClient client, string resource) = await ClientAsync(userId, cancellationToken).ConfigureAwait(false);
        if (replacing is not null)
        {
            await DeleteInGraphAsync(client, replacing.SubscriptionId, cancellationToken).ConfigureAwait(false);
        }

        string clientState = NewClientState();
        Instant expiresAt = _clock.GetCurrentInstant() + _options.SubscriptionLifetime;
        G.Subscription? created = await client.Subscriptions.PostAsync(
            new G.Subscription
            {
                ChangeType = ChangeTypes,
                NotificationUrl = _options.NotificationUrl!.AbsoluteUri,
                LifecycleNotificationUrl = _options.LifecycleNotificationUrl!.AbsoluteUri,
                Resource = resource,
                ExpirationDateTime = expiresAt.ToDateTimeOffset(),
                ClientState = clientState,
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (created?.Id is not { Length: > 0 } id)
        {
            throw new OutlookCalendarSyncException("Microsoft Graph created a subscription but returned no id.");
        }

        // A crash before this save leaves a subscription nobody knows: its notifications are ignored (unknown subscription) and it
        // lapses by itself within SubscriptionLifetime. The next completed run of the user creates another.
        var saved = new NotificationSubscription
        {
            UserId = userId,
            SubscriptionId = id,
            ClientState = clientState,
            ExpiresAt = created.ExpirationDateTime is { } given ? Instant.FromDateTimeOffset(given) : expiresAt,
        };
        await _store.SaveAsync(saved, cancellationToken).ConfigureAwait(false);
        return saved;
    }

    /// <summary>
    /// Deletes the user's subscription in Graph and forgets its row. When Graph cannot be asked (the user's sign-in no longer
    /// works, Graph fails), the row is forgotten anyway: the subscription's notifications are then ignored as unknown, and Graph
    /// ends it at its expiry.
    /// </summary>
    /// <returns>Whether Graph confirmed the deletion (or had no such subscription).</returns>
    public async Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        NotificationSubscription? current = await _store.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return true;
        }

        bool deleted;
        try
        {
            (GraphServiceClient client, _) = await ClientAsync(userId, cancellationToken).ConfigureAwait(false);
            await DeleteInGraphAsync(client, current.SubscriptionId, cancellationToken).ConfigureAwait(false);
            deleted = true;
        }
        catch (Exception ex) when (ex is OutlookCalendarSyncException or ODataError or HttpRequestException)
        {
            deleted = false;
        }

        await _store.DeleteAsync(userId, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>The resource of an app-only subscription: the mapped mailbox's events, as Graph names it for application permissions.</summary>
    public static string AppOnlyResource(string mailbox) => "users/" + mailbox + "/events";

    /// <summary>32 random bytes, base64url: 43 characters, under Graph's 128.</summary>
    private static string NewClientState() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task DeleteInGraphAsync(GraphServiceClient client, string subscriptionId, CancellationToken cancellationToken)
    {
        try
        {
            await client.Subscriptions[subscriptionId].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            // Already gone (expired or removed by Graph).
        }
    }

    /// <summary>
    /// The Graph client the user's subscription is managed with, and the resource it watches: the user's own token and
    /// <c>me/events</c> for a delegated user; the tenant's app-only token and <c>users/{mailbox}/events</c> for a user the mailbox
    /// directory maps (Graph's resource for application permissions: <c>/me</c> means nothing to an app).
    /// </summary>
    private async ValueTask<(GraphServiceClient Client, string Resource)> ClientAsync(string userId, CancellationToken cancellationToken)
    {
        string baseUrl = _graph.GraphBaseUrl.ToString().TrimEnd('/');
        HttpClient http = _httpClients.CreateClient(GraphOutlookCalendar.HttpClientName);
        if (_appOnly is not null && await _appOnly.FindAsync(userId, cancellationToken).ConfigureAwait(false) is { } mailbox)
        {
            return (_appOnly.CreateTenantClient(mailbox.TenantId, http, baseUrl, _graph.GraphBaseUrl.Host), AppOnlyResource(mailbox.Mailbox));
        }

        var authentication = new BaseBearerTokenAuthenticationProvider(new UserAccessTokenAuthentication(_tokens, userId, _graph.GraphBaseUrl.Host));
        return (new GraphServiceClient(http, authentication, baseUrl), Resource);
    }
}
