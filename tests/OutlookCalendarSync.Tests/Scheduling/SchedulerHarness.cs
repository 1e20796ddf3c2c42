using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Scheduling;

/// <summary>
/// The scheduler as <c>AddScheduler</c> registers it, over the in-memory doubles and the real engine wrapped in a
/// <see cref="RecordingEngine"/>; one <see cref="FakeTimeProvider"/> drives both the clock and the waits.
/// </summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    private bool _started;

    public SchedulerHarness(Action<SyncSchedulerOptions>? configure = null, Action<OutlookCalendarSyncOptions>? sync = null)
    {
        Clock = new TimeProviderClock(Time);
        Calendar = new InMemoryCalendarStore(Clock);
        Outlook = new InMemoryOutlookCalendar(Clock);
        States = new InMemorySyncStateStore(Clock);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IClock>(Clock);
        services.AddOutlookCalendarSync(o => sync?.Invoke(o))
            .UseCalendarStore(Calendar)
            .UseOutlookCalendar(Outlook)
            .UseSyncStateStore(States)
            .AddScheduler(o =>
            {
                // Requests queue at once unless a test sets a delay.
                o.RequestDelay = Duration.Zero;
                configure?.Invoke(o);
            });
        services.AddSingleton(sp => new RecordingEngine(ActivatorUtilities.CreateInstance<ScopedSyncEngine>(sp)));
        services.Replace(ServiceDescriptor.Singleton<ISyncEngine>(sp => sp.GetRequiredService<RecordingEngine>()));
        Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Engine = Provider.GetRequiredService<RecordingEngine>();
        Scheduler = Provider.GetRequiredService<ISyncScheduler>();
        Service = Assert.Single(Provider.GetServices<IHostedService>());
    }

    public FakeTimeProvider Time { get; } = new(TestEvents.Now.ToDateTimeOffset());

    public IClock Clock { get; }

    public Instant Now => Clock.GetCurrentInstant();

    public InMemoryCalendarStore Calendar { get; }

    public InMemoryOutlookCalendar Outlook { get; }

    public InMemorySyncStateStore States { get; }

    public RecordingEngine Engine { get; }

    public ISyncScheduler Scheduler { get; }

    public IHostedService Service { get; }

    public ServiceProvider Provider { get; }

    /// <summary>Connects users as the sign-in does: an active header, due at once.</summary>
    public async Task ConnectAsync(params string[] userIds)
    {
        foreach (string userId in userIds)
        {
            await States.SaveAsync(new SyncStateChanges(new SyncStateHeader(userId)), default);
        }
    }

    public async Task StartAsync()
    {
        await Service.StartAsync(default);
        _started = true;
    }

    public async Task StopAsync()
    {
        _started = false;
        await Service.StopAsync(default);
    }

    public ScheduledUser User(string userId) => Scheduler.GetUser(userId) ?? throw new InvalidOperationException($"The scheduler does not know {userId}.");

    /// <summary>Waits until every queued and running user is done, and no user backs off.</summary>
    public Task SettledAsync() => Until.TrueAsync(
        () => Scheduler.GetSnapshot() is { QueueLength: 0, RunningCount: 0 } snapshot && snapshot.Users.All(u => u.State == ScheduledUserState.Idle),
        () => $"the scheduler to settle; it shows {Describe(Scheduler.GetSnapshot())}");

    private static string Describe(SyncSchedulerSnapshot snapshot)
        => $"{snapshot.QueueLength} queued, {snapshot.RunningCount} running at {snapshot.TakenAt}; "
           + string.Join("; ", snapshot.Users.Select(u => $"{u.UserId} {u.State} {u.LastStatus} next {u.NextRunAt} failures {u.ConsecutiveFailures} pending {u.RunPending}"));

    /// <summary>
    /// Runs a probe user through the scheduler and waits for its run to end: the dispatcher has then passed a loop since the last
    /// change of time, so a run that did not start meanwhile was not due.
    /// </summary>
    public async Task ProbeAsync()
    {
        string probe = $"probe-{Guid.NewGuid():N}";
        Assert.True(Scheduler.RequestSync(probe));
        await Until.TrueAsync(() => Scheduler.GetUser(probe)?.LastRunFinishedAt is not null, "the probe run");
    }

    public async ValueTask DisposeAsync()
    {
        Engine.Release();
        if (_started)
        {
            await Service.StopAsync(default);
        }

        await Provider.DisposeAsync();
    }
}

