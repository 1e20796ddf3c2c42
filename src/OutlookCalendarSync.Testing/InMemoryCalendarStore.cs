using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing.Internal;

namespace OutlookCalendarSync.Testing;

/// <summary>
/// An in-memory <see cref="ICalendarStore"/>: a host application's calendar with a true change feed (soft deletes), conditional
/// writes, user actions for tests, fault injection and call counters.
/// </summary>
/// <remarks>
/// <para>
/// Ids are <c>local-1</c>, <c>local-2</c>, …; every successful write gives the event a new <see cref="CalendarEvent.Version"/>
/// (<c>1</c>, <c>2</c>, …) and sets <see cref="CalendarEvent.LastModified"/> from the clock. A create keeps the given
/// <see cref="CalendarEvent.ICalUId"/> (or assigns <c>uid-local-N</c>) and <see cref="CalendarEvent.CounterpartId"/>.
/// </para>
/// <para>
/// <see cref="GetChangesAsync"/> with a null cursor returns the events overlapping the window (series masters always) as a full
/// snapshot; with a cursor it returns every event changed since — whatever the window — once, in its latest state, and the
/// events deleted since as confirmed removals. <see cref="ExpireCursors"/> makes every cursor handed out so far throw
/// <see cref="CursorExpiredException"/>.
/// </para>
/// <para>
/// The <c>…ByUser</c> methods stand for a person using the host application: they change the calendar without going through
/// the port, so they are not counted, never fail by injection, and show up in the next change feed.
/// </para>
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads.</threadsafety>
public sealed class InMemoryCalendarStore : ICalendarStore
{
    private readonly InMemoryCalendarCore _core;
    private readonly WriteFaults _faults = new();
    private readonly CallCounters _counters = new();

    /// <summary>Creates an empty store that reads the system clock.</summary>
    public InMemoryCalendarStore()
        : this(SystemClock.Instance)
    {
    }

    /// <summary>Creates an empty store.</summary>
    /// <param name="clock">The clock that stamps <see cref="CalendarEvent.LastModified"/>; a <c>FakeClock</c> in tests.</param>
    public InMemoryCalendarStore(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _core = new InMemoryCalendarCore(clock, FeedDialect.HostStore, idPrefix: "local-", versionPrefix: string.Empty, iCalUIdPrefix: "uid-local-", cursorPrefix: "local");
    }

    /// <summary>The number of writes (creates, updates, deletes) received through the port, including failed ones.</summary>
    public int WriteCount => _counters.Writes;

    /// <summary>The number of <see cref="CreateAsync"/> calls received.</summary>
    public int CreateCount => _counters.Creates;

    /// <summary>The number of <see cref="UpdateAsync"/> calls received.</summary>
    public int UpdateCount => _counters.Updates;

    /// <summary>The number of <see cref="DeleteAsync"/> calls received.</summary>
    public int DeleteCount => _counters.Deletes;

    /// <summary>The number of reads (<see cref="GetChangesAsync"/> and <see cref="GetAsync"/> calls) received.</summary>
    public int ReadCount => _counters.Reads;

