using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>
/// Adds or updates the recurring dispatcher job when the host starts; every server does, which Hangfire makes idempotent.
/// </summary>
/// <remarks>
/// <para>
/// Hangfire's <see cref="RecurringJobManager.AddOrUpdate(string, Job, string, RecurringJobOptions)"/> takes the job's distributed
/// lock (<c>lock:recurring-job:{id}</c>) and waits for it a while; when several servers start at once on one database, or a
/// Hangfire server is scheduling the job at that instant, it may time out (<see cref="DistributedLockTimeoutException"/>, or the
/// storage's own lock exception, such as Hangfire.PostgreSql's <c>PostgreSqlDistributedLockException</c>). A busy lock must never
/// stop a host: the job is the same on every server, so whichever server registers it registers it for all.
/// </para>
/// <para>
/// Choice: the registration runs in the background (a <see cref="BackgroundService"/>), retried with a growing delay for
/// <see cref="Patience"/>, then given up with a warning, so a slow or busy lock never delays the host's start. What a background
/// task would hide is checked before the host starts instead: <see cref="StartAsync"/> resolves the job storage and reads the
/// job through one of its connections, so a missing storage or an unreachable database still fails the start, with an exception
/// naming the job.
/// </para>
/// </remarks>
internal sealed class DispatcherRegistration(HangfireStorage storage, IOptions<HangfireSchedulingOptions> options, ILogger<DispatcherRegistration>? logger = null)
    : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long the registration retries a busy lock before it leaves the job to the other servers: 5 minutes.</summary>
    internal TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Completes once the registration ended: true when this server registered the job, false when it gave up.</summary>
    internal Task<bool> Completion => _completion.Task;

    /// <summary>Checks the storage is configured and reachable (which throws, failing the start), then registers in the background.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        string jobId = options.Value.DispatcherJobId;
        try
        {
            using IStorageConnection connection = storage.Storage.GetConnection();
            _ = connection.GetAllEntriesFromHash($"recurring-job:{jobId}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"The Outlook calendar sync could not reach Hangfire's job storage to register its recurring dispatcher job '{jobId}': " +
                $"{exception.Message} Check services.AddHangfire(c => c.Use...Storage(...)) and that the database is reachable.",
                exception);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HangfireSchedulingOptions settings = options.Value;
        var job = Job.FromExpression<OutlookCalendarSyncJobs>(j => j.DispatchAsync(CancellationToken.None), settings.Queue);
        DateTime giveUpAt = DateTime.UtcNow + Patience;
        TimeSpan delay = FirstRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            // AddOrUpdate blocks while it waits for the lock and takes no token: on stop the wait is abandoned, not awaited.
            Task register = Task.Run(
                () => new RecurringJobManager(storage.Storage).AddOrUpdate(settings.DispatcherJobId, job, settings.DispatchCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc }),
                CancellationToken.None);
            try
            {
                await register.WaitAsync(stoppingToken).ConfigureAwait(false);
                HangfireLog.DispatcherRegistered(_logger, settings.DispatcherJobId, settings.DispatchCron);
                _completion.TrySetResult(true);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                _ = register.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                _completion.TrySetResult(false);
                return;
            }
            catch (Exception exception) when (IsLockBusy(exception))
            {
                if (DateTime.UtcNow + delay >= giveUpAt)
                {
                    HangfireLog.DispatcherRegistrationLockBusy(_logger, settings.DispatcherJobId, attempt, Patience, exception);
                    _completion.TrySetResult(false);
                    return;
                }

                HangfireLog.DispatcherRegistrationRetried(_logger, settings.DispatcherJobId, attempt, delay);
            }
            catch (ArgumentException)
            {
                // Hangfire refuses the job itself (an unparsable DispatchCron, a bad time zone): no retry can help, and a farm that
                // starts healthy but never dispatches is worse than a host that stops. A BackgroundService's exception stops the
                // host (.NET's default BackgroundServiceExceptionBehavior.StopHost) and is logged with the reason.
                _completion.TrySetResult(false);
                throw;
            }
            catch (Exception exception)
            {
                // The storage was reachable at start (StartAsync checked), so this is the database failing now: retrying is as
                // likely to help as for a busy lock, and the other servers register the same job meanwhile.
                if (DateTime.UtcNow + delay >= giveUpAt)
                {
                    HangfireLog.DispatcherRegistrationFailed(_logger, settings.DispatcherJobId, attempt, exception);
                    _completion.TrySetResult(false);
                    return;
                }

                HangfireLog.DispatcherRegistrationRetried(_logger, settings.DispatcherJobId, attempt, delay);
            }

            try
            {
                // Jitter spreads the servers that collided apart.
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _completion.TrySetResult(false);
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>
    /// Hangfire's lock timeout, or a storage's own lock exception (Hangfire.PostgreSql's <c>PostgreSqlDistributedLockException</c>
    /// derives from <see cref="Exception"/> only and is internal in some versions, hence matched by name), directly or inside.
    /// </summary>
    private static bool IsLockBusy(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DistributedLockTimeoutException || e.GetType().Name.EndsWith("DistributedLockException", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
