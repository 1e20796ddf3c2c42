using System.Diagnostics;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>
/// Samples the process every 5 ms on a thread of its own while an operation runs: peaks of the working set and of the managed heap,
/// and a timeline with one point every 100 ms.
/// </summary>
/// <remarks>Everything it keeps is allocated before the operation starts, so the sampler adds nothing to the heap it measures.</remarks>
internal sealed class MemorySampler : IDisposable
{
    private const int IntervalMilliseconds = 5;
    private const int SamplesPerTimelinePoint = 20;
    private const int TimelineCapacity = 36_000;

    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimelinePoint[] _timeline = new TimelinePoint[TimelineCapacity];
    private readonly Thread _thread;
    private volatile bool _stopped;
    private int _timelineCount;

    private MemorySampler()
    {
        _thread = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
    }

    /// <summary>Gets the highest working set sampled.</summary>
    public long PeakWorkingSet { get; private set; }

    /// <summary>Gets the anonymous memory (GC heap, JIT code, native allocations) in the working set at its peak; Linux only, else 0.</summary>
    public long AnonymousAtPeak { get; private set; }

    /// <summary>Gets the file-backed memory (mapped assemblies and native libraries) in the working set at its peak; Linux only, else 0.</summary>
    public long FileBackedAtPeak { get; private set; }

    /// <summary>Gets the shared memory in the working set at its peak: the runtime's double-mapped executable memory (JIT code, stubs); Linux only, else 0.</summary>
    public long SharedAtPeak { get; private set; }

    /// <summary>Gets the highest managed heap sampled: live objects plus garbage not collected yet (<c>GC.GetTotalMemory(false)</c>).</summary>
    public long PeakHeap { get; private set; }

    /// <summary>Gets the highest heap size left by a collection during the operation: close to the peak of live objects.</summary>
    public long PeakHeapAfterCollection { get; private set; }

    /// <summary>Gets the most memory the GC had committed after a collection during the operation.</summary>
    public long PeakCommitted { get; private set; }

    /// <summary>Gets the number of samples taken.</summary>
    public int Samples { get; private set; }

    /// <summary>Gets the timeline: one point every 100 ms.</summary>
    public ReadOnlySpan<TimelinePoint> Timeline => _timeline.AsSpan(0, _timelineCount);

    /// <summary>Starts sampling on a new thread.</summary>
    /// <returns>The running sampler; <see cref="Stop"/> it when the operation is done.</returns>
    public static MemorySampler Start()
    {
        var sampler = new MemorySampler();
        sampler.Take();
        sampler._thread.Start();
        return sampler;
    }

    /// <summary>Takes a last sample and stops the thread.</summary>
    public void Stop()
    {
        _stopped = true;
        _thread.Join();
        Take();
    }

    public void Dispose() => _process.Dispose();

    private void Sample()
    {
        while (!_stopped)
        {
            Thread.Sleep(IntervalMilliseconds);
            Take();
        }
    }

    private void Take()
    {
        _process.Refresh();
        long workingSet = _process.WorkingSet64;
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        GCMemoryInfo lastCollection = GC.GetGCMemoryInfo(GCKind.Any);
        if (workingSet > PeakWorkingSet)
        {
            PeakWorkingSet = workingSet;
            (AnonymousAtPeak, FileBackedAtPeak, SharedAtPeak) = ResidentSplit();
        }

        PeakHeap = Math.Max(PeakHeap, heap);
        PeakHeapAfterCollection = Math.Max(PeakHeapAfterCollection, lastCollection.HeapSizeBytes);
        PeakCommitted = Math.Max(PeakCommitted, lastCollection.TotalCommittedBytes);
        if (Samples++ % SamplesPerTimelinePoint == 0 && _timelineCount < TimelineCapacity)
        {
            _timeline[_timelineCount++] = new TimelinePoint(_clock.Elapsed, workingSet, heap, lastCollection.HeapSizeBytes);
        }
    }

    /// <summary>The resident memory split the kernel reports in /proc/self/status (RssAnon, RssFile, RssShmem), in bytes.</summary>
    private static (long Anonymous, long FileBacked, long Shared) ResidentSplit()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return (0, 0, 0);
        }

        long anonymous = 0;
        long fileBacked = 0;
        long shared = 0;
        foreach (string line in File.ReadLines(Status))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                fileBacked = Kilobytes(line);
            }
            else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
            {
                shared = Kilobytes(line);
            }
        }

        return (anonymous, fileBacked, shared);

        static long Kilobytes(string line) => 1024 * long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One point of the timeline.</summary>
    /// <param name="Elapsed">Time since the sampler started.</param>
    /// <param name="WorkingSet">The working set.</param>
    /// <param name="Heap">The managed heap, garbage included.</param>
    /// <param name="HeapAfterCollection">The heap size the latest collection left.</param>
    internal readonly record struct TimelinePoint(TimeSpan Elapsed, long WorkingSet, long Heap, long HeapAfterCollection);
}
