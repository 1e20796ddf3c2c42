using System.Data;
using System.Globalization;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.PostgreSql.Internal;

namespace OutlookCalendarSync.PostgreSql;

/// <summary>
/// A host calendar kept in PostgreSQL, for hosts that want one ready: every user's events, series masters and exceptions, with a true
/// change feed (tombstones for deleted events) and conditional writes. Events are stored as JSON (<see cref="CalendarEventJson"/>) in a
/// <c>jsonb</c> column, with the columns the feed and the window need beside it.
/// </summary>
/// <remarks>
/// <para>
/// Each user's calendar has a change sequence: every write takes the next number, which becomes the event's
/// <see cref="CalendarEvent.Version"/>. Taking it locks the user's row in <c>calendar_users</c> until the write commits, so one user's
/// writes commit in sequence order on any number of servers. Ids are <c>local-N</c> (unique per user); a create keeps the given
/// <see cref="CalendarEvent.ICalUId"/> (or assigns a new globally unique one) and <see cref="CalendarEvent.CounterpartId"/>, and sets
/// <see cref="CalendarEvent.LastModified"/> from the clock.
/// </para>
/// <para>
/// <see cref="GetChangesAsync"/> reads in one repeatable-read snapshot. With a null cursor it returns the live events overlapping the
/// window (series masters always) as a full snapshot; with a cursor it returns every event changed since, whatever the window, once, in
/// its latest state, and every event deleted since as a confirmed removal. A cursor is refused with <see cref="CursorExpiredException"/>
/// when it was not made by this calendar, after the contract tests expired it, or when <see cref="PruneTombstonesAsync"/> removed
/// deletions it has not seen.
/// </para>
/// <para>The <c>…ByUserAsync</c> methods stand for a person using the host application; their changes show up in the next change feed.</para>
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the database.</threadsafety>
public sealed class PostgreSqlCalendarStore : ICalendarStore
{
    private const string CursorPrefix = "postgresql-local";
    private const string EventColumns = "event_id, version, document::text";
    private readonly PostgreSqlDatabase _database;
    private readonly IClock _clock;

    /// <summary>Creates a store that reads the system clock.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public PostgreSqlCalendarStore(PostgreSqlStoreOptions options)
        : this(options, SystemClock.Instance)
    {
    }

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="clock">The clock that stamps <see cref="CalendarEvent.LastModified"/> and deletions.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public PostgreSqlCalendarStore(PostgreSqlStoreOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _database = PostgreSqlDatabase.FromOptions(options);
        _clock = clock;
    }

