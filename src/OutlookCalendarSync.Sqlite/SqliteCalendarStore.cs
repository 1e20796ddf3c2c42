using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Sqlite.Internal;

namespace OutlookCalendarSync.Sqlite;

/// <summary>
/// A host calendar kept in a SQLite file: every user's events, series masters and exceptions, with a true change feed (tombstones
/// for deleted events) and conditional writes. The local calendar of the command-line tool and of small hosts.
/// </summary>
/// <remarks>
/// <para>
/// Each user's calendar has a change sequence: every write takes the next number, which becomes the event's
/// <see cref="CalendarEvent.Version"/>. Ids are <c>local-N</c> (unique per user); a create keeps the given
/// <see cref="CalendarEvent.ICalUId"/> (or assigns a new globally unique one) and <see cref="CalendarEvent.CounterpartId"/>, and sets
/// <see cref="CalendarEvent.LastModified"/> from the clock.
/// </para>
/// <para>
/// <see cref="GetChangesAsync"/> with a null cursor returns the live events overlapping the window (series masters always) as a full
/// snapshot; with a cursor it returns every event changed since, whatever the window, once, in its latest state, and every event
/// deleted since as a confirmed removal. A cursor is refused with <see cref="CursorExpiredException"/> when it was not made by this
/// database, after the contract tests expired it, or when <see cref="PruneTombstones"/> removed deletions it has not seen.
/// </para>
/// <para>
/// The <c>…ByUser</c> methods stand for a person using the host application; their changes show up in the next change feed.
/// Microsoft.Data.Sqlite has no truly asynchronous I/O, so the asynchronous methods complete synchronously.
/// </para>
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the file.</threadsafety>
public sealed class SqliteCalendarStore : ICalendarStore
{
    private const string CursorPrefix = "sqlite-local";
    private const string EventColumns = "event_id, version, document";
    private readonly SqliteDatabase _database;
    private readonly IClock _clock;

    /// <summary>Creates a store that reads the system clock.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public SqliteCalendarStore(SqliteStoreOptions options)
        : this(options, SystemClock.Instance)
    {
    }

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="clock">The clock that stamps <see cref="CalendarEvent.LastModified"/> and deletions.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public SqliteCalendarStore(SqliteStoreOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _database = SqliteDatabase.FromOptions(options);
        _clock = clock;
    }

