using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing.Internal;

namespace OutlookCalendarSync.Testing;

/// <summary>
/// An in-memory <see cref="IOutlookCalendar"/> that behaves like Microsoft Graph: change keys, calendar-view delta with
/// unconfirmed removals, conditional batched writes with Graph's error codes, <c>transactionId</c> dedupe of creates, user actions
/// in Outlook for tests, fault injection and call counters.
/// </summary>
/// <remarks>
/// <para>
/// Ids are <c>AAMk-1</c>, <c>AAMk-2</c>, …; every successful write gives the event a new change key (<c>ck-1</c>, <c>ck-2</c>, …) as
/// <see cref="CalendarEvent.Version"/> and sets <see cref="CalendarEvent.LastModified"/> from the clock. Like Graph, a create
/// ignores the iCalUId it is given and assigns <c>uid-remote-N</c>; it keeps <see cref="CalendarEvent.CounterpartId"/> (the
/// extended property), and a create whose counterpart id is already on a live event returns that event instead of a duplicate.
/// </para>
/// <para>
/// <see cref="GetChangesAsync"/> with a null cursor lists the events overlapping the window (series masters always) as a full
/// snapshot. The cursor (delta link) keeps that window, as Graph's delta token does: later feeds use it whatever window they are
/// given. An incremental feed returns the events changed since, once each in their latest state; events deleted since, and
/// events that changed and now lie outside the window, come back as unconfirmed removals (Graph's <c>@removed</c>).
/// </para>
/// <para>
/// Failed writes are results, not exceptions: <see cref="WriteStatus.NotFound"/> (<c>ErrorItemNotFound</c>),
/// <see cref="WriteStatus.VersionConflict"/> (<c>ErrorIrresolvableConflict</c>), and whatever <see cref="FailNextWrites"/> injects.
/// The <c>…ByUser</c> methods stand for a person using Outlook: not counted, never failed by injection, and visible in the feed.
/// </para>
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads.</threadsafety>
public sealed class InMemoryOutlookCalendar : IOutlookCalendar
{
    private readonly InMemoryCalendarCore _core;
    private readonly WriteFaults _faults = new();
    private readonly CallCounters _counters = new();

    /// <summary>Creates an empty calendar that reads the system clock.</summary>
    public InMemoryOutlookCalendar()
        : this(SystemClock.Instance)
    {
    }

    /// <summary>Creates an empty calendar.</summary>
    /// <param name="clock">The clock that stamps <see cref="CalendarEvent.LastModified"/>; a <c>FakeClock</c> in tests.</param>
    public InMemoryOutlookCalendar(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _core = new InMemoryCalendarCore(clock, FeedDialect.GraphDelta, idPrefix: "AAMk-", versionPrefix: "ck-", iCalUIdPrefix: "uid-remote-", cursorPrefix: "delta");
    }

    /// <summary>The number of writes received through <see cref="WriteAsync"/> (each write of a batch counts), including failed ones.</summary>
    public int WriteCount => _counters.Writes;

    /// <summary>The number of create writes received.</summary>
    public int CreateCount => _counters.Creates;

    /// <summary>The number of update writes received.</summary>
    public int UpdateCount => _counters.Updates;

    /// <summary>The number of delete writes received.</summary>
    public int DeleteCount => _counters.Deletes;

