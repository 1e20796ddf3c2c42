using System.Text.RegularExpressions;
using Npgsql;

namespace OutlookCalendarSync.PostgreSql;

/// <summary>Which PostgreSQL database and schema the PostgreSQL stores keep their tables in.</summary>
/// <remarks>
/// The stores (sync state, tokens) share one schema: each keeps its own tables. The schema and its tables are created and migrated on
/// first use, so the connection's role needs the right to create a schema in the database (or own an existing one of that name).
/// </remarks>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>The default <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "outlook_calendar_sync";

    /// <summary>An Npgsql connection string, for example <c>Host=db;Database=app;Username=app;Password=…</c>.</summary>
    /// <value>Null by default: it must be set.</value>
    public string? ConnectionString { get; set; }

    /// <summary>The schema that holds the stores' tables; several apps (or tests) can share a database with a schema each.</summary>
    /// <value>
    /// <see cref="DefaultSchema"/> (<c>outlook_calendar_sync</c>) by default; lower-case letters, digits and underscores, starting with a
    /// letter or an underscore, at most 63 characters.
    /// </value>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>Checks the options and returns what is wrong with them, for people.</summary>
    /// <returns>The problems; empty when the options are usable.</returns>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("Set PostgreSqlStoreOptions.ConnectionString (for example \"Host=localhost;Database=app;Username=app;Password=secret\").");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException error)
            {
                problems.Add($"PostgreSqlStoreOptions.ConnectionString is not a valid Npgsql connection string ({error.Message}).");
            }
        }

        if (Schema is null || !SchemaName().IsMatch(Schema))
        {
            problems.Add(
                $"PostgreSqlStoreOptions.Schema must be lower-case letters, digits and underscores, start with a letter or an underscore, and be at most 63 characters (it is '{Schema}').");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
