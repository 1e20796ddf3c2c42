namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>What a running sync is doing, as seen from the ports it calls; read by the progress display.</summary>
/// <threadsafety>Updated by the engine's tasks and read by the display concurrently.</threadsafety>
internal sealed class SyncActivity
{
    private int _outlookWrites;
    private int _localWrites;
    private volatile string _phase = "Starting";

    public string Phase => _phase;

    public int OutlookWrites => Volatile.Read(ref _outlookWrites);

    public int LocalWrites => Volatile.Read(ref _localWrites);

    public int Writes => OutlookWrites + LocalWrites;

    public void Enter(string phase) => _phase = phase;

    public void WroteOutlook(int count) => Interlocked.Add(ref _outlookWrites, count);

    public void WroteLocal() => Interlocked.Increment(ref _localWrites);

    public void Reset()
    {
        Interlocked.Exchange(ref _outlookWrites, 0);
        Interlocked.Exchange(ref _localWrites, 0);
        _phase = "Starting";
    }
}