    /// <inheritdoc />
    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        cancellationToken.ThrowIfCancellationRequested();
        _counters.RecordRead();
        return Task.FromResult(_core.GetChanges(userId, cursor, window));
    }

    /// <inheritdoc />
    public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        _counters.RecordRead();
        return Task.FromResult(_core.Find(userId, eventId));
    }

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException">A crash simulated by <see cref="CrashAfterWrites"/>.</exception>
    /// <exception cref="IOException">A transient failure injected by <see cref="FailNextWrites"/>.</exception>
    public Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(create);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(userId, create, null, () => _core.Create(userId, create.Event, keepICalUId: true, dedupeByCounterpartId: false))!);
    }

    /// <inheritdoc />
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    /// <exception cref="EventVersionConflictException"><paramref name="update"/>'s expected version is not the stored one.</exception>
    /// <exception cref="OperationCanceledException">A crash simulated by <see cref="CrashAfterWrites"/>.</exception>
    /// <exception cref="IOException">A transient failure injected by <see cref="FailNextWrites"/>.</exception>
    public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(update);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(userId, update, update.EventId, () => _core.Update(userId, update.EventId, update.ExpectedVersion, update.Content, update.Fields))!);
    }

    /// <inheritdoc />
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    /// <exception cref="EventVersionConflictException"><paramref name="deletion"/>'s expected version is not the stored one.</exception>
    /// <exception cref="OperationCanceledException">A crash simulated by <see cref="CrashAfterWrites"/>.</exception>
    /// <exception cref="IOException">A transient failure injected by <see cref="FailNextWrites"/>.</exception>
    public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(deletion);
        cancellationToken.ThrowIfCancellationRequested();
        Run(userId, deletion, deletion.EventId, () => _core.Delete(userId, deletion.EventId, deletion.ExpectedVersion));
        return Task.CompletedTask;
    }

    /// <summary>Adds events as the host's user would (not counted, never failed by injection); they show up in the change feed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="events">The events; ids and versions are assigned, iCalUIds kept or assigned.</param>
    /// <returns>The stored events, in order.</returns>
    public IReadOnlyList<CalendarEvent> Seed(string userId, params CalendarEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Select(e => AddByUser(userId, e)).ToArray();
    }

    /// <summary>Adds an event as the host's user would (not counted, never failed by injection); it shows up in the change feed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="newEvent">The event; id and version are assigned, the iCalUId kept or assigned.</param>
    /// <returns>The stored event.</returns>
    public CalendarEvent AddByUser(string userId, CalendarEvent newEvent)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(newEvent);
        return _core.Create(userId, newEvent, keepICalUId: true, dedupeByCounterpartId: false).Event!;
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
        return _core.ChangeByUser(userId, eventId, change);
    }

    /// <summary>Deletes an event as the host's user would; the next incremental feed reports it removed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="eventId">The event's id.</param>
    /// <exception cref="EventNotFoundException">The event does not exist.</exception>
    public void DeleteByUser(string userId, string eventId)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        _core.DeleteByUser(userId, eventId);
    }

    /// <summary>Every live event of a user, in creation order, without counting a read.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<CalendarEvent> GetAll(string userId)
    {
        CheckUserId(userId);
        return _core.GetAll(userId);
    }

    /// <summary>Makes every cursor handed out so far for the user throw <see cref="CursorExpiredException"/>.</summary>
    /// <param name="userId">The user.</param>
    public void ExpireCursors(string userId)
    {
        CheckUserId(userId);
        _core.ExpireCursors(userId);
    }

    /// <summary>Makes the next writes fail without changing anything.</summary>
    /// <param name="count">How many writes fail.</param>
    /// <param name="status">
    /// The failure: <see cref="WriteStatus.TransientFailure"/> throws <see cref="IOException"/>, <see cref="WriteStatus.PermanentFailure"/>
    /// <see cref="InvalidOperationException"/>, <see cref="WriteStatus.VersionConflict"/> <see cref="EventVersionConflictException"/>,
    /// <see cref="WriteStatus.NotFound"/> <see cref="EventNotFoundException"/>.
    /// </param>
    /// <param name="filter">Which writes may fail (others pass and do not use up <paramref name="count"/>); null for any. Must not call this store.</param>
    public void FailNextWrites(int count, WriteStatus status = WriteStatus.TransientFailure, Func<EventWrite, bool>? filter = null)
        => _faults.FailNext(count, status, filter);

    /// <summary>
    /// Simulates a crash: after <paramref name="successfulWrites"/> more successful writes, every write throws
    /// <see cref="OperationCanceledException"/> ("simulated crash") without changing anything, until <see cref="ClearFaults"/>.
    /// </summary>
    /// <param name="successfulWrites">How many writes still succeed; 0 crashes on the next write.</param>
    public void CrashAfterWrites(int successfulWrites) => _faults.CrashAfter(successfulWrites);

    /// <summary>Removes every injected failure and the crash point.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Sets every call counter back to zero.</summary>
    public void ResetCounters() => _counters.Reset();

    private static void CheckUserId(string userId) => ArgumentException.ThrowIfNullOrWhiteSpace(userId);

    private CalendarEvent? Run(string userId, EventWrite write, string? targetId, Func<WriteOutcome> perform)
    {
        _counters.RecordWrite(write.Kind);
        WriteOutcome outcome = _faults.Run(write, perform);
        string eventId = targetId ?? "(new event)";
        return outcome.Status switch
        {
            WriteStatus.Succeeded => outcome.Event,
            WriteStatus.NotFound => throw EventNotFoundException.For(eventId),
            WriteStatus.VersionConflict => throw EventVersionConflictException.For(eventId, outcome.ExpectedVersion, outcome.ActualVersion),
            WriteStatus.TransientFailure => throw new IOException($"Host store of user '{userId}': {outcome.Message}"),
            _ => throw new InvalidOperationException($"Host store of user '{userId}': {outcome.Message}"),
        };
    }
}
