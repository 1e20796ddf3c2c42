
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Testing.Internal;

/// <summary>Counts the calls a double received through its port, so tests can prove that nothing (or exactly so much) happened.</summary>
/// <threadsafety>Safe for concurrent use.</threadsafety>
internal sealed class CallCounters
{
    private int _creates;
    private int _updates;
    private int _deletes;
    private int _reads;
    private int _batches;

    public int Creates => Volatile.Read(ref _creates);

    public int Updates => Volatile.Read(ref _updates);

    public int Deletes => Volatile.Read(ref _deletes);

    public int Writes => Creates + Updates + Deletes;

    public int Reads => Volatile.Read(ref _reads);

    public int Batches => Volatile.Read(ref _batches);

    public void RecordWrite(WriteKind kind)
    {
        switch (kind)
        {
            case WriteKind.Create:
                Interlocked.Increment(ref _creates);
                break;
            case WriteKind.Update:
                Interlocked.Increment(ref _updates);
                break;
            default:
                Interlocked.Increment(ref _deletes);
                break;
        }
    }

    public void RecordRead() => Interlocked.Increment(ref _reads);

    public void RecordBatch() => Interlocked.Increment(ref _batches);

    public void Reset()
    {
        Interlocked.Exchange(ref _creates, 0);
        Interlocked.Exchange(ref _updates, 0);
        Interlocked.Exchange(ref _deletes, 0);
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _batches, 0);
    }
}
