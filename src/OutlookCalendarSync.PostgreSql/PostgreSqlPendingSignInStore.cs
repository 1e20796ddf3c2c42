using Npgsql;
using NpgsqlTypes;
using NodaTime;
using OutlookCalendarSync.PostgreSql.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql;

/// <summary>
/// An <see cref="IPendingSignInStore"/> in PostgreSQL: one row per user (a new sign-in replaces the user's earlier one), taken with
/// one <c>DELETE … RETURNING</c>, so of the servers sharing the database at most one completes each sign-in.
/// </summary>
/// <remarks>
/// Each <see cref="AddAsync"/> also deletes the rows that have expired, so the table holds at most one row per user who started a
/// sign-in within the last <c>SignInLifetime</c>.
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the database.</threadsafety>
internal sealed class PostgreSqlPendingSignInStore : IPendingSignInStore
{
    private readonly PostgreSqlDatabase _database;
    private readonly IClock _clock;
    private readonly string _add;
    private readonly string _take;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="clock">Decides which sign-ins have expired.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PostgreSqlPendingSignInStore(PostgreSqlStoreOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _database = PostgreSqlDatabase.FromOptions(options);
        _clock = clock;
        _add = _database.Sql(
            """
            DELETE FROM {schema}.pending_sign_ins WHERE expires_at_ticks <= @now;
            INSERT INTO {schema}.pending_sign_ins (user_id, state_key, payload, expires_at_ticks) VALUES (@user, @key, @payload, @expires)
            ON CONFLICT (user_id) DO UPDATE SET state_key = excluded.state_key, payload = excluded.payload, expires_at_ticks = excluded.expires_at_ticks;
            """);

        // Only the user's own row with this key: another user's key, or a replaced one, leaves every row in place.
        _take = _database.Sql(
            "DELETE FROM {schema}.pending_sign_ins WHERE user_id = @user AND state_key = @key AND expires_at_ticks > @now RETURNING payload, expires_at_ticks;");
    }

    /// <inheritdoc />
    public async Task AddAsync(PendingSignIn signIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_add, connection);
        command.Parameters.AddWithValue("now", _clock.GetCurrentInstant().ToUnixTimeTicks());
        command.Parameters.AddWithValue("user", signIn.UserId);
        command.Parameters.AddWithValue("key", signIn.Key);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Bytea) { Value = signIn.GetPayload() });
        command.Parameters.AddWithValue("expires", signIn.ExpiresAt.ToUnixTimeTicks());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PendingSignIn?> TakeAsync(string key, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_take, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("now", _clock.GetCurrentInstant().ToUnixTimeTicks());
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new PendingSignIn(key, userId, reader.GetFieldValue<byte[]>(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)))
            : null;
    }
}
