using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// The events of one mailbox and the history that delta queries read. Guard every access with <see cref="Gate"/>.
/// Singles, series masters and exceptions are stored; occurrences are computed from their master (<see cref="Series"/>).
/// </summary>
internal sealed class MailboxState
{
    private readonly Dictionary<string, Dictionary<Instant, StoredEvent>> exceptions = new(StringComparer.Ordinal);

    // Indexes of History, so that a delta request costs what changed since its token, not the size of the mailbox: every change
    // by sequence (appended in order), the order in which History lists each id (its first change), and the ids whose first
    // change made them an exception of a series.
    private readonly List<(long Sequence, string Id)> changes = [];
    private readonly Dictionary<string, int> historyOrder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> exceptionIdsByMaster = new(StringComparer.Ordinal);

    public MailboxState(string name, string address)
    {
        Name = name;
        Address = address;
        DefaultCalendarId = CalendarId("Calendar");
        Calendars[DefaultCalendarId] = "Calendar";
    }

    /// <summary>Gets the id of the mailbox's default calendar, the one <c>/me/events</c>, <c>calendarView</c> and delta read.</summary>
    public string DefaultCalendarId { get; }

    /// <summary>Gets the mailbox's calendars by id: the default one and those events were moved to.</summary>
    public Dictionary<string, string> Calendars { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the events moved to another calendar of the mailbox (with their exceptions), with that calendar's id.</summary>
    /// <remarks>Their immutable ids still answer <c>GET /me/events/{id}</c>, as in Graph.</remarks>
    public Dictionary<string, (StoredEvent Event, string CalendarId)> Elsewhere { get; } = new(StringComparer.Ordinal);

    public object Gate { get; } = new();

    /// <summary>Gets what hears of each stored change: the event id and <c>created</c>, <c>updated</c> or <c>deleted</c>.</summary>
    public Action<string, string>? Changed { get; init; }

    /// <summary>Gets the slots of Outlook's 4 concurrent requests per mailbox.</summary>
    public MailboxConcurrency Concurrency { get; } = new();

    public string Name { get; }

    public string Address { get; }

    /// <summary>Gets the stored events (singles, series masters and exceptions) in creation order.</summary>
    public Dictionary<string, StoredEvent> Events { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets every change of every event, by event id, in the order of each id's first change; write it through <c>Record</c> only.</summary>
    public Dictionary<string, List<Revision>> History { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> TransactionIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the mailbox's time zone, as <c>mailboxSettings.timeZone</c> names it.</summary>
    public string TimeZone { get; set; } = "UTC";

    public long Sequence { get; private set; }

    /// <summary>Gets or sets the delta token generation; tokens of an older generation answer 410.</summary>
    public int Generation { get; set; }

    /// <summary>Gets a stored event, or an occurrence of a series by its id; 404 <c>ErrorItemNotFound</c> if there is none.</summary>
    public StoredEvent Get(string id) => Find(id) ?? throw GraphErrorException.NotFound();

    /// <summary>Finds a stored event, or an occurrence of a series by its id (null when deleted or never part of the series).</summary>
    public StoredEvent? Find(string id)
    {
        lock (Gate)
        {
            return FindInDefaultCalendar(id) ?? (Elsewhere.TryGetValue(id, out var moved) ? moved.Event : null);
        }
    }

    /// <summary>Finds an event of the default calendar, as <see cref="Find"/> does, leaving out events moved to other calendars.</summary>
    public StoredEvent? FindInDefaultCalendar(string id)
    {
        lock (Gate)
        {
            if (Events.TryGetValue(id, out var stored))
            {
                return stored;
            }

            return FindOccurrence(id) is { } found ? Series.OccurrenceEvent(found.Master, found.Slot) : null;
        }
    }

    /// <summary>Gets the id of the calendar an event is in, or null when there is no such event.</summary>
    public string? CalendarOf(string id)
    {
        lock (Gate)
        {
            if (Elsewhere.TryGetValue(id, out var moved))
            {
                return moved.CalendarId;
            }

            return Find(id) is null ? null : DefaultCalendarId;
        }
    }

    /// <summary>
    /// Moves a single event or a series master (with its exceptions) out of the default calendar into another one, keeping its
    /// id: delta reports it as removed, and a read by id still finds it.
    /// </summary>
    public string MoveToCalendar(string id, string calendarName)
    {
        lock (Gate)
        {
            if (!Events.TryGetValue(id, out var stored) || stored.IsException)
            {
                throw GraphErrorException.NotFound();
            }

            var calendarId = CalendarId(calendarName);
            Calendars[calendarId] = calendarName;
            if (stored.IsSeriesMaster)
            {
                foreach (var exception in ExceptionsOf(id).Values)
                {
                    Remove(exception.Id);
                    Elsewhere[exception.Id] = (exception, calendarId);
                }
            }

            Remove(id);
            Elsewhere[id] = (stored, calendarId);
            return calendarId;
        }
    }

    /// <summary>Finds an occurrence that is neither deleted nor an exception, with its master.</summary>
    public (StoredEvent Master, OccurrenceSlot Slot)? FindOccurrence(string id)
    {
        lock (Gate)
        {
            if (Events.ContainsKey(id)
                || !Series.TryParseOccurrenceId(id, out var masterId, out var originalStart)
                || !Events.TryGetValue(masterId, out var master)
                || !master.IsSeriesMaster
                || Series.Find(master, originalStart) is not { } slot)
            {
                return null;
            }

            return (master, slot);
        }
    }

    /// <summary>Gets the exceptions of a series by their original start.</summary>
    public IReadOnlyDictionary<Instant, StoredEvent> ExceptionsOf(string masterId)
    {
        lock (Gate)
        {
            return exceptions.TryGetValue(masterId, out var found) ? new Dictionary<Instant, StoredEvent>(found) : new Dictionary<Instant, StoredEvent>();
        }
    }

    /// <summary>Gets what <c>/me/events</c> lists: singles and series masters, in creation order.</summary>
    public List<StoredEvent> All()
    {
        lock (Gate)
        {
            return [.. Events.Values.Where(e => !e.IsException)];
        }
    }

    /// <summary>Gets what <c>/me/calendarView</c> lists: singles, occurrences and exceptions overlapping a window, by start.</summary>
    public List<StoredEvent> InWindow(Instant start, Instant end)
    {
        lock (Gate)
        {
            var result = new List<StoredEvent>();
            foreach (var stored in Events.Values)
            {
                if (stored.IsSeriesMaster)
                {
                    result.AddRange(Instances(stored, start, end));
                }
                else if (!stored.IsException && stored.Overlaps(start, end))
                {
                    result.Add(stored);
                }
            }

            return Ordered(result);
        }
    }

    /// <summary>Gets the occurrences and exceptions of a series overlapping a window (exceptions by their actual time), by start.</summary>
    public List<StoredEvent> Instances(StoredEvent master, Instant start, Instant end)
    {
        lock (Gate)
        {
            var own = exceptions.TryGetValue(master.Id, out var found) ? found : [];
            var result = new List<StoredEvent>();
            foreach (var slot in Series.Occurrences(master, start, end))
            {
                if (!own.ContainsKey(slot.Start))
                {
                    result.Add(Series.OccurrenceEvent(master, slot));
                }
            }

            result.AddRange(own.Values.Where(e => e.Overlaps(start, end)));
            return Ordered(result);
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
        var changeType = Events.ContainsKey(stored.Id) ? "updated" : "created";
        Events[stored.Id] = stored;
        if (stored.IsException && stored.SeriesMasterId is { } masterId && stored.OriginalStart is { } originalStart)
        {
            if (!exceptions.TryGetValue(masterId, out var own))
            {
                own = [];
                exceptions[masterId] = own;
            }

            own[originalStart] = stored;
        }

        Record(stored.Id, Revision.Stored(++Sequence, stored));
        Changed?.Invoke(stored.Id, changeType);
    }

    public bool Remove(string id)
    {
        if (!Events.Remove(id, out var removed))
        {
            return false;
        }

        if (removed.IsException && removed.SeriesMasterId is { } masterId && removed.OriginalStart is { } originalStart
            && exceptions.TryGetValue(masterId, out var own))
        {
            own.Remove(originalStart);
        }

        Record(id, Revision.Deleted(++Sequence));
        Changed?.Invoke(id, "deleted");
        return true;
    }

    /// <summary>
    /// Gets the ids changed after <paramref name="sequence"/> with their revisions, in the order <see cref="History"/> lists them:
    /// the same as walking <see cref="History"/> for the ids whose last revision is newer, at the cost of the changes since.
    /// </summary>
    public List<(string Id, List<Revision> Revisions)> ChangedSince(long sequence)
    {
        lock (Gate)
        {
            // The log is in sequence order: find the first change after the token's sequence, then take each id once.
            int low = 0;
            int high = changes.Count;
            while (low < high)
            {
                int middle = low + ((high - low) / 2);
                if (changes[middle].Sequence <= sequence)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (int i = low; i < changes.Count; i++)
            {
                ids.Add(changes[i].Id);
            }

            return [.. ids.OrderBy(id => historyOrder[id]).Select(id => (id, History[id]))];
        }
    }

    /// <summary>Gets the histories of the events that were created as exceptions of a series (what <see cref="History"/> holds for them).</summary>
    public List<List<Revision>> ExceptionHistories(string masterId)
    {
        lock (Gate)
        {
            return exceptionIdsByMaster.TryGetValue(masterId, out var ids) ? [.. ids.Select(id => History[id])] : [];
        }
    }

    private string CalendarId(string calendarName) =>
        "AQMkCalendar" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Name + "/" + calendarName)).TrimEnd('=').Replace('/', '_').Replace('+', '-');

    private static List<StoredEvent> Ordered(List<StoredEvent> events) =>
        [.. events.OrderBy(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal)];

    private void Record(string id, Revision revision)
    {
        if (!History.TryGetValue(id, out var revisions))
        {
            revisions = [];
            History[id] = revisions;
            historyOrder[id] = historyOrder.Count;
            if (revision.SeriesMasterId is { } masterId)
            {
                if (!exceptionIdsByMaster.TryGetValue(masterId, out var exceptionIds))
                {
                    exceptionIds = [];
                    exceptionIdsByMaster[masterId] = exceptionIds;
                }

                exceptionIds.Add(id);
            }
        }

        revisions.Add(revision);
        changes.Add((revision.Sequence, id));
    }
}
