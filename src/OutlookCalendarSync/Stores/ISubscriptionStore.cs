using NodaTime;

namespace OutlookCalendarSync.Stores;

/// <summary>
/// Keeps each user's Microsoft Graph change-notification subscription (<see cref="NotificationSubscription"/>): one row per user,
/// found by user id or by the subscription id a notification carries, and listed by expiry for renewal.
/// </summary>
/// <remarks>
/// Used only with change notifications (<c>AddChangeNotifications</c>). The in-memory, SQLite and PostgreSQL stores implement it;
/// check another implementation with <c>SubscriptionStoreContract</c> from OutlookCalendarSync.Specification.Tests.
/// </remarks>
/// <threadsafety>Implementations must be safe for concurrent use: the notification endpoint reads while renewals write.</threadsafety>
public interface ISubscriptionStore
{
    /// <summary>Reads a user's subscription.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The subscription, or null when the user has none.</returns>
    Task<NotificationSubscription?> GetAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Reads the subscription with a Graph subscription id (what a notification names).</summary>
    /// <param name="subscriptionId">The id Graph gave the subscription.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The subscription, or null when no user has it.</returns>
    Task<NotificationSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Stores a user's subscription, replacing the one the user had (a renewal, or a new subscription).</summary>
    /// <param name="subscription">The subscription.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is stored.</returns>
    Task SaveAsync(NotificationSubscription subscription, CancellationToken cancellationToken);

    /// <summary>Forgets a user's subscription; does nothing when the user has none.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is gone.</returns>
    Task DeleteAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Lists the subscriptions that expire before an instant, the soonest first (then by user id).</summary>
    /// <param name="before">The instant; subscriptions expiring at or after it are left out.</param>
    /// <param name="limit">The most subscriptions to return (positive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most <paramref name="limit"/> subscriptions.</returns>
    Task<IReadOnlyList<NotificationSubscription>> GetExpiringAsync(Instant before, int limit, CancellationToken cancellationToken);
}
