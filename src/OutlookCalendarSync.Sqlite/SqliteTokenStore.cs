using OutlookCalendarSync.Sqlite.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite;

/// <summary>An <see cref="ITokenStore"/> in a SQLite file: one blob per user (already protected by the library before it gets here).</summary>
/// <remarks>Microsoft.Data.Sqlite has no truly asynchronous I/O, so the asynchronous methods complete synchronously.</remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the file.</threadsafety>
public sealed class SqliteTokenStore : ITokenStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public SqliteTokenStore(SqliteStoreOptions options)
    {
        _database = SqliteDatabase.FromOptions(options);
    }

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((connection, transaction) =>
            connection.Scalar<byte[]>(transaction, "SELECT blob FROM token_caches WHERE user_id = $user;", ("$user", userId))));
    }

    /// <inheritdoc />
    public Task SetAsync(string userId, byte[] protectedTokenCache, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(protectedTokenCache);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) => connection.Execute(
            transaction,
            "INSERT INTO token_caches (user_id, blob) VALUES ($user, $blob) ON CONFLICT (user_id) DO UPDATE SET blob = excluded.blob;",
            ("$user", userId),
            ("$blob", protectedTokenCache)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) => connection.Execute(transaction, "DELETE FROM token_caches WHERE user_id = $user;", ("$user", userId)));
        return Task.CompletedTask;
    }
}
