using Npgsql;
using OutlookCalendarSync.PostgreSql;
using OutlookCalendarSync.TestSupport;

namespace OutlookCalendarSync.PostgreSql.Tests;

/// <summary>
/// The real PostgreSQL server the tests run against: the one <c>OCS_TEST_POSTGRES</c> names, or else a
/// <see cref="ThrowawayPostgreSqlCluster"/> of their own, stopped and deleted when the tests end, whether they passed or not.
/// </summary>
public sealed class PostgreSqlServer : IDisposable
{
    public const string ConnectionStringVariable = "OCS_TEST_POSTGRES";
    private readonly ThrowawayPostgreSqlCluster? _cluster;

    public PostgreSqlServer()
    {
        string? given = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }

        try
        {
            _cluster = new ThrowawayPostgreSqlCluster(maxConnections: 200, maximumPoolSize: 50);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{ex.Message} Or set {ConnectionStringVariable} to the connection string of a server the tests may use.", ex);
        }

        ConnectionString = _cluster.ConnectionString;
    }

    /// <summary>A connection string for a role that may create schemas.</summary>
    public string ConnectionString { get; }

    /// <summary>Options for a new, empty schema of its own; <see cref="DropSchema"/> removes it.</summary>
    public PostgreSqlStoreOptions NewSchema() => new() { ConnectionString = ConnectionString, Schema = "t_" + Guid.NewGuid().ToString("N") };

    public void DropSchema(PostgreSqlStoreOptions options)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{options.Schema}\" CASCADE;", connection);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _cluster?.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlServerGroup : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
