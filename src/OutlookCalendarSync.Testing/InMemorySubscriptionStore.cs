using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Testing;

/// <summary>An in-memory <see cref="ISubscriptionStore"/>: one subscription per user, found by user or subscription id.</summary>
/// <threadsafety>Safe for concurrent use by any number of threads.</threadsafety>
public sealed class InMemorySubscriptionStore : ISubscriptionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, NotificationSubscription> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NotificationSubscription> _bySubscription = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<NotificationSubscription?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_byUser.GetValueOrDefault(userId));
        }
    }

    /// <inheritdoc />
    public Task<NotificationSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_bySubscription.GetValueOrDefault(subscriptionId));
        }
    }

    /// <inheritdoc />
    public Task SaveAsync(NotificationSubscription subscription, CancellationToken cancellationToken)
    {
        Check(subscription);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_bySubscription.TryGetValue(subscription.SubscriptionId, out NotificationSubscription? holder)
                && !string.Equals(holder.UserId, subscription.UserId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Subscription '{subscription.SubscriptionId}' belongs to another user; a subscription id names one user's subscription.");
            }

            Remove(subscription.UserId);
            _byUser[subscription.UserId] = subscription;
            _bySubscription[subscription.SubscriptionId] = subscription;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Remove(userId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationSubscription>> GetExpiringAsync(Instant before, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<NotificationSubscription> expiring = _byUser.Values
                .Where(s => s.ExpiresAt < before)
                .OrderBy(s => s.ExpiresAt)
                .ThenBy(s => s.UserId, StringComparer.Ordinal)
                .Take(limit)
                .ToArray();
            return Task.FromResult(expiring);
        }
    }

    /// <summary>Checks a subscription before it is stored, as a database's constraints would.</summary>
    internal static void Check(NotificationSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription.UserId, nameof(subscription));
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription.SubscriptionId, nameof(subscription));
        ArgumentException.ThrowIfNullOrEmpty(subscription.ClientState, nameof(subscription));
    }

    private void Remove(string userId)
    {
        if (_byUser.Remove(userId, out NotificationSubscription? old))
        {
            _bySubscription.Remove(old.SubscriptionId);
        }
    }
}
