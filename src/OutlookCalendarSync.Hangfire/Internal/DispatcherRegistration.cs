using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>
/// Adds or updates the recurring dispatcher job when the host starts; every server does, which Hangfire makes idempotent.
/// </summary>
internal sealed class DispatcherRegistration(HangfireStorage storage, IOptions<HangfireSchedulingOptions> options, ILogger<DispatcherRegistration>? logger = null)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        HangfireSchedulingOptions settings = options.Value;
        var job = Job.FromExpression<OutlookCalendarSyncJobs>(j => j.DispatchAsync(CancellationToken.None), settings.Queue);
        new RecurringJobManager(storage.Storage).AddOrUpdate(settings.DispatcherJobId, job, settings.DispatchCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        HangfireLog.DispatcherRegistered((ILogger?)logger ?? NullLogger.Instance, settings.DispatcherJobId, settings.DispatchCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
