using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OutlookCalendarSync.TestSupport;

/// <summary>
/// A PostgreSQL cluster of a test run or benchmark of its own: <c>initdb</c> in a temporary folder (as the <c>postgres</c> OS user
/// when running as root), started on 127.0.0.1 and a free port with its socket in that folder and durability off (a throwaway
/// cluster needs no crash safety), stopped and deleted on dispose. Only the cluster it started is stopped.
/// </summary>
/// <remarks>A source file linked into each project that needs it (tests and benchmarks), so that it takes no test framework with it.</remarks>
internal sealed class ThrowawayPostgreSqlCluster : IDisposable
{
    private readonly string _folder;
    private readonly bool _root = Environment.UserName == "root";

    /// <summary>Creates and starts the cluster.</summary>
    /// <param name="maxConnections">The server's <c>max_connections</c>.</param>
    /// <param name="maximumPoolSize">The <c>Maximum Pool Size</c> of <see cref="ConnectionString"/>.</param>
    /// <exception cref="InvalidOperationException"><c>initdb</c> or <c>pg_ctl</c> failed; the message says how to install them.</exception>
    public ThrowawayPostgreSqlCluster(int maxConnections, int maximumPoolSize)
    {
        _folder = Directory.CreateTempSubdirectory("ocs-pg-").FullName;
        try
        {
            string sockets = Path.Combine(_folder, "sockets");
            Directory.CreateDirectory(sockets);
            if (_root)
            {
                Run("chown", "-R", "postgres:postgres", _folder);
            }

            int port = FreePort();
            RunAsPostgres("initdb", "-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
            RunAsPostgres(
                "pg_ctl", "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
                "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections={maxConnections}",
                "start");
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size={maximumPoolSize}";
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Gets a connection string for the <c>postgres</c> superuser.</summary>
    public string ConnectionString { get; } = string.Empty;

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>Stops the cluster (immediate shutdown) if it started, and deletes its folder.</summary>
    public void Dispose()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            NpgsqlConnection.ClearAllPools();
            RunAsPostgres("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void RunAsPostgres(string program, params string[] arguments)
    {
        if (_root)
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
                + "Install PostgreSQL (apt-get install postgresql) and add /usr/lib/postgresql/15/bin to PATH.");
        }
    }
}
