using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace OutlookCalendarSync.ProcessKill.Tests;

/// <summary>
/// One sync worker (tests/OutlookCalendarSync.FarmWorker) running as a child process, with the lines it printed (its leases and
/// runs). <see cref="Kill"/> sends SIGKILL to it and its children; disposing stops it cleanly (closing its stdin) if it still runs.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<WorkerLine> _lines = [];
    private readonly List<string> _errors = [];
    private readonly Task _reading;

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _reading = Task.WhenAll(ReadAsync(process.StandardOutput, line => Add(WorkerLine.Parse(Name, line))), ReadAsync(process.StandardError, line =>
        {
            lock (_lines)
            {
                _errors.Add(line);
            }
        }));
    }

    public string Name { get; }

    /// <summary>When <see cref="Kill"/> sent SIGKILL (UTC), or <see langword="null"/>.</summary>
    public DateTime? KilledAt { get; private set; }

    public IReadOnlyList<WorkerLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    public static WorkerProcess Start(string name, params string[] arguments)
    {
        string path = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FarmWorkerPath").Value ?? string.Empty;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The worker is not built at '{path}'; build tests/OutlookCalendarSync.ProcessKill.Tests, which builds it.");
        }

        string host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("--name");
        start.ArgumentList.Add(name);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new WorkerProcess(name, Process.Start(start) ?? throw new InvalidOperationException("The worker did not start."));
    }

    /// <summary>Waits until the worker printed a line that matches, and returns it.</summary>
    public async Task<WorkerLine> WaitForAsync(Func<WorkerLine, bool> match, TimeSpan timeout, string what)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited || DateTime.UtcNow >= end)
            {
                Assert.Fail($"Worker {Name} {(_process.HasExited ? "exited" : $"did not print within {timeout}")} waiting until {what}. Its last lines: {string.Join(" / ", Lines.TakeLast(12).Select(l => l.Kind + " " + string.Join(' ', l.Fields)))}. Errors: {Errors}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL, as the OOM killer or a lost machine would: no cleanup, no lease released, no request finished.</summary>
    public void Kill()
    {
        KilledAt = DateTime.UtcNow;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Closes stdin, which ends the worker after its current run, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        await _reading;
        Assert.True(_process.ExitCode == 0, $"Worker {Name} exited with {_process.ExitCode}. Errors: {Errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task ReadAsync(StreamReader reader, Action<string> add)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            add(line);
        }
    }

    private void Add(WorkerLine? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}

/// <summary>A line a worker printed: <c>LEASE</c>, <c>RENEW</c>, <c>RELEASE</c>, <c>RUN</c> or <c>READY</c> and its fields.</summary>
internal sealed record WorkerLine(string Worker, string Kind, string[] Fields)
{
    public string User => Fields[0];

    public string LeaseToken => Fields[1];

    /// <summary>A field that is a UTC tick count, as a time.</summary>
    public DateTime TimeAt(int field) => new(long.Parse(Fields[field], CultureInfo.InvariantCulture), DateTimeKind.Utc);

    public static WorkerLine? Parse(string worker, string text)
    {
        string[] parts = text.Split(' ');
        return parts[0] is "READY" or "LEASE" or "RENEW" or "RELEASE" or "RUN" ? new WorkerLine(worker, parts[0], parts[1..]) : null;
    }
}
