namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>The requests answered since the last reset.</summary>
internal sealed class RequestLog
{
    private readonly object gate = new();
    private readonly List<RequestLogEntry> entries = [];

    public void Add(RequestLogEntry entry)
    {
        lock (gate)
        {
            entries.Add(entry);
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (gate)
        {
            return [.. entries];
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }
}
