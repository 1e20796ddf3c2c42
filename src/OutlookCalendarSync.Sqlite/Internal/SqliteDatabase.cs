using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OutlookCalendarSync.Sqlite.Internal;

/// <summary>
/// One database file: opens connections with the pragmas every store relies on, and brings the schema up to date the first time
/// this process touches the file.
/// </summary>
/// <remarks>
/// Connections are pooled by Microsoft.Data.Sqlite, so opening one per call is cheap. Writes run in <c>BEGIN IMMEDIATE</c>
/// transactions: the write lock is taken up front, which serialises writers across threads and processes without deadlocks, and a
/// busy database is retried for <see cref="SqliteStoreOptions.BusyTimeout"/>.
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads.</threadsafety>
internal sealed class SqliteDatabase
{
    private static readonly ConcurrentDictionary<string, Lazy<bool>> MigratedFiles = new(StringComparer.Ordinal);
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;

    private SqliteDatabase(string connectionString, int busyTimeoutMilliseconds)
    {
        _connectionString = connectionString;
        _busyTimeoutMilliseconds = busyTimeoutMilliseconds;
    }

    /// <summary>Checks the options and describes the database they name.</summary>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public static SqliteDatabase FromOptions(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        var builder = options.ConnectionString is { Length: > 0 } connectionString
            ? new SqliteConnectionStringBuilder(connectionString)
            : new SqliteConnectionStringBuilder { DataSource = options.DatabasePath };
        builder.DataSource = Path.GetFullPath(builder.DataSource);
        if (builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException("SqliteStoreOptions must name a database file, not an in-memory database.", nameof(options));
        }

        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        int timeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        builder.DefaultTimeout = timeoutSeconds;
        return new SqliteDatabase(builder.ToString(), (int)options.BusyTimeout.TotalMilliseconds);
    }

    /// <summary>Opens a connection to an up-to-date schema.</summary>
    public SqliteConnection Open()
    {
        SqliteConnection connection = OpenRaw();
        try
        {
            Lazy<bool> migration = MigratedFiles.GetOrAdd(_connectionString, _ => new Lazy<bool>(Migrate, LazyThreadSafetyMode.ExecutionAndPublication));
            _ = migration.Value;
            return connection;
        }
        catch
        {
            connection.Dispose();
            MigratedFiles.TryRemove(_connectionString, out _);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction (<c>BEGIN IMMEDIATE</c>) and commits it.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        T result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>Runs <paramref name="work"/> in a read transaction, so every query sees the same snapshot of the file.</summary>
    public T Read<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        T result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            connection.Execute(null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private bool Migrate()
    {
        using SqliteConnection connection = OpenRaw();

        // WAL lets readers work while one writer writes; the mode is stored in the file, so setting it once is enough.
        connection.Execute(null, "PRAGMA journal_mode = WAL;");
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        connection.Execute(transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        long current = connection.Scalar<long?>(transaction, "SELECT MAX(version) FROM schema_version;") ?? 0;
        if (current > SchemaMigrations.All.Count)
        {
            throw new InvalidOperationException(
                $"The database '{connection.DataSource}' has schema version {current}, newer than this version of OutlookCalendarSync.Sqlite understands ({SchemaMigrations.All.Count}): upgrade the package.");
        }

        for (int version = (int)current + 1; version <= SchemaMigrations.All.Count; version++)
        {
            connection.Execute(transaction, SchemaMigrations.All[version - 1]);
            connection.Execute(transaction, "INSERT INTO schema_version (version) VALUES ($v);", ("$v", version));
        }

        transaction.Commit();
        return true;
    }
}
