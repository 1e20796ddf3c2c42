using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Calendars;

/// <summary>
/// A user's main Outlook calendar: the remote side of the sync. Implemented over Microsoft Graph by the library, and in memory by
/// <c>OutlookCalendarSync.Testing</c>.
/// </summary>
/// <remarks>
/// <para>
/// Reads: <see cref="GetChangesAsync(string, string?, Interval, CancellationToken)"/> is Graph's calendar-view delta (a null cursor is a full listing of the window; a delta
/// link it no longer accepts throws <see cref="CursorExpiredException"/>). Removals are reported unconfirmed, since Graph also
/// reports an event moved out of the window (or to another calendar of the mailbox) as removed: the engine confirms with
/// <see cref="GetManyAsync"/> before deleting locally.
/// </para>
/// <para>
/// Writes come in batches (Graph's JSON <c>$batch</c>): each write succeeds or fails alone, and the result list has one entry per
/// write, in order. One call may carry up to four batches' worth of writes, which the Graph adapter overlaps. An exception from <see cref="WriteAsync"/> means the whole batch could not be sent.
/// </para>
/// </remarks>
public interface IOutlookCalendar
{
    /// <summary>Reads what changed in the user's calendar since a cursor.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cursor">The cursor (delta link) from the previous feed, or null for a full listing.</param>
    /// <param name="window">The window the feed covers.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The feed.</returns>
    Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken);

    /// <summary>
    /// Reads what changed in the user's calendar since a cursor, told which of the events it reports the engine has linked
    /// already, so that it need not read what the engine knows.
    /// </summary>
    /// <remarks>
    /// Delta pages carry no extended properties, so the Graph adapter reads the library's stamps (the host id, a host's
    /// online-meeting URL) of the events a round reports where they can matter: for an event <paramref name="linked"/> knows it
    /// takes them from there, and it reads those of events the engine has not linked (an event whose create answer was lost is
    /// one of them) only when <see cref="LinkedEventLookup.StampsOfUnlinkedMatter"/>. This default ignores
    /// <paramref name="linked"/> and calls the overload without it, which suits a calendar whose feed carries everything (a feed
    /// that reports every stamp is right whatever the look-up says).
    /// </remarks>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cursor">The cursor (delta link) from the previous feed, or null for a full listing.</param>
    /// <param name="window">The window the feed covers.</param>
    /// <param name="linked">Looks up the Outlook events the engine has linked (it may be called once per page), and says whether the stamps of the others matter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The feed.</returns>
    Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken)
        => GetChangesAsync(userId, cursor, window, cancellationToken);

    /// <summary>Reads one event by id.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="eventId">The Outlook event id.</param>
    /// <param name="window">
    /// The window the engine syncs: a series master is read with the occurrences deleted from it up to the window's end (the
    /// engine ignores a series' occurrences after it).
    /// </param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The event, or null when it does not exist.</returns>
    Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken);

    /// <summary>
    /// Reads several events by id, as the engine confirms Outlook's removals: null for an event that no longer exists or is no
    /// longer in the synced calendar (moved to another calendar of the mailbox).
    /// </summary>
    /// <remarks>
    /// The Graph adapter reads them 20 per <c>$batch</c>. This default reads them one by one with <see cref="GetAsync"/>, which
    /// suits a calendar where a read costs little.
    /// </remarks>
    /// <param name="userId">The host's user id.</param>
    /// <param name="eventIds">The Outlook event ids.</param>
    /// <param name="window">The window the engine syncs, as for <see cref="GetAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One entry per id, in the order of <paramref name="eventIds"/>.</returns>
    async Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var found = new CalendarEvent?[eventIds.Count];
        for (int i = 0; i < eventIds.Count; i++)
        {
            found[i] = await GetAsync(userId, eventIds[i], window, cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Makes a batch of conditional writes.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="writes">The writes; the implementation splits them as the service requires.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>One result per write, in the order of <paramref name="writes"/>.</returns>
    Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken);
}
