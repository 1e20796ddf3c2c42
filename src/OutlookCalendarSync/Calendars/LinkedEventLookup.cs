using NodaTime;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Calendars;

/// <summary>
/// What the engine knows about the Outlook events a feed reports, for
/// <see cref="IOutlookCalendar.GetChangesAsync(string, string?, Interval, LinkedEventLookup, CancellationToken)"/>: which of them it
/// has linked to host events (with the content last synced), and whether the library's stamps on the others can matter to the run.
/// </summary>
/// <remarks>
/// <para>
/// The library stamps the Outlook events it creates with the id of their host event, and writes a host's online-meeting URL to an
/// extended property. On an event the engine has linked, both are known from the link. On an event it has not linked, the host-id
/// stamp can only name a host event the engine has not linked either (a copy whose create answer was lost, or whose link a crash or
/// a reset dropped): the engine then pairs the two, or deletes the copy of a host event deleted since. When the run has no such
/// host event and no interrupted run before it (<see cref="StampsOfUnlinkedMatter"/> false), no stamp can change what it does, and
/// a calendar whose feed does not carry the stamps (Graph's delta pages do not) need not read them.
/// </para>
/// </remarks>
/// <threadsafety>Immutable; the look-up is called by one feed at a time.</threadsafety>
public sealed class LinkedEventLookup
{
    private readonly Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, CalendarEvent>>> _findLinked;

    /// <summary>Creates a look-up.</summary>
    /// <param name="findLinked">
    /// For each id among the Outlook event ids it is given that is linked, the content last synced for it, with
    /// <see cref="CalendarEvent.CounterpartId"/> set to the id of the linked host event; ids not linked are left out.
    /// </param>
    /// <param name="stampsOfUnlinkedMatter">Whether the stamps of events the engine has not linked can change what the run does (see <see cref="StampsOfUnlinkedMatter"/>).</param>
    public LinkedEventLookup(Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, CalendarEvent>>> findLinked, bool stampsOfUnlinkedMatter)
    {
        _findLinked = Guard.NotNull(findLinked);
        StampsOfUnlinkedMatter = stampsOfUnlinkedMatter;
    }

    /// <summary>
    /// True when the library's stamps (the host id, a host's online-meeting URL) on Outlook events the engine has not linked can
    /// change what the run does, so a feed must report them (<see cref="CalendarEvent.CounterpartId"/>,
    /// <see cref="CalendarEvent.OnlineMeetingUrl"/>) even when reading them costs requests.
    /// </summary>
    /// <value>
    /// True when the host side of the run has an event (changed, removed or read again) the engine has not linked, or the run before
    /// stopped while writing. When false, a feed may leave the stamps of unlinked events out: such an event is then new to the
    /// engine, which copies it to the host calendar with Outlook's own online-meeting URL, if any.
    /// </value>
    public bool StampsOfUnlinkedMatter { get; }

    /// <summary>Looks up which of the Outlook events a feed reports the engine has linked.</summary>
    /// <remarks>A feed may call it once per page of events it reads: each call loads only the links of the ids asked about.</remarks>
    /// <param name="outlookEventIds">Outlook event ids the feed reports changed.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>
    /// For each id among <paramref name="outlookEventIds"/> that is linked, the content last synced for it, with
    /// <see cref="CalendarEvent.CounterpartId"/> set to the id of the linked host event; ids not linked are left out.
    /// </returns>
    public Task<IReadOnlyDictionary<string, CalendarEvent>> FindLinkedAsync(IReadOnlyCollection<string> outlookEventIds, CancellationToken cancellationToken)
        => _findLinked(Guard.NotNull(outlookEventIds), cancellationToken);
}