    /// <inheritdoc />
    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((connection, transaction) => cursor is null
            ? ReadSnapshot(connection, transaction, userId, window)
            : ReadChanges(connection, transaction, userId, cursor)));
    }

    /// <inheritdoc />
    public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((connection, transaction) => FindLive(connection, transaction, userId, eventId)));
    }

    /// <inheritdoc />
    public Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(create);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Create(userId, create.Event));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The events are written in one transaction; when an insert fails, each is created in a transaction of its own. When the
    /// commit itself fails, each create answers <see cref="WriteStatus.TransientFailure"/>.
    /// </remarks>
    public Task<IReadOnlyList<EventWriteResult>> CreateManyAsync(string userId, IReadOnlyList<EventCreate> creates, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(creates);
        cancellationToken.ThrowIfCancellationRequested();
        EventCreate[] writes = [.. creates.Select((c, i) => c ?? throw new ArgumentException($"Create {i} is null.", nameof(creates)))];
        if (writes.Length == 0)
        {
            return Task.FromResult<IReadOnlyList<EventWriteResult>>([]);
        }

        EventWriteResult[] results;
        bool inserted = false;
        try
        {
            results = _database.Write((connection, transaction) =>
            {
                // One statement takes the sequence numbers of the whole chunk (the write lock is held, so they are the ones
                // one-by-one creates would take), and one prepared insert is run for each event.
                long first = ReserveSequences(connection, transaction, userId, writes.Length);
                Instant now = _clock.GetCurrentInstant();
                var stored = new EventWriteResult[writes.Length];
                using (var rows = new EventRows(connection, userId))
                {
                    for (int i = 0; i < writes.Length; i++)
                    {
                        CalendarEvent created = NewEvent(writes[i].Event, first + i, now);
                        rows.Upsert(created, first + i);
                        stored[i] = EventWriteResult.Success(created);
                    }
                }

                inserted = true;
                return stored;
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException && inserted)
        {
            // Every insert succeeded and the commit failed (an I/O error, for one): whether the file kept the transaction is not
            // certain, so making the events again one by one could create each twice. None is retried here: each is reported
            // transient, and the kept ones carry the stamp of their Outlook event (CounterpartId), which lets a later run link
            // them as it does creates a crash left unjournaled (see PlanExecutor).
            results = [.. writes.Select(_ => EventWriteResult.HostUnconfirmed(ex))];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An insert failed, so the transaction was rolled back and nothing was kept: one by one, so that the event the
            // database refused holds back no other.
            results = [.. writes.Select(c => CreateOne(userId, c.Event))];
        }

        return Task.FromResult<IReadOnlyList<EventWriteResult>>(results);
    }

    /// <inheritdoc />
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    /// <exception cref="EventVersionConflictException"><paramref name="update"/>'s expected version is not the stored one.</exception>
    public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(update);
        cancellationToken.ThrowIfCancellationRequested();
        string eventId = update.EventId;
        return Task.FromResult(_database.Write((connection, transaction) =>
        {
            CalendarEvent existing = FindLive(connection, transaction, userId, eventId) ?? throw EventNotFoundException.For(eventId);
            if (update.ExpectedVersion is not null && update.ExpectedVersion != existing.Version)
            {
                throw EventVersionConflictException.For(eventId, update.ExpectedVersion, existing.Version);
            }

            CalendarEvent changed = existing.WithFieldsFrom(update.Content, update.Fields);
            return Replace(connection, transaction, userId, eventId, changed);
        }));
    }

    /// <inheritdoc />
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    /// <exception cref="EventVersionConflictException"><paramref name="deletion"/>'s expected version is not the stored one.</exception>
    public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(deletion);
        cancellationToken.ThrowIfCancellationRequested();
        Delete(userId, deletion.EventId, deletion.ExpectedVersion);
        return Task.CompletedTask;
    }

    /// <summary>Adds an event as the host's user would; it shows up in the change feed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="newEvent">The event; id and version are assigned, the iCalUId kept or assigned.</param>
    /// <returns>The stored event.</returns>
    public CalendarEvent AddByUser(string userId, CalendarEvent newEvent)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(newEvent);
        return Create(userId, newEvent);
    }

    /// <summary>Changes an event as the host's user would: the result of <paramref name="change"/> is stored with a new version.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="eventId">The event's id.</param>
    /// <param name="change">Returns the changed event (for example <c>e =&gt; e with { Subject = "new" }</c>); may run more than once.</param>
    /// <returns>The stored event.</returns>
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    public CalendarEvent UpdateByUser(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            // The change is the caller's code: run it outside the transaction, and start again if the event moved on meanwhile.
            CalendarEvent current = _database.Read((c, t) => FindLive(c, t, userId, eventId)) ?? throw EventNotFoundException.For(eventId);
            CalendarEvent changed = change(current) ?? throw new InvalidOperationException("The change function returned null: return the changed event.");
            CalendarEvent? stored = _database.Write((connection, transaction) =>
            {
                CalendarEvent latest = FindLive(connection, transaction, userId, eventId) ?? throw EventNotFoundException.For(eventId);
                return latest.Version == current.Version ? Replace(connection, transaction, userId, eventId, changed) : null;
            });
            if (stored is not null)
            {
                return stored;
            }
        }
    }

    /// <summary>Deletes an event as the host's user would; the next incremental feed reports it removed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="eventId">The event's id.</param>
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    public void DeleteByUser(string userId, string eventId)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        Delete(userId, eventId, expectedVersion: null);
    }

    /// <summary>Every live event of a user, in creation order.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<CalendarEvent> GetAll(string userId)
    {
        CheckUserId(userId);
        return _database.Read((connection, transaction) => ReadEvents(connection.Command(
            transaction,
            $"SELECT {EventColumns} FROM calendar_events WHERE user_id = $user AND is_deleted = 0 ORDER BY created_sequence;",
            ("$user", userId))));
    }

    /// <summary>Makes every cursor handed out so far for the user throw <see cref="CursorExpiredException"/> (the host then reads a snapshot).</summary>
    /// <param name="userId">The user.</param>
    internal void ExpireCursors(string userId)
    {
        CheckUserId(userId);
        _database.Write((connection, transaction) =>
        {
            EnsureCalendarUser(connection, transaction, userId);
            return connection.Execute(transaction, "UPDATE calendar_users SET generation = generation + 1 WHERE user_id = $user;", ("$user", userId));
        });
    }

    /// <summary>
    /// Removes the tombstones of events deleted before <paramref name="deletedBefore"/>, for every user. Cursors older than a removed
    /// tombstone then throw <see cref="CursorExpiredException"/>, so a client never misses a deletion.
    /// </summary>
    /// <param name="deletedBefore">Tombstones of deletions before this instant go; keep them longer than the longest gap between two syncs.</param>
    /// <returns>How many tombstones were removed.</returns>
    public int PruneTombstones(Instant deletedBefore)
        => _database.Write((connection, transaction) =>
        {
            long cutoff = deletedBefore.ToUnixTimeTicks();
            connection.Execute(
                transaction,
                """
                UPDATE calendar_users SET pruned_through = MAX(pruned_through, (
                    SELECT MAX(sequence) FROM calendar_events e
                    WHERE e.user_id = calendar_users.user_id AND e.is_deleted = 1 AND e.deleted_at_ticks < $cutoff))
                WHERE EXISTS (SELECT 1 FROM calendar_events e
                    WHERE e.user_id = calendar_users.user_id AND e.is_deleted = 1 AND e.deleted_at_ticks < $cutoff);
                """,
                ("$cutoff", cutoff));
            return connection.Execute(transaction, "DELETE FROM calendar_events WHERE is_deleted = 1 AND deleted_at_ticks < $cutoff;", ("$cutoff", cutoff));
        });

    private static void CheckUserId(string userId) => ArgumentException.ThrowIfNullOrWhiteSpace(userId);

    private static (long Generation, long LastSequence, long PrunedThrough) ReadCalendarUser(SqliteConnection connection, SqliteTransaction transaction, string userId)
    {
        using SqliteCommand command = connection.Command(
            transaction, "SELECT generation, last_sequence, pruned_through FROM calendar_users WHERE user_id = $user;", ("$user", userId));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : (0, 0, 0);
    }

    private static void EnsureCalendarUser(SqliteConnection connection, SqliteTransaction transaction, string userId)
        => connection.Execute(transaction, "INSERT INTO calendar_users (user_id) VALUES ($user) ON CONFLICT (user_id) DO NOTHING;", ("$user", userId));

    private static long NextSequence(SqliteConnection connection, SqliteTransaction transaction, string userId)
    {
        EnsureCalendarUser(connection, transaction, userId);
        return connection.Scalar<long>(
            transaction, "UPDATE calendar_users SET last_sequence = last_sequence + 1 WHERE user_id = $user RETURNING last_sequence;", ("$user", userId));
    }

    /// <summary>Takes <paramref name="count"/> consecutive sequence numbers of the user and returns the first.</summary>
    private static long ReserveSequences(SqliteConnection connection, SqliteTransaction transaction, string userId, int count)
    {
        EnsureCalendarUser(connection, transaction, userId);
        long last = connection.Scalar<long>(
            transaction,
            "UPDATE calendar_users SET last_sequence = last_sequence + $count WHERE user_id = $user RETURNING last_sequence;",
            ("$user", userId),
            ("$count", count));
        return last - count + 1;
    }

    private static string FormatCursor(long generation, long sequence)
        => string.Create(CultureInfo.InvariantCulture, $"{CursorPrefix}:{generation}:{sequence}");

    private static CalendarEvent? FindLive(SqliteConnection connection, SqliteTransaction transaction, string userId, string eventId)
        => ReadEvents(connection.Command(
            transaction,
            $"SELECT {EventColumns} FROM calendar_events WHERE user_id = $user AND event_id = $id AND is_deleted = 0;",
            ("$user", userId),
            ("$id", eventId))).SingleOrDefault();

    private static List<CalendarEvent> ReadEvents(SqliteCommand command)
    {
        using (command)
        {
            using SqliteDataReader reader = command.ExecuteReader();
            var events = new List<CalendarEvent>();
            while (reader.Read())
            {
                events.Add(ReadEvent(reader));
            }

            return events;
        }
    }

    private static CalendarEvent ReadEvent(SqliteDataReader reader)
        => CalendarEventJson.Deserialize(reader.GetString(2)) with { Id = reader.GetString(0), Version = reader.GetString(1) };

    private static void Upsert(SqliteConnection connection, string userId, CalendarEvent stored, long sequence)
    {
        using var rows = new EventRows(connection, userId);
        rows.Upsert(stored, sequence);
    }

    private static ChangeFeed ReadSnapshot(SqliteConnection connection, SqliteTransaction transaction, string userId, Interval window)
    {
        (long generation, long lastSequence, _) = ReadCalendarUser(connection, transaction, userId);

        // The index narrows the rows with a one-tick margin; EventTiming.Overlaps then decides exactly, as every store does.
        long windowStart = window.HasStart ? window.Start.ToUnixTimeTicks() - 1 : long.MinValue;
        long windowEnd = window.HasEnd ? window.End.ToUnixTimeTicks() + 1 : long.MaxValue;
        List<CalendarEvent> candidates = ReadEvents(connection.Command(
            transaction,
            $"""
            SELECT {EventColumns} FROM calendar_events
            WHERE user_id = $user AND is_deleted = 0 AND (is_series_master = 1 OR (start_ticks <= $end AND end_ticks >= $start))
            ORDER BY created_sequence;
            """,
            ("$user", userId),
            ("$start", windowStart),
            ("$end", windowEnd)));
        CalendarEvent[] snapshot = candidates.Where(e => e.IsSeriesMaster || e.Timing.Overlaps(window)).ToArray();
        return new ChangeFeed(snapshot, [], FormatCursor(generation, lastSequence), isFullSnapshot: true);
    }

    private static ChangeFeed ReadChanges(SqliteConnection connection, SqliteTransaction transaction, string userId, string cursor)
    {
        (long generation, long lastSequence, long prunedThrough) = ReadCalendarUser(connection, transaction, userId);
        string[] parts = cursor.Split(':');
        if (parts.Length != 3
            || parts[0] != CursorPrefix
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long cursorGeneration)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long since))
        {
            throw new CursorExpiredException($"The cursor '{cursor}' was not made by this calendar: read a full snapshot (pass a null cursor).");
        }

        if (cursorGeneration != generation || since > lastSequence)
        {
            throw new CursorExpiredException("The cursor has expired (the calendar's change log was reset, or the cursor belongs to another database): read a full snapshot (pass a null cursor).");
        }

        if (since < prunedThrough)
        {
            throw new CursorExpiredException("The cursor is older than the deletions this calendar still remembers (its tombstones were pruned): read a full snapshot (pass a null cursor).");
        }

        var changed = new List<CalendarEvent>();
        var removed = new List<EventRemoval>();
        using (SqliteCommand command = connection.Command(
            transaction,
            "SELECT event_id, version, document, is_deleted FROM calendar_events WHERE user_id = $user AND sequence > $since ORDER BY sequence;",
            ("$user", userId),
            ("$since", since)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetBoolean(3))
                {
                    removed.Add(new EventRemoval(reader.GetString(0), IsConfirmedDeletion: true));
                }
                else
                {
                    changed.Add(ReadEvent(reader));
                }
            }
        }

        return new ChangeFeed(changed, removed, FormatCursor(generation, lastSequence), isFullSnapshot: false);
    }

    private EventWriteResult CreateOne(string userId, CalendarEvent content)
    {
        try
        {
            return EventWriteResult.Success(Create(userId, content));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return EventWriteResult.HostRefused(ex);
        }
    }

    private CalendarEvent Create(string userId, CalendarEvent content)
        => _database.Write((connection, transaction) => Create(connection, transaction, userId, content));

    private CalendarEvent Create(SqliteConnection connection, SqliteTransaction transaction, string userId, CalendarEvent content)
    {
        long sequence = NextSequence(connection, transaction, userId);
        CalendarEvent stored = NewEvent(content, sequence, _clock.GetCurrentInstant());
        Upsert(connection, userId, stored, sequence);
        return stored;
    }

    /// <summary>A created event as stored: its id and version from its sequence number, an iCalUId kept or assigned.</summary>
    private static CalendarEvent NewEvent(CalendarEvent content, long sequence, Instant now)
    {
        string version = sequence.ToString(CultureInfo.InvariantCulture);
        return content with
        {
            Id = "local-" + version,
            Version = version,
            ICalUId = content.ICalUId ?? $"{Guid.NewGuid():D}@outlook-calendar-sync",
            LastModified = now,
        };
    }

    private CalendarEvent Replace(SqliteConnection connection, SqliteTransaction transaction, string userId, string eventId, CalendarEvent content)
    {
        long sequence = NextSequence(connection, transaction, userId);
        CalendarEvent stored = content with
        {
            Id = eventId,
            Version = sequence.ToString(CultureInfo.InvariantCulture),
            LastModified = _clock.GetCurrentInstant(),
        };
        Upsert(connection, userId, stored, sequence);
        return stored;
    }

    private void Delete(string userId, string eventId, string? expectedVersion)
        => _database.Write((connection, transaction) =>
        {
            CalendarEvent existing = FindLive(connection, transaction, userId, eventId) ?? throw EventNotFoundException.For(eventId);
            if (expectedVersion is not null && expectedVersion != existing.Version)
            {
                throw EventVersionConflictException.For(eventId, expectedVersion, existing.Version);
            }

            long sequence = NextSequence(connection, transaction, userId);
            return connection.Execute(
                transaction,
                """
                UPDATE calendar_events SET is_deleted = 1, deleted_at_ticks = $now, sequence = $sequence, document = NULL
                WHERE user_id = $user AND event_id = $id;
                """,
                ("$now", _clock.GetCurrentInstant().ToUnixTimeTicks()),
                ("$sequence", sequence),
                ("$user", userId),
                ("$id", eventId));
        });

    /// <summary>
    /// The prepared insert-or-replace of one user's event rows, run once per event with new values: each event's document is
    /// written as UTF-8 into a buffer kept for the chunk and bound from there, so a row allocates nothing of its own.
    /// </summary>
    private sealed class EventRows : IDisposable
    {
        private readonly RowStatement _upsert;
        private readonly int _id;
        private readonly int _version;
        private readonly int _start;
        private readonly int _end;
        private readonly int _master;
        private readonly int _modified;
        private readonly int _sequence;
        private readonly int _document;
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _writer;

        public EventRows(SqliteConnection connection, string userId)
        {
            _upsert = new RowStatement(
                connection,
                """
                INSERT INTO calendar_events (user_id, event_id, version, start_ticks, end_ticks, is_series_master, last_modified_ticks, created_sequence, sequence, document)
                VALUES ($user, $id, $version, $start, $end, $master, $modified, $sequence, $sequence, $document)
                ON CONFLICT (user_id, event_id) DO UPDATE SET
                    version = excluded.version, start_ticks = excluded.start_ticks, end_ticks = excluded.end_ticks,
                    is_series_master = excluded.is_series_master, last_modified_ticks = excluded.last_modified_ticks,
                    sequence = excluded.sequence, document = excluded.document, is_deleted = 0, deleted_at_ticks = NULL;
                """);
            _upsert.Bind(_upsert.Index("$user"), userId);
            _id = _upsert.Index("$id");
            _version = _upsert.Index("$version");
            _start = _upsert.Index("$start");
            _end = _upsert.Index("$end");
            _master = _upsert.Index("$master");
            _modified = _upsert.Index("$modified");
            _sequence = _upsert.Index("$sequence");
            _document = _upsert.Index("$document");
            _writer = new Utf8JsonWriter(_buffer);
        }

        /// <summary>Writes <paramref name="stored"/> (id, version and modification time set) as the user's event of that id.</summary>
        public void Upsert(CalendarEvent stored, long sequence)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            CalendarEventJson.Serialize(stored, _writer);
            _writer.Flush();
            _upsert.Bind(_id, stored.Id);
            _upsert.Bind(_version, stored.Version);
            _upsert.Bind(_start, stored.Timing.StartInstant.ToUnixTimeTicks());
            _upsert.Bind(_end, stored.Timing.EndInstant.ToUnixTimeTicks());
            _upsert.Bind(_master, stored.IsSeriesMaster ? 1L : 0L);
            _upsert.Bind(_modified, stored.LastModified?.ToUnixTimeTicks());
            _upsert.Bind(_sequence, sequence);
            _upsert.BindUtf8(_document, _buffer.WrittenSpan);
            _upsert.Execute();
        }

        public void Dispose()
        {
            _writer.Dispose();
            _upsert.Dispose();
        }
    }
}
