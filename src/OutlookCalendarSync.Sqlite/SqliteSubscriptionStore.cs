using Microsoft.Data.Sqlite;
using NodaTime;
using OutlookCalendarSync.Sqlite.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite;

/// <summary>
/// An <see cref="ISubscriptionStore"/> in a SQLite file: one row per user in <c>notification_subscriptions</c>, unique by Graph
/// subscription id, indexed by expiry for renewals.
/// </summary>
/// <remarks>Microsoft.Data.Sqlite has no truly asynchronous I/O, so the asynchronous methods complete synchronously.</remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the file.</threadsafety>
internal sealed class SqliteSubscriptionStore : ISubscriptionStore
{
    private const string Columns = "user_id, subscription_id, client_state, expires_at_ticks";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public SqliteSubscriptionStore(SqliteStoreOptions options)
    {
        _database = SqliteDatabase.FromOptions(options);
    }

    /// <inheritdoc />
    public Task<NotificationSubscription?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((connection, transaction) =>
            Query(connection, transaction, $"SELECT {Columns} FROM notification_subscriptions WHERE user_id = $key;", ("$key", userId)) is [var row] ? row : null));
    }

    /// <inheritdoc />
    public Task<NotificationSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((connection, transaction) =>
            Query(connection, transaction, $"SELECT {Columns} FROM notification_subscriptions WHERE subscription_id = $key;", ("$key", subscriptionId)) is [var row] ? row : null));
    }

    /// <inheritdoc />
    public Task SaveAsync(NotificationSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription.UserId, nameof(subscription));
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription.SubscriptionId, nameof(subscription));
        ArgumentException.ThrowIfNullOrEmpty(subscription.ClientState, nameof(subscription));
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) => connection.Execute(
            transaction,
            $"""
            INSERT INTO notification_subscriptions ({Columns}) VALUES ($user, $subscription, $state, $expires)
            ON CONFLICT (user_id) DO UPDATE SET subscription_id = excluded.subscription_id, client_state = excluded.client_state,
                                                expires_at_ticks = excluded.expires_at_ticks;
            """,
            ("$user", subscription.UserId),
            ("$subscription", subscription.SubscriptionId),
            ("$state", subscription.ClientState),
            ("$expires", subscription.ExpiresAt.ToUnixTimeTicks())));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) => connection.Execute(transaction, "DELETE FROM notification_subscriptions WHERE user_id = $user;", ("$user", userId)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationSubscription>> GetExpiringAsync(Instant before, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<NotificationSubscription>>(_database.Read((connection, transaction) => Query(
            connection,
            transaction,
            $"SELECT {Columns} FROM notification_subscriptions WHERE expires_at_ticks < $before ORDER BY expires_at_ticks, user_id LIMIT $limit;",
            ("$before", before.ToUnixTimeTicks()),
            ("$limit", limit))));
    }

    private static List<NotificationSubscription> Query(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = connection.Command(transaction, sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<NotificationSubscription>();
        while (reader.Read())
        {
            rows.Add(new NotificationSubscription
            {
                UserId = reader.GetString(0),
                SubscriptionId = reader.GetString(1),
                ClientState = reader.GetString(2),
                ExpiresAt = Instant.FromUnixTimeTicks(reader.GetInt64(3)),
            });
        }

        return rows;
    }
}
