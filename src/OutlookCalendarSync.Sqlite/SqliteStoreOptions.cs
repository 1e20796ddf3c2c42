using Microsoft.Data.Sqlite;

namespace OutlookCalendarSync.Sqlite;

/// <summary>Where the SQLite stores keep their data, and how long they wait for a busy database.</summary>
/// <remarks>
/// Set exactly one of <see cref="DatabasePath"/> and <see cref="ConnectionString"/>. The three stores (calendar, sync state, tokens)
/// can share one file: each keeps its own tables. The file and its schema are created on first use.
/// </remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>The path of the database file; its folder must exist. Relative paths are relative to the working directory.</summary>
    /// <value>Null by default: set this or <see cref="ConnectionString"/>.</value>
    public string? DatabasePath { get; set; }

    /// <summary>A Microsoft.Data.Sqlite connection string, for settings a path alone cannot express (for example <c>Cache=Shared</c>).</summary>
    /// <value>Null by default: set this or <see cref="DatabasePath"/>. It must name a file (<c>Data Source=…</c>); in-memory databases are refused.</value>
    public string? ConnectionString { get; set; }

    /// <summary>How long a call waits for another thread or process to finish writing before it fails with a busy error.</summary>
    /// <value>30 seconds by default; must be positive and at most one hour.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and returns what is wrong with them, for people.</summary>
    /// <returns>The problems; empty when the options are usable.</returns>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        bool hasPath = !string.IsNullOrWhiteSpace(DatabasePath);
        bool hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasPath == hasConnectionString)
        {
            problems.Add(hasPath
                ? "Both SqliteStoreOptions.DatabasePath and SqliteStoreOptions.ConnectionString are set: set only one of them."
                : "Set SqliteStoreOptions.DatabasePath (for example \"calendar.db\") or SqliteStoreOptions.ConnectionString (for example \"Data Source=calendar.db\").");
        }
        else if (hasConnectionString)
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
                {
                    problems.Add("SqliteStoreOptions.ConnectionString must name a database file (Data Source=path): in-memory databases lose everything when the last connection closes.");
                }
                else if (builder.Mode == SqliteOpenMode.ReadOnly)
                {
                    problems.Add("SqliteStoreOptions.ConnectionString opens the database read-only (Mode=ReadOnly): the stores need to write; remove the Mode setting.");
                }
            }
            catch (ArgumentException error)
            {
                problems.Add($"SqliteStoreOptions.ConnectionString is not a valid SQLite connection string ({error.Message}).");
            }
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout > TimeSpan.FromHours(1))
        {
            problems.Add($"SqliteStoreOptions.BusyTimeout must be positive and at most one hour (it is {BusyTimeout}).");
        }

        return problems;
    }
}