    /// <inheritdoc />
    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        return _database.InTransactionAsync(
            IsolationLevel.RepeatableRead,
            (connection, transaction) => cursor is null
                ? ReadSnapshotAsync(connection, transaction, userId, window, cancellationToken)
                : ReadChangesAsync(connection, transaction, userId, cursor, cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindLiveAsync(connection, null, userId, eventId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(create);
        return CreateCoreAsync(userId, create.Event, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The events are written in one transaction; when an insert fails, each is created in a transaction of its own. When the
    /// commit itself fails, each create answers <see cref="WriteStatus.TransientFailure"/>.
    /// </remarks>
    public async Task<IReadOnlyList<EventWriteResult>> CreateManyAsync(string userId, IReadOnlyList<EventCreate> creates, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(creates);
        EventCreate[] writes = [.. creates.Select((c, i) => c ?? throw new ArgumentException($"Create {i} is null.", nameof(creates)))];
        if (writes.Length == 0)
        {
            return [];
        }

        bool inserted = false;
        try
        {
            return await _database.InTransactionAsync(
                IsolationLevel.ReadCommitted,
                async (connection, transaction) =>
                {
                    EventWriteResult[] stored = await CreateAllInAsync(connection, transaction, userId, writes, cancellationToken).ConfigureAwait(false);
                    inserted = true;
                    return stored;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && inserted)
        {
            // Every insert succeeded and the commit failed: the server may have committed all the same (the connection was lost
            // while waiting for its reply), so making the events again one by one could create each twice. None is retried here:
            // each is reported transient, and the kept ones carry the stamp of their Outlook event (CounterpartId), which lets a
            // later run link them as it does creates a crash left unjournaled (see PlanExecutor).
            return [.. writes.Select(_ => EventWriteResult.HostUnconfirmed(ex))];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An insert failed, so the transaction was rolled back and nothing was kept: one by one, so that the event the
            // database refused holds back no other.
            var results = new EventWriteResult[writes.Length];
            for (int i = 0; i < writes.Length; i++)
            {
                try
                {
                    results[i] = EventWriteResult.Success(await CreateCoreAsync(userId, writes[i].Event, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception one) when (one is not OperationCanceledException)
                {
                    results[i] = EventWriteResult.HostRefused(one);
                }
            }

            return results;
        }
    }

    /// <inheritdoc />
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    /// <exception cref="EventVersionConflictException"><paramref name="update"/>'s expected version is not the stored one.</exception>
    public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(update);
        string eventId = update.EventId;
        return _database.InTransactionAsync(
            IsolationLevel.ReadCommitted,
            async (connection, transaction) =>
            {
                long sequence = await NextSequenceAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);
                CalendarEvent existing = await FindLiveAsync(connection, transaction, userId, eventId, cancellationToken).ConfigureAwait(false)
                    ?? throw EventNotFoundException.For(eventId);
                if (update.ExpectedVersion is not null && update.ExpectedVersion != existing.Version)
                {
                    throw EventVersionConflictException.For(eventId, update.ExpectedVersion, existing.Version);
                }

                return await ReplaceAsync(connection, transaction, userId, eventId, existing.WithFieldsFrom(update.Content, update.Fields), sequence, cancellationToken)
                    .ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    /// <exception cref="EventVersionConflictException"><paramref name="deletion"/>'s expected version is not the stored one.</exception>
    public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(deletion);
        return DeleteCoreAsync(userId, deletion.EventId, deletion.ExpectedVersion, cancellationToken);
    }

    /// <summary>Adds an event as the host's user would; it shows up in the change feed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="newEvent">The event; id and version are assigned, the iCalUId kept or assigned.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored event.</returns>
    public Task<CalendarEvent> AddByUserAsync(string userId, CalendarEvent newEvent, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(newEvent);
        return CreateCoreAsync(userId, newEvent, cancellationToken);
    }

    /// <summary>Changes an event as the host's user would: the result of <paramref name="change"/> is stored with a new version.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="eventId">The event's id.</param>
    /// <param name="change">Returns the changed event (for example <c>e =&gt; e with { Subject = "new" }</c>); may run more than once.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored event.</returns>
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    public async Task<CalendarEvent> UpdateByUserAsync(string userId, string eventId, Func<CalendarEvent, CalendarEvent> change, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            // The change is the caller's code: run it outside the transaction, and start again if the event moved on meanwhile.
            CalendarEvent current = await GetAsync(userId, eventId, cancellationToken).ConfigureAwait(false) ?? throw EventNotFoundException.For(eventId);
            CalendarEvent changed = change(current) ?? throw new InvalidOperationException("The change function returned null: return the changed event.");
            CalendarEvent? stored = await _database.InTransactionAsync(
                IsolationLevel.ReadCommitted,
                async (connection, transaction) =>
                {
                    await LockCalendarUserAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);
                    CalendarEvent latest = await FindLiveAsync(connection, transaction, userId, eventId, cancellationToken).ConfigureAwait(false)
                        ?? throw EventNotFoundException.For(eventId);
                    if (latest.Version != current.Version)
                    {
                        return null;
                    }

                    long sequence = await NextSequenceAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);
                    return await ReplaceAsync(connection, transaction, userId, eventId, changed, sequence, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                return stored;
            }
        }
    }

    /// <summary>Deletes an event as the host's user would; the next incremental feed reports it removed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is deleted.</returns>
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    public Task DeleteByUserAsync(string userId, string eventId, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        return DeleteCoreAsync(userId, eventId, expectedVersion: null, cancellationToken);
    }

    /// <summary>Every live event of a user, in creation order.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A snapshot.</returns>
    public async Task<IReadOnlyList<CalendarEvent>> GetAllAsync(string userId, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadEventsAsync(
            connection.Command(null, _database.Sql($"SELECT {EventColumns} FROM {{schema}}.calendar_events WHERE user_id = @user AND NOT is_deleted ORDER BY created_sequence;"), ("user", userId)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes every cursor handed out so far for the user throw <see cref="CursorExpiredException"/> (the host then reads a snapshot).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the cursors are expired.</returns>
    internal async Task ExpireCursorsAsync(string userId, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            null,
            _database.Sql("INSERT INTO {schema}.calendar_users AS u (user_id, generation) VALUES (@user, 1) ON CONFLICT (user_id) DO UPDATE SET generation = u.generation + 1;"),
            cancellationToken,
            ("user", userId)).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the tombstones of events deleted before <paramref name="deletedBefore"/>, for every user. Cursors older than a removed
    /// tombstone then throw <see cref="CursorExpiredException"/>, so a client never misses a deletion.
    /// </summary>
    /// <param name="deletedBefore">Tombstones of deletions before this instant go; keep them longer than the longest gap between two syncs.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many tombstones were removed.</returns>
    public Task<int> PruneTombstonesAsync(Instant deletedBefore, CancellationToken cancellationToken)
        => _database.InTransactionAsync(
            IsolationLevel.ReadCommitted,
            async (connection, transaction) =>
            {
                long cutoff = deletedBefore.ToUnixTimeTicks();
                await connection.ExecuteAsync(
                    transaction,
                    _database.Sql(
                        """
                        UPDATE {schema}.calendar_users u SET pruned_through = GREATEST(u.pruned_through, d.through)
                        FROM (SELECT user_id, max(sequence) AS through FROM {schema}.calendar_events WHERE is_deleted AND deleted_at_ticks < @cutoff GROUP BY user_id) d
                        WHERE u.user_id = d.user_id;
                        """),
                    cancellationToken,
                    ("cutoff", cutoff)).ConfigureAwait(false);
                return await connection.ExecuteAsync(
                    transaction,
                    _database.Sql("DELETE FROM {schema}.calendar_events WHERE is_deleted AND deleted_at_ticks < @cutoff;"),
                    cancellationToken,
                    ("cutoff", cutoff)).ConfigureAwait(false);
            },
            cancellationToken);

    private static void CheckUserId(string userId) => ArgumentException.ThrowIfNullOrWhiteSpace(userId);

    private static string FormatCursor(long generation, long sequence)
        => string.Create(CultureInfo.InvariantCulture, $"{CursorPrefix}:{generation}:{sequence}");

    private static async Task<List<CalendarEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var events = new List<CalendarEvent>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(ReadEvent(reader));
            }

            return events;
        }
    }

    private static CalendarEvent ReadEvent(NpgsqlDataReader reader)
        => CalendarEventJson.Deserialize(reader.GetString(2)) with { Id = reader.GetString(0), Version = reader.GetString(1) };

    private async Task<(long Generation, long LastSequence, long PrunedThrough)> ReadCalendarUserAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = connection.Command(
            transaction, _database.Sql("SELECT generation, last_sequence, pruned_through FROM {schema}.calendar_users WHERE user_id = @user;"), ("user", userId));
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : (0, 0, 0);
    }

    /// <summary>Locks the user's row until the transaction ends, as taking a sequence number does, without taking one.</summary>
    private Task<int> LockCalendarUserAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, CancellationToken cancellationToken)
        => connection.ExecuteAsync(
            transaction, _database.Sql("SELECT 1 FROM {schema}.calendar_users WHERE user_id = @user FOR UPDATE;"), cancellationToken, ("user", userId));

    /// <summary>Takes the user's next sequence number, locking the user's row until the transaction ends.</summary>
    private Task<long> NextSequenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, CancellationToken cancellationToken)
        => connection.ScalarAsync<long>(
            transaction,
            _database.Sql(
                """
                INSERT INTO {schema}.calendar_users AS u (user_id, last_sequence) VALUES (@user, 1)
                ON CONFLICT (user_id) DO UPDATE SET last_sequence = u.last_sequence + 1
                RETURNING last_sequence;
                """),
            cancellationToken,
            ("user", userId));

    private async Task<CalendarEvent?> FindLiveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string userId, string eventId, CancellationToken cancellationToken)
        => (await ReadEventsAsync(
            connection.Command(
                transaction,
                _database.Sql($"SELECT {EventColumns} FROM {{schema}}.calendar_events WHERE user_id = @user AND event_id = @id AND NOT is_deleted;"),
                ("user", userId),
                ("id", eventId)),
            cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    private async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, CalendarEvent stored, long sequence, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = connection.Command(
            transaction,
            _database.Sql(
                """
                INSERT INTO {schema}.calendar_events (user_id, event_id, version, start_ticks, end_ticks, is_series_master, last_modified_ticks, created_sequence, sequence, document)
                VALUES (@user, @id, @version, @start, @end, @master, @modified, @sequence, @sequence, @document)
                ON CONFLICT (user_id, event_id) DO UPDATE SET
                    version = excluded.version, start_ticks = excluded.start_ticks, end_ticks = excluded.end_ticks,
                    is_series_master = excluded.is_series_master, last_modified_ticks = excluded.last_modified_ticks,
                    sequence = excluded.sequence, document = excluded.document, is_deleted = false, deleted_at_ticks = NULL;
                """),
            ("user", userId),
            ("id", stored.Id),
            ("version", stored.Version),
            ("start", stored.Timing.StartInstant.ToUnixTimeTicks()),
            ("end", stored.Timing.EndInstant.ToUnixTimeTicks()),
            ("master", stored.IsSeriesMaster),
            ("sequence", sequence));
        command.Parameters.Add(new NpgsqlParameter("modified", NpgsqlDbType.Bigint) { Value = stored.LastModified is { } modified ? modified.ToUnixTimeTicks() : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("document", NpgsqlDbType.Jsonb) { Value = CalendarEventJson.Serialize(stored) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ChangeFeed> ReadSnapshotAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, Interval window, CancellationToken cancellationToken)
    {
        (long generation, long lastSequence, _) = await ReadCalendarUserAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);

        // The index narrows the rows with a one-tick margin; EventTiming.Overlaps then decides exactly, as every store does.
        long windowStart = window.HasStart ? window.Start.ToUnixTimeTicks() - 1 : long.MinValue;
        long windowEnd = window.HasEnd ? window.End.ToUnixTimeTicks() + 1 : long.MaxValue;
        List<CalendarEvent> candidates = await ReadEventsAsync(
            connection.Command(
                transaction,
                _database.Sql(
                    $$"""
                    SELECT {{EventColumns}} FROM {schema}.calendar_events
                    WHERE user_id = @user AND NOT is_deleted AND (is_series_master OR (start_ticks <= @end AND end_ticks >= @start))
                    ORDER BY created_sequence;
                    """),
                ("user", userId),
                ("start", windowStart),
                ("end", windowEnd)),
            cancellationToken).ConfigureAwait(false);
        CalendarEvent[] snapshot = [.. candidates.Where(e => e.IsSeriesMaster || e.Timing.Overlaps(window))];
        return new ChangeFeed(snapshot, [], FormatCursor(generation, lastSequence), isFullSnapshot: true);
    }

    private async Task<ChangeFeed> ReadChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, string cursor, CancellationToken cancellationToken)
    {
        (long generation, long lastSequence, long prunedThrough) = await ReadCalendarUserAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);
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
        await using (NpgsqlCommand command = connection.Command(
            transaction,
            _database.Sql("SELECT event_id, version, document::text, is_deleted FROM {schema}.calendar_events WHERE user_id = @user AND sequence > @since ORDER BY sequence;"),
            ("user", userId),
            ("since", since)))
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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

    private Task<CalendarEvent> CreateCoreAsync(string userId, CalendarEvent content, CancellationToken cancellationToken)
        => _database.InTransactionAsync(
            IsolationLevel.ReadCommitted,
            (connection, transaction) => CreateInAsync(connection, transaction, userId, content, cancellationToken),
            cancellationToken);

    /// <summary>
    /// Creates the events in two statements, whatever their number: one takes their sequence numbers (locking the user's row as
    /// <see cref="NextSequenceAsync"/> does, so they are the numbers one-by-one creates would take), one inserts every row (the
    /// values go in as arrays).
    /// </summary>
    private async Task<EventWriteResult[]> CreateAllInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, EventCreate[] writes, CancellationToken cancellationToken)
    {
        int count = writes.Length;
        long last = await connection.ScalarAsync<long>(
            transaction,
            _database.Sql(
                """
                INSERT INTO {schema}.calendar_users AS u (user_id, last_sequence) VALUES (@user, @count)
                ON CONFLICT (user_id) DO UPDATE SET last_sequence = u.last_sequence + @count
                RETURNING last_sequence;
                """),
            cancellationToken,
            ("user", userId),
            ("count", (long)count)).ConfigureAwait(false);
        long first = last - count + 1;
        Instant now = _clock.GetCurrentInstant();
        var results = new EventWriteResult[count];
        var ids = new string[count];
        var versions = new string[count];
        var starts = new long[count];
        var ends = new long[count];
        var masters = new bool[count];
        var sequences = new long[count];
        var documents = new string[count];
        for (int i = 0; i < count; i++)
        {
            CalendarEvent stored = NewEvent(writes[i].Event, first + i, now);
            results[i] = EventWriteResult.Success(stored);
            ids[i] = stored.Id!;
            versions[i] = stored.Version!;
            starts[i] = stored.Timing.StartInstant.ToUnixTimeTicks();
            ends[i] = stored.Timing.EndInstant.ToUnixTimeTicks();
            masters[i] = stored.IsSeriesMaster;
            sequences[i] = first + i;
            documents[i] = CalendarEventJson.Serialize(stored);
        }

        await using NpgsqlCommand command = connection.Command(
            transaction,
            _database.Sql(
                """
                INSERT INTO {schema}.calendar_events (user_id, event_id, version, start_ticks, end_ticks, is_series_master, last_modified_ticks, created_sequence, sequence, document)
                SELECT @user, i, v, s, e, m, @modified, q, q, d::jsonb FROM unnest(@ids, @versions, @starts, @ends, @masters, @sequences, @documents) AS t (i, v, s, e, m, q, d)
                ON CONFLICT (user_id, event_id) DO UPDATE SET
                    version = excluded.version, start_ticks = excluded.start_ticks, end_ticks = excluded.end_ticks,
                    is_series_master = excluded.is_series_master, last_modified_ticks = excluded.last_modified_ticks,
                    sequence = excluded.sequence, document = excluded.document, is_deleted = false, deleted_at_ticks = NULL;
                """),
            ("user", userId),
            ("modified", now.ToUnixTimeTicks()));
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
        command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = versions });
        command.Parameters.Add(new NpgsqlParameter("starts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = starts });
        command.Parameters.Add(new NpgsqlParameter("ends", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ends });
        command.Parameters.Add(new NpgsqlParameter("masters", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = masters });
        command.Parameters.Add(new NpgsqlParameter("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = sequences });
        command.Parameters.Add(new NpgsqlParameter("documents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = documents });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return results;
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

    private async Task<CalendarEvent> CreateInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, CalendarEvent content, CancellationToken cancellationToken)
    {
        long sequence = await NextSequenceAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);
        CalendarEvent stored = NewEvent(content, sequence, _clock.GetCurrentInstant());
        await UpsertAsync(connection, transaction, userId, stored, sequence, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private async Task<CalendarEvent> ReplaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, string eventId, CalendarEvent content, long sequence, CancellationToken cancellationToken)
    {
        CalendarEvent stored = content with
        {
            Id = eventId,
            Version = sequence.ToString(CultureInfo.InvariantCulture),
            LastModified = _clock.GetCurrentInstant(),
        };
        await UpsertAsync(connection, transaction, userId, stored, sequence, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private Task<int> DeleteCoreAsync(string userId, string eventId, string? expectedVersion, CancellationToken cancellationToken)
        => _database.InTransactionAsync(
            IsolationLevel.ReadCommitted,
            async (connection, transaction) =>
            {
                long sequence = await NextSequenceAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);
                CalendarEvent existing = await FindLiveAsync(connection, transaction, userId, eventId, cancellationToken).ConfigureAwait(false)
                    ?? throw EventNotFoundException.For(eventId);
                if (expectedVersion is not null && expectedVersion != existing.Version)
                {
                    throw EventVersionConflictException.For(eventId, expectedVersion, existing.Version);
                }

                return await connection.ExecuteAsync(
                    transaction,
                    _database.Sql(
                        """
                        UPDATE {schema}.calendar_events SET is_deleted = true, deleted_at_ticks = @now, sequence = @sequence, document = NULL
                        WHERE user_id = @user AND event_id = @id;
                        """),
                    cancellationToken,
                    ("now", _clock.GetCurrentInstant().ToUnixTimeTicks()),
                    ("sequence", sequence),
                    ("user", userId),
                    ("id", eventId)).ConfigureAwait(false);
            },
            cancellationToken);
}
