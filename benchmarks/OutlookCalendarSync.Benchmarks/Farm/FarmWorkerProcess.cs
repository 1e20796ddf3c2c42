using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using OutlookCalendarSync.Benchmarks.Memory;

namespace OutlookCalendarSync.Benchmarks.Farm;

/// <summary>
/// One worker of the farm (tests/OutlookCalendarSync.FarmWorker in Hangfire mode) as a child process, with the lease lines it printed
/// (<c>LEASE</c>, <c>RENEW</c>, <c>RELEASE</c>: user, lease token, time in UTC ticks, expiry).
/// </summary>
internal sealed class FarmWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<LeaseLine> _lines = [];
    private readonly List<JobLine> _jobs = [];
    private readonly Task _reading;
    private bool _disposed;

    private FarmWorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _reading = ReadAsync();
    }

    public string Name { get; }

    public DateTime? KilledAt { get; private set; }

    public bool IsReady { get; private set; }

    public IReadOnlyList<LeaseLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public static FarmWorkerProcess Start(string name, params string[] arguments)
    {
        string path = typeof(FarmWorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FarmWorkerPath").Value ?? string.Empty;
        var start = DotnetHost.StartInfo(path, ["--name", name, .. arguments]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        return new FarmWorkerProcess(name, Process.Start(start) ?? throw new InvalidOperationException("The worker did not start."));
    }

    /// <summary>The user jobs this worker performed to the end, by the <c>JOB</c> lines it printed.</summary>
    public IReadOnlyList<JobLine> Jobs
    {
        get
        {
            lock (_lines)
            {
                return [.. _jobs];
            }
        }
    }

    /// <summary>The users whose lease this worker holds now, by what it printed.</summary>
    public IReadOnlyList<string> HeldUsers()
    {
        IReadOnlyList<LeaseLine> lines = Lines;
        var released = lines.Where(l => l.Kind == "RELEASE").Select(l => l.Token).ToHashSet(StringComparer.Ordinal);
        return [.. lines.Where(l => l.Kind == "LEASE" && !released.Contains(l.Token)).Select(l => l.User)];
    }

    /// <summary>SIGKILL to the worker and its children: no run finishes, no lease is released, its Hangfire jobs stay fetched.</summary>
    public void Kill()
    {
        KilledAt = DateTime.UtcNow;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _reading;
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } text)
        {
            string[] parts = text.Split(' ');
            if (parts[0] == "READY")
            {
                IsReady = true;
            }
            else if (parts[0] is "LEASE" or "RENEW" or "RELEASE")
            {
                var line = new LeaseLine(
                    Name,
                    parts[0],
                    parts[1],
                    parts[2],
                    new DateTime(long.Parse(parts[3], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                    parts.Length > 4 ? new DateTime(long.Parse(parts[4], CultureInfo.InvariantCulture), DateTimeKind.Utc) : null);
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
            else if (parts[0] == "JOB" && parts.Length >= 9)
            {
                var job = new JobLine(
                    Name,
                    parts[1],
                    parts[2],
                    int.Parse(parts[3], CultureInfo.InvariantCulture),
                    parts[4] == "1",
                    parts[5] == "1",
                    new DateTime(long.Parse(parts[6], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                    new DateTime(long.Parse(parts[7], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                    parts[8]);
                lock (_lines)
                {
                    _jobs.Add(job);
                }
            }
        }
    }
}

/// <summary>A lease line of a worker: kind, user, lease token, when (UTC) and the expiry it gave (not for <c>RELEASE</c>).</summary>
internal sealed record LeaseLine(string Worker, string Kind, string User, string Token, DateTime At, DateTime? ExpiresAt);

/// <summary>
/// A user job a worker performed (<c>JOB</c> line): its id, the user, the failed-runs argument, whether the user was due and whether the
/// job held the user's marker when it started, start and end (UTC), and how it ended (run status, <c>Superseded</c>, <c>Threw</c>).
/// </summary>
internal sealed record JobLine(string Worker, string JobId, string User, int FailedRuns, bool Due, bool HeldMarker, DateTime Started, DateTime Ended, string Outcome)
{
    /// <summary>Whether the engine ran a sync (not superseded, not deferred because the user was held elsewhere, not thrown).</summary>
    public bool Ran => Outcome is not ("Superseded" or "AlreadyRunning" or "Threw" or "Throttled" or "Failed");
}
