using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>
/// Pairs unlinked events of the two sides that are the same event: first by the host id stamped on events this library created
/// (<see cref="CalendarEvent.CounterpartId"/>), then by iCalUId, then as modifications of the same occurrence of a synced
/// series (a series has one modification per occurrence), then by a (subject, start, end) that is unique on both sides.
/// </summary>
/// <remarks>An empty or blank id, stamp or iCalUId is no identity: it never matches anything (Outlook and hosts do send <c>""</c>).</remarks>
internal static class EventMatcher
{
    /// <param name="local">The unlinked host events.</param>
    /// <param name="remote">The unlinked Outlook events.</param>
    /// <param name="links">The links, through which a modified occurrence's series is found on the other side.</param>
    /// <param name="onlyLocal">The host events left unmatched.</param>
    /// <param name="onlyRemote">The Outlook events left unmatched.</param>
    /// <returns>The pairs.</returns>
    public static List<(CalendarEvent Local, CalendarEvent Remote)> Match(
        IReadOnlyList<CalendarEvent> local,
        IReadOnlyList<CalendarEvent> remote,
        LinkCollection links,
        out List<CalendarEvent> onlyLocal,
        out List<CalendarEvent> onlyRemote)
    {
        var pairs = new List<(CalendarEvent, CalendarEvent)>();
        var matchedLocal = new HashSet<string>(StringComparer.Ordinal);
        var matchedRemote = new HashSet<string>(StringComparer.Ordinal);
        if (local.Count > 0 && remote.Count > 0)
        {
            var localById = new Dictionary<string, CalendarEvent>(local.Count, StringComparer.Ordinal);
            foreach (CalendarEvent l in local)
            {
                localById[l.Id!] = l;
            }

            var remoteById = new Dictionary<string, CalendarEvent>(remote.Count, StringComparer.Ordinal);
            foreach (CalendarEvent r in remote)
            {
                remoteById[r.Id!] = r;
            }

            foreach (CalendarEvent r in remote)
            {
                if (Identity(r.CounterpartId) is { } counterpartId && localById.TryGetValue(counterpartId, out CalendarEvent? l))
                {
                    Pair(l, r);
                }
            }

            foreach (CalendarEvent l in local)
            {
                if (Identity(l.CounterpartId) is { } counterpartId && remoteById.TryGetValue(counterpartId, out CalendarEvent? r))
                {
                    Pair(l, r);
                }
            }

            MatchByUniqueKey<string>(e => Identity(e.ICalUId), e => Identity(e.ICalUId));
            MatchByUniqueKey<OccurrenceKey>(
                e => Identity(e.SeriesMasterId) is { } series ? OccurrenceKeyOf(e, links.FindByLocalId(series)) : null,
                e => Identity(e.SeriesMasterId) is { } series ? OccurrenceKeyOf(e, links.FindByRemoteId(series)) : null);
            MatchByUniqueKey<NaturalKey>(NaturalKeyOf, NaturalKeyOf);
        }

        onlyLocal = local.Where(l => !matchedLocal.Contains(l.Id!)).ToList();
        onlyRemote = remote.Where(r => !matchedRemote.Contains(r.Id!)).ToList();
        return pairs;

        void Pair(CalendarEvent l, CalendarEvent r)
        {
            if (!matchedLocal.Contains(l.Id!) && !matchedRemote.Contains(r.Id!))
            {
                matchedLocal.Add(l.Id!);
                matchedRemote.Add(r.Id!);
                pairs.Add((l, r));
            }
        }

        void MatchByUniqueKey<TKey>(Func<CalendarEvent, TKey?> localKeyOf, Func<CalendarEvent, TKey?> remoteKeyOf)
            where TKey : notnull
        {
            Dictionary<TKey, CalendarEvent?> localByKey = UniqueIndex(local, matchedLocal, localKeyOf);
            if (localByKey.Count == 0)
            {
                return;
            }

            Dictionary<TKey, CalendarEvent?> remoteByKey = UniqueIndex(remote, matchedRemote, remoteKeyOf);
            foreach (CalendarEvent r in remote)
            {
                TKey? key = remoteKeyOf(r);
                if (key is not null && !matchedRemote.Contains(r.Id!)
                    && remoteByKey.GetValueOrDefault(key) is not null
                    && localByKey.GetValueOrDefault(key) is { } l)
                {
                    Pair(l, r);
                }
            }
        }
    }

    /// <summary>An id or stamp that can identify an event: null for a missing, empty or blank one.</summary>
    private static string? Identity(string? id) => string.IsNullOrWhiteSpace(id) ? null : id;

    /// <summary>Key → event, with null for keys that more than one event has (those are never matched).</summary>
    private static Dictionary<TKey, CalendarEvent?> UniqueIndex<TKey>(IReadOnlyList<CalendarEvent> events, HashSet<string> matched, Func<CalendarEvent, TKey?> keyOf)
        where TKey : notnull
    {
        var index = new Dictionary<TKey, CalendarEvent?>();
        foreach (CalendarEvent e in events)
        {
            if (matched.Contains(e.Id!) || keyOf(e) is not { } key)
            {
                continue;
            }

            index[key] = index.ContainsKey(key) ? null : e;
        }

        return index;
    }

    /// <summary>
    /// The date the pattern put an occurrence of a series on, from its original start: in the series' zone for a timed series,
    /// in UTC for an all-day one (as <c>SeriesOccurrence.OriginalStart</c> gives it). Deleted occurrences name this date.
    /// </summary>
    public static LocalDate OriginalDate(Instant originalStart, CalendarEvent series, Recurrence rule)
        => series.Timing.IsAllDay ? originalStart.InUtc().Date : originalStart.InZone(TimeZones.Resolve(rule.TimeZoneId, nameof(rule))).Date;

    private static NaturalKey? NaturalKeyOf(CalendarEvent e)
        => e.Subject is null ? null : new NaturalKey(e.Subject, e.Timing.IsAllDay, e.Timing.StartInstant, e.Timing.EndInstant);

    /// <summary>
    /// The occurrence a modified occurrence stands for, by date: a series whose time of day changed on one side still has one
    /// occurrence per date.
    /// </summary>
    private static OccurrenceKey? OccurrenceKeyOf(CalendarEvent e, EventLink? series)
        => e.OriginalStart is { } originalStart && series is { Base: { Recurrence: { } rule } master }
            ? new OccurrenceKey(series.LocalId, OriginalDate(originalStart, master, rule))
            : null;

    private sealed record NaturalKey(string Subject, bool IsAllDay, Instant Start, Instant End);

    /// <summary>An occurrence of a synced series: the series' host id and the occurrence's original date.</summary>
    private sealed record OccurrenceKey(string Series, LocalDate OriginalDate);
}
