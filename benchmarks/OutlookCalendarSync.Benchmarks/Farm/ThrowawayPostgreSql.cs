using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OutlookCalendarSync.Benchmarks.Farm;

/// <summary>
/// A PostgreSQL cluster of the benchmark's own, as the PostgreSQL tests make one: <c>initdb</c> in a temporary folder (as the
/// <c>postgres</c> OS user when running as root), started on 127.0.0.1 and a free port, stopped and deleted on dispose.
/// </summary>
internal sealed class ThrowawayPostgreSql : IDisposable
{
    private readonly string _folder;
    private readonly bool _root = Environment.UserName == "root";

    public ThrowawayPostgreSql(int maxConnections)
    {
        _folder = Directory.CreateTempSubdirectory("ocs-farm-pg-").FullName;
        string data = Path.Combine(_folder, "data");
        string sockets = Path.Combine(_folder, "sockets");
        Directory.CreateDirectory(sockets);
        if (_root)
        {
            Run("chown", "-R", "postgres:postgres", _folder);
        }

        int port = FreePort();
        RunAsPostgres("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        RunAsPostgres(
            "pg_ctl", "-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections={maxConnections}",
            "start");
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20";
    }

    public string ConnectionString { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        RunAsPostgres("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(_folder, recursive: true);
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
                $"{program} failed with exit code {process.ExitCode}: {output.Result}{error.Result}. Install PostgreSQL (apt-get install postgresql) and add /usr/lib/postgresql/15/bin to PATH.");
        }
    }
}
