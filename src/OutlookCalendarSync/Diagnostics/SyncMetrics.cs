using System.Diagnostics.Metrics;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Diagnostics;

/// <summary>The sync's instruments, created from the host's <see cref="IMeterFactory"/> when it has one.</summary>
internal sealed class SyncMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _conflicts;
    private readonly Histogram<double> _duration;

    public SyncMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(SyncTelemetry.Name) ?? new Meter(SyncTelemetry.Name);
        _runs = _meter.CreateCounter<long>("outlook_calendar_sync.runs", "{run}", "Sync runs, by status.");
        _writes = _meter.CreateCounter<long>("outlook_calendar_sync.writes", "{write}", "Event writes made, by side and kind.");
        _failures = _meter.CreateCounter<long>("outlook_calendar_sync.failures", "{event}", "Events that failed to sync, by side.");
        _conflicts = _meter.CreateCounter<long>("outlook_calendar_sync.conflicts", "{conflict}", "Conflicts resolved, by winner.");
        _duration = _meter.CreateHistogram<double>("outlook_calendar_sync.run.duration", "s", "Duration of sync runs.");
    }

    public void Record(SyncResult result)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("status", result.Status.ToString()));
        _duration.Record(result.Duration.TotalSeconds, new KeyValuePair<string, object?>("status", result.Status.ToString()));
        RecordWrites(SyncSide.Host, result.Host);
        RecordWrites(SyncSide.Outlook, result.Outlook);
        foreach (var failure in result.Failures)
        {
            _failures.Add(1, new KeyValuePair<string, object?>("side", failure.Side.ToString()));
        }

        foreach (var conflict in result.Conflicts)
        {
            _conflicts.Add(1, new KeyValuePair<string, object?>("winner", conflict.Winner.ToString()));
        }
    }

    /// <summary>Disposes the meter this instance made; a meter from the host's factory belongs to the factory.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void RecordWrites(SyncSide side, SyncCounts counts)
    {
        var sideTag = new KeyValuePair<string, object?>("side", side.ToString());
        Add(counts.Created, WriteKind.Create);
        Add(counts.Updated, WriteKind.Update);
        Add(counts.Deleted, WriteKind.Delete);

        void Add(int value, WriteKind kind)
        {
            if (value > 0)
            {
                _writes.Add(value, sideTag, new KeyValuePair<string, object?>("kind", kind.ToString()));
            }
        }
    }
}
