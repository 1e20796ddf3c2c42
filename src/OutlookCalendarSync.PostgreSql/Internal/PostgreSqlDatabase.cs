using Npgsql;

namespace OutlookCalendarSync.PostgreSql.Internal;

/// <summary>
/// Opens connections to the configured database and brings the schema up to date once per instance, before the first call needs it.
/// </summary>
/// <remarks>
/// Connections come from Npgsql's pool for the connection string, which every instance with the same string shares. Migrating takes a
/// transaction-scoped advisory lock keyed by the schema name, so processes starting together migrate one after the other and the
/// later ones find nothing left to do.
/// </remarks>
internal sealed class PostgreSqlDatabase
{
    private readonly string _connectionString;
    private readonly object _migrationGate = new();
    private Task<int>? _migration;

    private PostgreSqlDatabase(string connectionString, string schema)
    {
        _connectionString = connectionString;
        Schema = schema;
        QuotedSchema = $"\"{schema}\"";
    }

    /// <summary>The schema name.</summary>
    public string Schema { get; }

    /// <summary>The schema name, quoted for SQL text.</summary>
    public string QuotedSchema { get; }

    /// <summary>Checks the options and creates the database access for them.</summary>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public static PostgreSqlDatabase FromOptions(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        return new PostgreSqlDatabase(options.ConnectionString!, options.Schema);
    }

    /// <summary>Replaces <c>{schema}</c> in SQL text with the quoted schema name.</summary>
    public string Sql(string text) => text.Replace("{schema}", QuotedSchema, StringComparison.Ordinal);

    /// <summary>Opens a pooled connection, migrating the schema first if this instance has not yet.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);

        return await OpenUncheckedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction on a pooled connection and commits it; an exception rolls it back.</summary>
    public async Task<T> InTransactionAsync<T>(
        System.Data.IsolationLevel isolation, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
        T result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Creates the schema if it is missing and applies the migrations it has not had; safe to call from several processes at once.</summary>
    /// <returns>The number of migrations this instance applied (the same on every call once it succeeded).</returns>
    /// <remarks>One migration runs per instance; a failed or cancelled one is tried again by the next call.</remarks>
    public Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        Task<int> migration;
        lock (_migrationGate)
        {
            if (_migration is null || _migration.IsFaulted || _migration.IsCanceled)
            {
                // Not the caller's token: the migration is shared by every caller, and one caller giving up must not fail the others.
                _migration = ApplyMigrationsAsync(CancellationToken.None);
            }

            migration = _migration;
        }

        return migration.IsCompletedSuccessfully ? migration : migration.WaitAsync(cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenUncheckedAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<int> ApplyMigrationsAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await OpenUncheckedAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Held until commit: a second process waits here, then reads the version the first one wrote.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('OutlookCalendarSync.PostgreSql:' || @schema, 0));", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("schema", Schema);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // CREATE SCHEMA needs the CREATE right on the database even when the schema exists: a schema a DBA made is used as it is.
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema);", connection, transaction))
        {
            exists.Parameters.AddWithValue("schema", Schema);
            string create = (bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! ? string.Empty : "CREATE SCHEMA {schema}; ";
            await using var createTables = new NpgsqlCommand(
                Sql(create + "CREATE TABLE IF NOT EXISTS {schema}.schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"),
                connection,
                transaction);
            await createTables.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int current;
        await using (var read = new NpgsqlCommand(Sql("SELECT coalesce(max(version), 0) FROM {schema}.schema_version;"), connection, transaction))
        {
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        IReadOnlyList<string> migrations = SchemaMigrations.All;
        if (current > migrations.Count)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL schema '{Schema}' is at version {current}, newer than this version of OutlookCalendarSync.PostgreSql knows ({migrations.Count}): "
                + "upgrade the package, or point PostgreSqlStoreOptions.Schema at another schema.");
        }

        for (int version = current + 1; version <= migrations.Count; version++)
        {
            await using var migrate = new NpgsqlCommand(
                Sql(migrations[version - 1]) + Sql(" INSERT INTO {schema}.schema_version (version) VALUES (@version);"),
                connection,
                transaction);
            migrate.Parameters.AddWithValue("version", version);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return migrations.Count - current;
    }
}