/// <summary>An <see cref="ISyncEngine"/> that counts runs and runs in flight, and can hold runs or script their results.</summary>
internal sealed class RecordingEngine(ISyncEngine inner) : ISyncEngine
{
    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private TaskCompletionSource _open = Opened();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Replaces the real engine's run for a user and its n-th run (1-based); null to run the real engine.</summary>
    public Func<string, int, CancellationToken, Task<SyncResult>?>? Script { get; set; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int TotalRuns => _runs.Values.Sum();

    public int Runs(string userId) => _runs.GetValueOrDefault(userId);

    /// <summary>Makes new runs wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Lets held runs go on.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _open.TrySetResult();
        }
    }

    public Task WaitForRunsAsync(string userId, int count) => Until.TrueAsync(() => Runs(userId) >= count, $"{count} runs of {userId}");

    public async Task<SyncResult> SyncAsync(string userId, CancellationToken cancellationToken = default)
    {
        int run = _runs.AddOrUpdate(userId, 1, (_, n) => n + 1);
        int inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            Task open;
            lock (_gate)
            {
                open = _open.Task;
            }

            await open.WaitAsync(cancellationToken);
            return await (Script?.Invoke(userId, run, cancellationToken) ?? inner.SyncAsync(userId, cancellationToken));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<SyncPreview> PreviewAsync(string userId, CancellationToken cancellationToken = default) => inner.PreviewAsync(userId, cancellationToken);

    public Task<SyncStateHeader> GetStatusAsync(string userId, CancellationToken cancellationToken = default) => inner.GetStatusAsync(userId, cancellationToken);

    public Task PauseAsync(string userId, CancellationToken cancellationToken = default) => inner.PauseAsync(userId, cancellationToken);

    public Task ResumeAsync(string userId, CancellationToken cancellationToken = default) => inner.ResumeAsync(userId, cancellationToken);

    public Task StopAsync(string userId, CancellationToken cancellationToken = default) => inner.StopAsync(userId, cancellationToken);

    public Task<SyncResult> ResetAsync(string userId, ResetOptions options, CancellationToken cancellationToken = default) => inner.ResetAsync(userId, options, cancellationToken);

    public static Task<SyncResult> Result(string userId, SyncRunStatus status) => Task.FromResult(new SyncResult { UserId = userId, Status = status, Message = status.ToString() });

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

/// <summary>An <see cref="IClock"/> that reads a <see cref="TimeProvider"/>, so one fake drives instants and waits.</summary>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
    public Instant GetCurrentInstant() => Instant.FromDateTimeOffset(time.GetUtcNow());
}

/// <summary>Waits for a condition that other threads make true; the timeout only turns a bug into a failure instead of a hang.</summary>
internal static class Until
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(condition, () => what);

    /// <summary>
    /// Waits for a condition while moving the fake time on by <paramref name="step"/> each round: a dispatcher that computed its wait
    /// just before the test advanced the time registers that wait after it, relative to the new time, and would otherwise never wake.
    /// </summary>
    public static async Task TrueWhileNudgingAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan step, Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException($"Waited {Timeout.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(10);
            time.Advance(step);
        }
    }

    public static async Task TrueAsync(Func<bool> condition, Func<string> what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException($"Waited {Timeout.TotalSeconds:0} s for {what()}.");
            }

            await Task.Delay(1);
        }
    }
}
