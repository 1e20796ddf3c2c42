using Npgsql;
using NpgsqlTypes;
using OutlookCalendarSync.PostgreSql.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql;

/// <summary>An <see cref="ITokenStore"/> in PostgreSQL: one <c>bytea</c> blob per user (already protected by the library before it gets here).</summary>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the database.</threadsafety>
internal sealed class PostgreSqlTokenStore : ITokenStore
{
    private readonly PostgreSqlDatabase _database;
    private readonly string _select;
    private readonly string _upsert;
    private readonly string _delete;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public PostgreSqlTokenStore(PostgreSqlStoreOptions options)
    {
        _database = PostgreSqlDatabase.FromOptions(options);
        _select = _database.Sql("SELECT blob FROM {schema}.token_caches WHERE user_id = @user;");
        _upsert = _database.Sql("INSERT INTO {schema}.token_caches (user_id, blob) VALUES (@user, @blob) ON CONFLICT (user_id) DO UPDATE SET blob = excluded.blob;");
        _delete = _database.Sql("DELETE FROM {schema}.token_caches WHERE user_id = @user;");
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_select, connection);
        command.Parameters.AddWithValue("user", userId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    /// <inheritdoc />
    public async Task SetAsync(string userId, byte[] protectedTokenCache, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(protectedTokenCache);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_upsert, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.Add(new NpgsqlParameter("blob", NpgsqlDbType.Bytea) { Value = protectedTokenCache });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_delete, connection);
        command.Parameters.AddWithValue("user", userId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