    /// <summary>The number of <see cref="WriteAsync"/> calls (batches) received.</summary>
    public int BatchCount => _counters.Batches;

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
    /// <remarks>A series master is returned as stored, with every deleted occurrence its rule holds, whatever the window.</remarks>
    public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        _counters.RecordRead();
        return Task.FromResult(_core.Find(userId, eventId));
    }

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException">
    /// A crash simulated by <see cref="CrashAfterWrites"/>: the writes before the crash point were made, the rest were not.
    /// </exception>
    public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(writes);
        cancellationToken.ThrowIfCancellationRequested();
        _counters.RecordBatch();
        var results = new EventWriteResult[writes.Count];
        for (int i = 0; i < writes.Count; i++)
        {
            EventWrite write = writes[i] ?? throw new ArgumentException($"Write {i} of the batch is null.", nameof(writes));
            _counters.RecordWrite(write.Kind);
            WriteOutcome outcome = _faults.Run(write, () => Apply(userId, write));
            results[i] = outcome.Status == WriteStatus.Succeeded
                ? EventWriteResult.Success(outcome.Event)
                : EventWriteResult.Failure(outcome.Status, outcome.Message ?? outcome.Status.ToString(), outcome.ErrorCode);
        }

        return Task.FromResult<IReadOnlyList<EventWriteResult>>(results);
    }

    /// <summary>Adds events as the mailbox owner would in Outlook (not counted, never failed by injection); they show up in the delta feed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="events">The events; ids and change keys are assigned, iCalUIds kept (an invitation's UID) or assigned.</param>
    /// <returns>The stored events, in order.</returns>
    public IReadOnlyList<CalendarEvent> Seed(string userId, params CalendarEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Select(e => AddByUser(userId, e)).ToArray();
    }

    /// <summary>Adds an event as the mailbox owner would in Outlook (not counted, never failed by injection); it shows up in the delta feed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="newEvent">The event; id and change key are assigned, the iCalUId kept (an invitation's UID) or assigned.</param>
    /// <returns>The stored event.</returns>
    public CalendarEvent AddByUser(string userId, CalendarEvent newEvent)
    {
        CheckUserId(userId);
        ArgumentNullException.ThrowIfNull(newEvent);
        return _core.Create(userId, newEvent, keepICalUId: true, dedupeByCounterpartId: false).Event!;
    }

    /// <summary>Changes an event as the mailbox owner would in Outlook: the result of <paramref name="change"/> is stored with a new change key.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="eventId">The Outlook event id.</param>
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

    /// <summary>Deletes an event as the mailbox owner would in Outlook; the next delta reports it removed.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="eventId">The Outlook event id.</param>
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

    /// <summary>
    /// Makes every delta link handed out so far for the user throw <see cref="CursorExpiredException"/>, as Graph's 410 Gone
    /// (<c>SyncStateNotFound</c>) does.
    /// </summary>
    /// <param name="userId">The user.</param>
    public void ExpireCursors(string userId)
    {
        CheckUserId(userId);
        _core.ExpireCursors(userId);
    }

    /// <summary>Makes the next writes fail without changing anything; each comes back as a failed <see cref="EventWriteResult"/>.</summary>
    /// <param name="count">How many writes fail.</param>
    /// <param name="status">
    /// The failure's status; its error code is Graph's (<c>TooManyRequests</c> for <see cref="WriteStatus.TransientFailure"/>,
    /// <c>ErrorInvalidRequest</c> for <see cref="WriteStatus.PermanentFailure"/>, <c>ErrorIrresolvableConflict</c>,
    /// <c>ErrorItemNotFound</c>).
    /// </param>
    /// <param name="filter">Which writes may fail (others pass and do not use up <paramref name="count"/>); null for any. Must not call this calendar.</param>
    public void FailNextWrites(int count, WriteStatus status = WriteStatus.TransientFailure, Func<EventWrite, bool>? filter = null)
        => _faults.FailNext(count, status, filter);

    /// <summary>
    /// Simulates a crash: after <paramref name="successfulWrites"/> more successful writes, <see cref="WriteAsync"/> throws
    /// <see cref="OperationCanceledException"/> ("simulated crash") at the next write — the earlier writes of that batch stay made —
    /// and every later write throws too, until <see cref="ClearFaults"/>.
    /// </summary>
    /// <param name="successfulWrites">How many writes still succeed; 0 crashes on the next write.</param>
    public void CrashAfterWrites(int successfulWrites) => _faults.CrashAfter(successfulWrites);

    /// <summary>Removes every injected failure and the crash point.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Sets every call counter back to zero.</summary>
    public void ResetCounters() => _counters.Reset();

    private static void CheckUserId(string userId) => ArgumentException.ThrowIfNullOrWhiteSpace(userId);

    private WriteOutcome Apply(string userId, EventWrite write) => write switch
    {
        EventCreate create => _core.Create(userId, create.Event, keepICalUId: false, dedupeByCounterpartId: true),
        EventUpdate update => _core.Update(userId, update.EventId, update.ExpectedVersion, update.Content, update.Fields),
        EventDelete delete => _core.Delete(userId, delete.EventId, delete.ExpectedVersion),
        _ => WriteOutcome.Invalid($"Unknown write '{write}'."),
    };
}
