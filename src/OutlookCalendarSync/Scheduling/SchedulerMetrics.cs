using System.Diagnostics.Metrics;
using NodaTime;
using OutlookCalendarSync.Diagnostics;

namespace OutlookCalendarSync.Scheduling;

/// <summary>The scheduler's instruments, on the library's meter (<see cref="SyncTelemetry.Name"/>).</summary>
internal sealed class SchedulerMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _runsStarted;
    private readonly Histogram<double> _lag;

    public SchedulerMetrics(IMeterFactory? meterFactory, Func<int> queued, Func<int> running, Func<int> backingOff)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(SyncTelemetry.Name) ?? new Meter(SyncTelemetry.Name);
        _runsStarted = _meter.CreateCounter<long>("outlook_calendar_sync.scheduler.runs_started", "{run}", "Runs the scheduler started, by trigger (due, requested, retry).");
        _lag = _meter.CreateHistogram<double>("outlook_calendar_sync.scheduler.lag", "s", "Time from when a user was queued (found due, requested, or its backoff ended) to when its run started.");
        _meter.CreateObservableGauge("outlook_calendar_sync.scheduler.queued", queued, "{user}", "Users waiting for a run slot.");
        _meter.CreateObservableGauge("outlook_calendar_sync.scheduler.running", running, "{run}", "Runs in progress.");
        _meter.CreateObservableGauge("outlook_calendar_sync.scheduler.backing_off", backingOff, "{user}", "Users waiting after a failure, throttling or a run held elsewhere.");
    }

    public void RunStarted(SyncTrigger trigger, Duration lag)
    {
        var tag = new KeyValuePair<string, object?>("trigger", trigger switch
        {
            SyncTrigger.Due => "due",
            SyncTrigger.Requested => "requested",
            _ => "retry",
        });
        _runsStarted.Add(1, tag);
        _lag.Record(lag.TotalSeconds, tag);
    }

    /// <summary>Disposes the meter this instance made; a meter from the host's factory belongs to the factory.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
