using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>The events of one mailbox and the history that delta queries read. Guard every access with <see cref="Gate"/>.</summary>
internal sealed class MailboxState
{
    public MailboxState(string name, string address)
    {
        Name = name;
        Address = address;
    }

    public object Gate { get; } = new();

    public string Name { get; }

    public string Address { get; }

    /// <summary>Gets the live events in creation order.</summary>
    public Dictionary<string, StoredEvent> Events { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<Revision>> History { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> TransactionIds { get; } = new(StringComparer.Ordinal);

    public long Sequence { get; private set; }

    /// <summary>Gets or sets the delta token generation; tokens of an older generation answer 410.</summary>
    public int Generation { get; set; }

    public StoredEvent Get(string id)
    {
        lock (Gate)
        {
            return Events.TryGetValue(id, out var stored) ? stored : throw GraphErrorException.NotFound();
        }
    }

    public List<StoredEvent> All()
    {
        lock (Gate)
        {
            return [.. Events.Values];
        }
    }

    public List<StoredEvent> InWindow(Instant start, Instant end)
    {
        lock (Gate)
        {
            return [.. Events.Values.Where(e => e.Overlaps(start, end)).OrderBy(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal)];
        }
    }

    public void ExpireDeltaTokens()
    {
        lock (Gate)
        {
            Generation++;
        }
    }

    public void Put(StoredEvent stored)
    {
        Events[stored.Id] = stored;
        Record(stored.Id, new Revision(++Sequence, stored.Start, stored.End));
    }

    public bool Remove(string id)
    {
        if (!Events.Remove(id))
        {
            return false;
        }

        Record(id, new Revision(++Sequence, null, null));
        return true;
    }

    private void Record(string id, Revision revision)
    {
        if (!History.TryGetValue(id, out var revisions))
        {
            revisions = [];
            History[id] = revisions;
        }

        revisions.Add(revision);
    }
}
