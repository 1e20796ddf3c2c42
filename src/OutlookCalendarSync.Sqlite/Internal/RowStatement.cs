using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OutlookCalendarSync.Sqlite.Internal;

/// <summary>
/// One statement prepared on a connection's native handle and run once per row with new values: the hot writes of a chunk (event
/// rows, link rows) go through it instead of an ADO.NET command.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="SqliteCommand"/> run once per row costs, per execution, a data reader, a statement enumerator and a binder object per
/// parameter, and binds each text value as a new UTF-8 array: at 100,000 rows about 1.5 KB of garbage a row before the documents
/// themselves. Here the statement is prepared once, a row binds its values straight from spans (UTF-8 bytes, or a string's
/// characters that SQLite converts without a managed copy), steps once and is reset: nothing is allocated per row.
/// </para>
/// <para>
/// The statement runs on the connection of the caller's transaction, so it is part of it. A failure throws the
/// <see cref="SqliteException"/> Microsoft.Data.Sqlite would throw for the same result code.
/// </para>
/// </remarks>
internal sealed class RowStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    /// <summary>Prepares <paramref name="sql"/> (one statement with <c>$name</c> parameters) on <paramref name="connection"/>.</summary>
    public RowStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
    }

    /// <summary>The 1-based index of a parameter, for the <c>Bind…</c> methods.</summary>
    /// <exception cref="ArgumentException">The statement has no such parameter.</exception>
    public int Index(string name)
    {
        int index = raw.sqlite3_bind_parameter_index(_statement, name);
        return index > 0 ? index : throw new ArgumentException($"The statement has no parameter '{name}'.", nameof(name));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Binds text given as UTF-8 bytes; SQLite copies them.</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_statement, index, utf8));

    /// <summary>Binds a string (null binds NULL); SQLite copies its characters and stores them as UTF-8.</summary>
    public void Bind(int index, string? value)
        => Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    /// <summary>Runs the statement with the values bound, then makes it ready for the next row (the bindings stay until replaced).</summary>
    /// <returns>How many rows the statement changed.</returns>
    public int Execute()
    {
        int result = raw.sqlite3_step(_statement);
        if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            // The step's own error code and message are read before the reset makes the statement usable again.
            try
            {
                SqliteException.ThrowExceptionForRC(result, _database);
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        int changes = raw.sqlite3_changes(_database);
        Check(raw.sqlite3_reset(_statement));
        return changes;
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _database);
        }
    }
}
