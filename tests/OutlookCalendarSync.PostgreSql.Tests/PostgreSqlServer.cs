using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using OutlookCalendarSync.PostgreSql;

namespace OutlookCalendarSync.PostgreSql.Tests;

/// <summary>
/// The real PostgreSQL server the tests run against: the one <c>OCS_TEST_POSTGRES</c> names, or else a throwaway cluster this fixture
/// creates with <c>initdb</c> in a temporary folder (as the <c>postgres</c> OS user when running as root), starts on 127.0.0.1 and a
/// free port with its socket in that folder, and stops and deletes when the tests end, whether they passed or not.
/// </summary>
public sealed class PostgreSqlServer : IDisposable
{
    public const string ConnectionStringVariable = "OCS_TEST_POSTGRES";
    private readonly string? _clusterFolder;

    public PostgreSqlServer()
    {
        string? given = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }

        _clusterFolder = Directory.CreateTempSubdirectory("ocs-pg-").FullName;
        try
        {
            ConnectionString = StartCluster(_clusterFolder);
        }
        catch
        {
            StopCluster();
            throw;
        }
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

    public void Dispose() => StopCluster();

    private static string StartCluster(string folder)
    {
        string data = Path.Combine(folder, "data");
        string sockets = Path.Combine(folder, "sockets");
        Directory.CreateDirectory(sockets);
        bool root = Environment.UserName == "root";
        if (root)
        {
            Run("chown", "-R", "postgres:postgres", folder);
        }

        int port = FreePort();
        RunAsPostgres(root, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        RunAsPostgres(
            root,
            "pg_ctl", "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start");
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    private void StopCluster()
    {
        if (_clusterFolder is null)
        {
            return;
        }

        string data = Path.Combine(_clusterFolder, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            NpgsqlConnection.ClearAllPools();
            RunAsPostgres(Environment.UserName == "root", "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop");
        }

        Directory.Delete(_clusterFolder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RunAsPostgres(bool root, string program, params string[] arguments)
    {
        if (root)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {output.Result}{error.Result}. "
                + $"Install PostgreSQL (apt-get install postgresql; add /usr/lib/postgresql/15/bin to PATH) or set {ConnectionStringVariable}.");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlServerGroup : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
