using Microsoft.Data.Sqlite;
using NodaTime;
using OutlookCalendarSync.Sqlite.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite;

/// <summary>
/// An <see cref="IPendingSignInStore"/> in a SQLite file: one row per user (a new sign-in replaces the user's earlier one), taken
/// with one <c>DELETE … RETURNING</c>, so every process sharing the file sees each sign-in completed at most once.
/// </summary>
/// <remarks>
/// Each <see cref="AddAsync"/> also deletes the rows that have expired, so the table holds at most one row per user who started a
/// sign-in within the last <c>SignInLifetime</c>. Microsoft.Data.Sqlite has no truly asynchronous I/O, so the asynchronous methods
/// complete synchronously.
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the file.</threadsafety>
internal sealed class SqlitePendingSignInStore : IPendingSignInStore
{
    private readonly SqliteDatabase _database;
    private readonly IClock _clock;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="clock">Decides which sign-ins have expired.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SqlitePendingSignInStore(SqliteStoreOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _database = SqliteDatabase.FromOptions(options);
        _clock = clock;
    }

    /// <inheritdoc />
    public Task AddAsync(PendingSignIn signIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        cancellationToken.ThrowIfCancellationRequested();
        long now = _clock.GetCurrentInstant().ToUnixTimeTicks();
        _database.Write((connection, transaction) =>
        {
            connection.Execute(transaction, "DELETE FROM pending_sign_ins WHERE expires_at_ticks <= $now;", ("$now", now));
            return connection.Execute(
                transaction,
                """
                INSERT INTO pending_sign_ins (user_id, state_key, payload, expires_at_ticks) VALUES ($user, $key, $payload, $expires)
                ON CONFLICT (user_id) DO UPDATE SET state_key = excluded.state_key, payload = excluded.payload, expires_at_ticks = excluded.expires_at_ticks;
                """,
                ("$user", signIn.UserId),
                ("$key", signIn.Key),
                ("$payload", signIn.GetPayload()),
                ("$expires", signIn.ExpiresAt.ToUnixTimeTicks()));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<PendingSignIn?> TakeAsync(string key, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        long now = _clock.GetCurrentInstant().ToUnixTimeTicks();
        return Task.FromResult(_database.Write((connection, transaction) =>
        {
            // Only the user's own row with this key: another user's key, or a replaced one, leaves every row in place.
            using SqliteCommand command = connection.Command(
                transaction,
                "DELETE FROM pending_sign_ins WHERE user_id = $user AND state_key = $key AND expires_at_ticks > $now RETURNING payload, expires_at_ticks;",
                ("$user", userId),
                ("$key", key),
                ("$now", now));
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read()
                ? new PendingSignIn(key, userId, (byte[])reader.GetValue(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)))
                : null;
        }));
    }
}
