namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>The figures of one measured run, passed from the run's process to the parent as JSON.</summary>
internal sealed record RunReport
{
    public required MeasuredPhase Phase { get; init; }

    public required string User { get; init; }

    public required bool ServerGc { get; init; }

    public required bool ConcurrentGc { get; init; }

    /// <summary>Working set after a full collection, just before the operation.</summary>
    public required long WorkingSetBefore { get; init; }

    /// <summary>Highest working set sampled every 5 ms during the operation.</summary>
    public required long PeakWorkingSetSampled { get; init; }

    /// <summary>Anonymous memory (GC heap, JIT code, native allocations) in the sampled peak working set; 0 outside Linux.</summary>
    public required long AnonymousAtPeak { get; init; }

    /// <summary>File-backed memory (mapped assemblies and native libraries) in the sampled peak working set; 0 outside Linux.</summary>
    public required long FileBackedAtPeak { get; init; }

    /// <summary>Shared memory (the runtime's double-mapped JIT code and stubs) in the sampled peak working set; 0 outside Linux.</summary>
    public required long SharedAtPeak { get; init; }

    /// <summary>The kernel's high-water mark of the process's resident memory (<c>Process.PeakWorkingSet64</c>), start-up included.</summary>
    public required long PeakWorkingSetProcess { get; init; }

    /// <summary>Managed heap after a full collection, just before the operation.</summary>
    public required long HeapBefore { get; init; }

    /// <summary>Highest managed heap sampled, garbage included.</summary>
    public required long PeakHeap { get; init; }

    /// <summary>Highest heap size a collection left during the operation (close to the peak of live objects).</summary>
    public required long PeakHeapAfterCollection { get; init; }

    /// <summary>Most memory the GC had committed after a collection during the operation.</summary>
    public required long PeakCommitted { get; init; }

    /// <summary>Managed heap after a full collection once the operation returned, with its result and the services still alive.</summary>
    public required long HeapAfter { get; init; }

    public required long Allocated { get; init; }

    public required int Gen0Collections { get; init; }

    public required int Gen1Collections { get; init; }

    public required int Gen2Collections { get; init; }

    public required TimeSpan WallTime { get; init; }

    /// <summary>Events the operation handled: created in SQLite (sync, local writes), changes read (feed), planned changes (preview), links stored (journal).</summary>
    public required int Events { get; init; }

    public required string Status { get; init; }

    public required int Failures { get; init; }

    public string? FirstFailure { get; init; }
}
