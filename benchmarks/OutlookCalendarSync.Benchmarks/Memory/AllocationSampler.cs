using System.Diagnostics.Tracing;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>
/// A poor man's allocation profile: the runtime's <c>GCAllocationTick</c> events (one per ~100 KB allocated, naming the type of
/// the allocation that crossed the mark), summed by type. Enabled in a measured run by <c>OCS_ALLOCATION_TICKS=1</c>; prints
/// <c>ALLOCATIONS</c> lines with the types that account for most of the sampled bytes.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public static bool Requested => Environment.GetEnvironmentVariable("OCS_ALLOCATION_TICKS") == "1";

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    public void Print(int top)
    {
        lock (_bytesByType)
        {
            long total = _bytesByType.Values.Sum();
            foreach ((string type, long bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(top))
            {
                Console.WriteLine($"ALLOCATIONS {bytes / (1024 * 1024),8:N0} MB {100.0 * bytes / Math.Max(total, 1),5:0.0}% {type}");
            }
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
        {
            return;
        }

        int typeIndex = eventData.PayloadNames.IndexOf("TypeName");
        int amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeIndex < 0)
        {
            return;
        }

        string type = eventData.Payload![typeIndex] as string ?? "?";
        long amount = amountIndex >= 0 && eventData.Payload[amountIndex] is ulong a ? (long)a : 100 * 1024;
        lock (_bytesByType)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
