using Npgsql;
using NodaTime;
using OutlookCalendarSync.PostgreSql.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql;

/// <summary>
/// An <see cref="ISubscriptionStore"/> in PostgreSQL: one row per user in <c>notification_subscriptions</c>, unique by Graph
/// subscription id, indexed by expiry for renewals.
/// </summary>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the database.</threadsafety>
internal sealed class PostgreSqlSubscriptionStore : ISubscriptionStore
{
    private const string Columns = "user_id, subscription_id, client_state, expires_at_ticks";

    private readonly PostgreSqlDatabase _database;
    private readonly string _byUser;
    private readonly string _bySubscription;
    private readonly string _upsert;
    private readonly string _delete;
    private readonly string _expiring;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public PostgreSqlSubscriptionStore(PostgreSqlStoreOptions options)
    {
        _database = PostgreSqlDatabase.FromOptions(options);
        _byUser = _database.Sql($"SELECT {Columns} FROM {{schema}}.notification_subscriptions WHERE user_id = @key;");
        _bySubscription = _database.Sql($"SELECT {Columns} FROM {{schema}}.notification_subscriptions WHERE subscription_id = @key;");
        _upsert = _database.Sql(
            $$"""
            INSERT INTO {schema}.notification_subscriptions ({{Columns}}) VALUES (@user, @subscription, @state, @expires)
            ON CONFLICT (user_id) DO UPDATE SET subscription_id = excluded.subscription_id, client_state = excluded.client_state,
                                                expires_at_ticks = excluded.expires_at_ticks;
            """);
        _delete = _database.Sql("DELETE FROM {schema}.notification_subscriptions WHERE user_id = @user;");
        _expiring = _database.Sql($"SELECT {Columns} FROM {{schema}}.notification_subscriptions WHERE expires_at_ticks < @before ORDER BY expires_at_ticks, user_id COLLATE \"C\" LIMIT @limit;");
    }

    /// <inheritdoc />
    public async Task<NotificationSubscription?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return (await QueryAsync(_byUser, cancellationToken, ("key", userId)).ConfigureAwait(false)) is [var row] ? row : null;
    }

    /// <inheritdoc />
    public async Task<NotificationSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        return (await QueryAsync(_bySubscription, cancellationToken, ("key", subscriptionId)).ConfigureAwait(false)) is [var row] ? row : null;
    }

    /// <inheritdoc />
    public async Task SaveAsync(NotificationSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription.UserId, nameof(subscription));
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription.SubscriptionId, nameof(subscription));
        ArgumentException.ThrowIfNullOrEmpty(subscription.ClientState, nameof(subscription));
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_upsert, connection);
        command.Parameters.AddWithValue("user", subscription.UserId);
        command.Parameters.AddWithValue("subscription", subscription.SubscriptionId);
        command.Parameters.AddWithValue("state", subscription.ClientState);
        command.Parameters.AddWithValue("expires", subscription.ExpiresAt.ToUnixTimeTicks());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_delete, connection);
        command.Parameters.AddWithValue("user", userId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationSubscription>> GetExpiringAsync(Instant before, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return QueryAsync(_expiring, cancellationToken, ("before", before.ToUnixTimeTicks()), ("limit", limit));
    }

    private async Task<IReadOnlyList<NotificationSubscription>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<NotificationSubscription>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
