using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Calendars;

/// <summary>
/// The host application's calendar of each user: the local side of the sync. Implemented by the host (an in-memory and a
/// SQLite version ship with the library).
/// </summary>
/// <remarks>
/// <para>Contract (checked by <c>CalendarStoreContract</c> in the test suite, which host implementations can run too):</para>
/// <list type="bullet">
/// <item><see cref="GetChangesAsync"/> with a null cursor returns every event overlapping the window as a full snapshot; with a
/// cursor it returns what changed since, including deletions; a cursor it no longer accepts throws
/// <see cref="CursorExpiredException"/>.</item>
/// <item>Every write is conditional: <see cref="UpdateAsync"/> and <see cref="DeleteAsync"/> carry the version that was read and
/// throw <see cref="EventVersionConflictException"/> when the event changed since; a missing event throws
/// <see cref="EventNotFoundException"/>. Each successful write gives the event a new version.</item>
/// <item>Events keep <see cref="CalendarEvent.ICalUId"/> and <see cref="CalendarEvent.CounterpartId"/> when the host can store them:
/// they let a rerun after a crash link events instead of duplicating them.</item>
/// </list>
/// </remarks>
public interface ICalendarStore
{
    /// <summary>Reads what changed for a user since a cursor.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cursor">The cursor from the previous feed, or null for a full snapshot.</param>
    /// <param name="window">The sync window; events outside it may be left out of a snapshot.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The feed.</returns>
    Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken);

    /// <summary>Reads one event.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The event, or null when it does not exist.</returns>
    Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken);

    /// <summary>Creates an event.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="create">The write; its event's id and version are ignored.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored event with its new id and version.</returns>
    Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken);

    /// <summary>Creates several events; the engine hands over the host creates of a run (a first sync's above all) in chunks.</summary>
    /// <remarks>
    /// Each create succeeds or fails on its own, as with <see cref="CreateAsync"/>: a create the store refuses is a failed result
    /// (retried next run) and the others are made. This default calls <see cref="CreateAsync"/> for each, which suits any store;
    /// a database store overrides it to write a chunk in one transaction (the SQLite and PostgreSQL stores do, and create the
    /// chunk's events one by one when that transaction fails, so that one bad event holds back no other). An override that throws
    /// must have made none of the creates: the engine then makes them one by one with <see cref="CreateAsync"/>.
    /// </remarks>
    /// <param name="userId">The host's user id.</param>
    /// <param name="creates">The writes; their events' ids and versions are ignored.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>
    /// One result per create, in the order of <paramref name="creates"/>: the stored event with its new id and version, or a
    /// <see cref="WriteStatus.TransientFailure"/> saying why the store refused it.
    /// </returns>
    async Task<IReadOnlyList<EventWriteResult>> CreateManyAsync(string userId, IReadOnlyList<EventCreate> creates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(creates);
        var results = new EventWriteResult[creates.Count];
        for (int i = 0; i < creates.Count; i++)
        {
            try
            {
                results[i] = EventWriteResult.Success(await CreateAsync(userId, creates[i], cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results[i] = EventWriteResult.HostRefused(ex);
            }
        }

        return results;
    }

    /// <summary>Changes some fields of an event, if it still has the version that was read.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="update">
    /// The write: the event's id, the version that was read (null to update whatever the version), the fields to write and their new
    /// values; the other fields are left as they are.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored event with its new version.</returns>
    Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken);

    /// <summary>Deletes an event, if it still has the version that was read.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="deletion">The write: the event's id and the version that was read (null to delete whatever the version).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is deleted.</returns>
    Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken);
}
