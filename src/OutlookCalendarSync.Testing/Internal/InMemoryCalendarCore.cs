using System.Globalization;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Testing.Internal;

/// <summary>
/// The calendar both in-memory doubles are built on: per user, the events by id with their versions, tombstones of deleted events,
/// and a change log with increasing sequence numbers from which change feeds are read.
/// </summary>
/// <remarks>
/// Cursors look like <c>{prefix}:{generation}:{sequence}:{windowStart}:{windowEnd}</c>. Expiring a user's cursors bumps the
/// generation, so every cursor handed out before is refused with <see cref="CursorExpiredException"/>. Ids, versions and iCalUIds
/// come from counters, so a test run is deterministic.
/// </remarks>
/// <threadsafety>Safe for concurrent use: every operation runs under one lock.</threadsafety>
internal sealed class InMemoryCalendarCore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, UserCalendar> _users = new(StringComparer.Ordinal);
    private readonly IClock _clock;
    private readonly FeedDialect _dialect;
    private readonly string _idPrefix;
    private readonly string _versionPrefix;
    private readonly string _iCalUIdPrefix;
    private readonly string _cursorPrefix;
    private long _lastId;
    private long _lastVersion;
    private long _lastICalUId;

    public InMemoryCalendarCore(IClock clock, FeedDialect dialect, string idPrefix, string versionPrefix, string iCalUIdPrefix, string cursorPrefix)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _dialect = dialect;
        _idPrefix = idPrefix;
        _versionPrefix = versionPrefix;
        _iCalUIdPrefix = iCalUIdPrefix;
        _cursorPrefix = cursorPrefix;
    }

    public ChangeFeed GetChanges(string userId, string? cursor, Interval window)
    {
        lock (_gate)
        {
            UserCalendar calendar = CalendarOf(userId);
            if (cursor is null)
            {
                CalendarEvent[] snapshot = calendar.LiveEntries().Where(e => IsInWindow(e.Current!, window)).Select(e => e.Current!).ToArray();
                return new ChangeFeed(snapshot, [], FormatCursor(calendar, window), isFullSnapshot: true);
            }

            (long since, Interval cursorWindow) = ParseCursor(calendar, cursor);
            Interval feedWindow = _dialect == FeedDialect.GraphDelta ? cursorWindow : window;
            var changed = new List<CalendarEvent>();
            var removed = new List<EventRemoval>();
            foreach (Entry entry in calendar.EntriesChangedSince(since))
            {
                bool clientMayKnowIt = entry.CreatedSequence <= since;
                if (entry.Current is null)
                {
                    if (clientMayKnowIt)
                    {
                        removed.Add(new EventRemoval(entry.Id, IsConfirmedDeletion: _dialect == FeedDialect.HostStore));
                    }
                }
                else if (_dialect == FeedDialect.HostStore || IsInWindow(entry.Current, feedWindow))
                {
                    changed.Add(entry.Current);
                }
                else if (clientMayKnowIt)
                {
                    removed.Add(new EventRemoval(entry.Id, IsConfirmedDeletion: false));
                }
            }

            return new ChangeFeed(changed, removed, FormatCursor(calendar, feedWindow), isFullSnapshot: false);
        }
    }

    public CalendarEvent? Find(string userId, string eventId)
    {
        lock (_gate)
        {
            return CalendarOf(userId).Find(eventId)?.Current;
        }
    }

    public IReadOnlyList<CalendarEvent> GetAll(string userId)
    {
        lock (_gate)
        {
            return CalendarOf(userId).LiveEntries().Select(e => e.Current!).ToArray();
        }
    }

    public void ExpireCursors(string userId)
    {
        lock (_gate)
        {
            CalendarOf(userId).Generation++;
        }
    }

    /// <summary>Creates an event.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="content">The content; its id and version are ignored.</param>
    /// <param name="keepICalUId">Whether a given iCalUId is kept (a host store) or always replaced (Graph assigns its own).</param>
    /// <param name="dedupeByCounterpartId">Whether a create whose counterpart id is already on a live event returns that event (Graph's transactionId).</param>
    public WriteOutcome Create(string userId, CalendarEvent content, bool keepICalUId, bool dedupeByCounterpartId)
    {
        lock (_gate)
        {
            UserCalendar calendar = CalendarOf(userId);
            if (dedupeByCounterpartId && content.CounterpartId is { } counterpartId)
            {
                Entry? existing = calendar.LiveEntries().FirstOrDefault(e => e.Current!.CounterpartId == counterpartId);
                if (existing is not null)
                {
                    return WriteOutcome.Success(existing.Current);
                }
            }

            string id = _idPrefix + Next(ref _lastId);
            CalendarEvent stored = content with
            {
                Id = id,
                Version = NextVersion(),
                ICalUId = keepICalUId && content.ICalUId is not null ? content.ICalUId : _iCalUIdPrefix + Next(ref _lastICalUId),
                LastModified = _clock.GetCurrentInstant(),
            };
            calendar.Add(id, stored);
            return WriteOutcome.Success(stored);
        }
    }

    public WriteOutcome Update(string userId, string eventId, string? expectedVersion, CalendarEvent content, EventFields fields)
    {
        lock (_gate)
        {
            UserCalendar calendar = CalendarOf(userId);
            Entry? entry = calendar.Find(eventId);
            if (entry?.Current is not { } existing)
            {
                return WriteOutcome.NotFound(eventId);
            }

            if (expectedVersion is not null && expectedVersion != existing.Version)
            {
                return WriteOutcome.Conflict(eventId, expectedVersion, existing.Version);
            }

            CalendarEvent stored = existing.WithFieldsFrom(content, fields) with { Version = NextVersion(), LastModified = _clock.GetCurrentInstant() };
            calendar.Replace(entry, stored);
            return WriteOutcome.Success(stored);
        }
    }

    public WriteOutcome Delete(string userId, string eventId, string? expectedVersion)
    {
        lock (_gate)
        {
            UserCalendar calendar = CalendarOf(userId);
            Entry? entry = calendar.Find(eventId);
            if (entry?.Current is not { } existing)
            {
                return WriteOutcome.NotFound(eventId);
            }

            if (expectedVersion is not null && expectedVersion != existing.Version)
            {
                return WriteOutcome.Conflict(eventId, expectedVersion, existing.Version);
            }

            calendar.Replace(entry, null);
            return WriteOutcome.Success(null);
        }
    }

    /// <summary>Changes an event as a user of that calendar would: whatever <paramref name="change"/> returns is stored, with a new version.</summary>
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    public CalendarEvent ChangeByUser(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change)
    {
        while (true)
        {
            // The change is the caller's code: run it outside the lock, and start again if the event moved on meanwhile.
            CalendarEvent current = Find(userId, eventId) ?? throw EventNotFoundException.For(eventId);
            CalendarEvent changed = change(current) ?? throw new InvalidOperationException("The change function returned null: return the changed event.");
            lock (_gate)
            {
                Entry? entry = CalendarOf(userId).Find(eventId);
                if (entry?.Current is null)
                {
                    throw EventNotFoundException.For(eventId);
                }

                if (entry.Current.Version != current.Version)
                {
                    continue;
                }

                CalendarEvent stored = changed with { Id = eventId, Version = NextVersion(), LastModified = _clock.GetCurrentInstant() };
                CalendarOf(userId).Replace(entry, stored);
                return stored;
            }
        }
    }

    /// <summary>Deletes an event as a user of that calendar would.</summary>
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    public void DeleteByUser(string userId, string eventId)
    {
        if (Delete(userId, eventId, expectedVersion: null).Status == WriteStatus.NotFound)
        {
            throw EventNotFoundException.For(eventId);
        }
    }

    private static bool IsInWindow(CalendarEvent calendarEvent, Interval window)
        => calendarEvent.IsSeriesMaster || calendarEvent.Timing.Overlaps(window);

    private static string Next(ref long counter) => (++counter).ToString(CultureInfo.InvariantCulture);

    private static string FormatBound(Instant? instant)
        => instant is { } value ? value.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture) : "-";

    private static bool TryParseBound(string text, out Instant? instant)
    {
        instant = null;
        if (text == "-")
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ticks))
        {
            instant = Instant.FromUnixTimeTicks(ticks);
            return true;
        }

        return false;
    }

    private string NextVersion() => _versionPrefix + Next(ref _lastVersion);

    private UserCalendar CalendarOf(string userId)
    {
        if (!_users.TryGetValue(userId, out UserCalendar? calendar))
        {
            calendar = new UserCalendar();
            _users.Add(userId, calendar);
        }

        return calendar;
    }

    private string FormatCursor(UserCalendar calendar, Interval window)
        => string.Join(
            ':',
            _cursorPrefix,
            calendar.Generation.ToString(CultureInfo.InvariantCulture),
            calendar.LastSequence.ToString(CultureInfo.InvariantCulture),
            FormatBound(window.HasStart ? window.Start : null),
            FormatBound(window.HasEnd ? window.End : null));

    private (long Since, Interval Window) ParseCursor(UserCalendar calendar, string cursor)
    {
        string[] parts = cursor.Split(':');
        if (parts.Length != 5
            || parts[0] != _cursorPrefix
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long generation)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long since)
            || !TryParseBound(parts[3], out Instant? start)
            || !TryParseBound(parts[4], out Instant? end)
            || (start is not null && end is not null && start > end))
        {
            throw new CursorExpiredException($"The cursor '{cursor}' was not made by this calendar: read a full snapshot (pass a null cursor).");
        }

        if (generation != calendar.Generation || since > calendar.LastSequence)
        {
            throw new CursorExpiredException("The cursor has expired (the calendar's change log was reset): read a full snapshot (pass a null cursor).");
        }

        return (since, new Interval(start, end));
    }

    /// <summary>One event id's latest state: the event, or null once deleted (a tombstone).</summary>
    private sealed class Entry(string id, long createdSequence)
    {
        public string Id { get; } = id;

        public long CreatedSequence { get; } = createdSequence;

        public long LastSequence { get; set; } = createdSequence;

        public CalendarEvent? Current { get; set; }
    }

    private sealed class UserCalendar
    {
        private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
        private readonly List<Entry> _creationOrder = [];
        private readonly List<(long Sequence, string Id)> _log = [];

        public long Generation { get; set; }

        public long LastSequence { get; private set; }

        public Entry? Find(string id) => _entries.GetValueOrDefault(id);

        public IEnumerable<Entry> LiveEntries() => _creationOrder.Where(e => e.Current is not null);

        public void Add(string id, CalendarEvent stored)
        {
            var entry = new Entry(id, ++LastSequence) { Current = stored };
            _entries.Add(id, entry);
            _creationOrder.Add(entry);
            _log.Add((entry.CreatedSequence, id));
        }

        public void Replace(Entry entry, CalendarEvent? stored)
        {
            entry.Current = stored;
            entry.LastSequence = ++LastSequence;
            _log.Add((entry.LastSequence, entry.Id));
        }

        /// <summary>Every entry changed after <paramref name="since"/>, once each, in the order of its latest change.</summary>
        public IEnumerable<Entry> EntriesChangedSince(long since)
        {
            int first = _log.BinarySearch((since + 1, string.Empty), LogOrder.Instance);
            if (first < 0)
            {
                first = ~first;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            for (int i = first; i < _log.Count; i++)
            {
                if (seen.Add(_log[i].Id))
                {
                    entries.Add(_entries[_log[i].Id]);
                }
            }

            return entries.OrderBy(e => e.LastSequence);
        }
    }

    private sealed class LogOrder : IComparer<(long Sequence, string Id)>
    {
        public static LogOrder Instance { get; } = new();

        public int Compare((long Sequence, string Id) x, (long Sequence, string Id) y) => x.Sequence.CompareTo(y.Sequence);
    }
}
