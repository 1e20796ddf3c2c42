using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Recurrences;
using OutlookCalendarSync.Reporting;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>Recurring series: reading masters with their deleted occurrences, writing exceptions and deleted occurrences.</summary>
/// <remarks>
/// <para>
/// Calendar-view delta reports a series through its master, its occurrences (stripped to ids and times) and its exceptions;
/// it says nothing about deleted occurrences. A series with anything in an incremental delta round is read once: its master,
/// and one listing of its instances from the series' start to the window's end, whose missing occurrences are the deleted ones.
/// A series with nothing in the round is not read at all.
/// </para>
/// <para>
/// A full round (a first sync or a full resync) needs no listing for most series: its pages are the calendar view of the window,
/// every occurrence and exception overlapping it (Graph documents that delta returns occurrences with their start and end, and
/// keeps a series on one page), so the occurrences of a series that starts inside the window are all there, and those missing are
/// deleted. Listing <c>calendarView</c> again would read the same items twice. Two cases still list the series' instances: a
/// series that starts before the window (occurrences deleted before it are in no page of the round, and a series compared
/// without them would look changed), and a series whose first or last occurrence in the window is missing (it may be an
/// exception moved outside the window rather than a deleted occurrence; Outlook refuses to move any other occurrence past its
/// neighbours, so an occurrence missing between two present ones is deleted).
/// </para>
/// <para>
/// Writes: a master is created or patched like any event, with its pattern and range; its deleted occurrences become DELETEs
/// of those instances. An exception is created by patching the instance with that original start, and is updated or deleted
/// by its id.
/// </para>
/// </remarks>
internal sealed partial class GraphOutlookCalendar
{
    private const int InstancesPageSize = 1000;
    private static readonly string[] InstanceFields = ["id", "type", "originalStart", "start", "end", "seriesMasterId"];

    /// <summary>Reads the series a delta round touched: each master once, with one listing of its instances.</summary>
    private async Task ReadSeriesAsync(
        GraphServiceClient client,
        string userId,
        IReadOnlyDictionary<string, G.Event?> touchedSeries,
        IReadOnlyDictionary<string, G.Event> exceptions,
        Interval window,
        Dictionary<string, HashSet<Instant>>? windowOccurrences,
        Dictionary<string, CalendarEvent> changed,
        Dictionary<string, EventRemoval> removed,
        Dictionary<string, SyncNote> notes,
        CancellationToken cancellationToken)
    {
        foreach ((string masterId, G.Event? fromDelta) in touchedSeries)
        {
            if (removed.ContainsKey(masterId))
            {
                continue;
            }

            G.Event? master = IsFullMaster(fromDelta) ? fromDelta : await GetRawAsync(client, masterId, cancellationToken).ConfigureAwait(false);
            if (master is null)
            {
                removed[masterId] = new EventRemoval(masterId, IsConfirmedDeletion: true);
                continue;
            }

            WindowInstances? fromRound = windowOccurrences is null ? null : new WindowInstances(window, InstancesInRound(masterId, windowOccurrences, exceptions));
            (CalendarEvent? series, string? problem) = await ReadMasterAsync(client, userId, master, window.End, cancellationToken, fromRound).ConfigureAwait(false);
            if (series is null)
            {
                notes[masterId] = new SyncNote(SyncSide.Outlook, masterId, master.Subject, problem!, willRetry: false);
                continue;
            }

            notes.Remove(masterId);
            changed[masterId] = series;
        }

        foreach ((string id, G.Event exception) in exceptions)
        {
            if (exception.SeriesMasterId is { } masterId && notes.TryGetValue(masterId, out SyncNote? masterNote))
            {
                notes[id] = new SyncNote(SyncSide.Outlook, id, exception.Subject, "its series cannot be synced: " + masterNote.Reason, willRetry: false);
                continue;
            }

            (CalendarEvent? mapped, string? problem) = await ToModelAsync(client, userId, exception, [], cancellationToken).ConfigureAwait(false);
            if (mapped is null)
            {
                notes[id] = new SyncNote(SyncSide.Outlook, id, exception.Subject, problem!, willRetry: false);
            }
            else
            {
                changed[id] = mapped;
            }
        }
    }

    /// <summary>The original starts of a series' occurrences and exceptions a full delta round listed.</summary>
    private static HashSet<Instant> InstancesInRound(string masterId, Dictionary<string, HashSet<Instant>> windowOccurrences, IReadOnlyDictionary<string, G.Event> exceptions)
    {
        var present = windowOccurrences.TryGetValue(masterId, out HashSet<Instant>? occurrences) ? new HashSet<Instant>(occurrences) : [];
        foreach (G.Event exception in exceptions.Values)
        {
            if (exception.SeriesMasterId == masterId && exception.OriginalStart is { } original)
            {
                present.Add(Instant.FromDateTimeOffset(original));
            }
        }

        return present;
    }

    /// <summary>Whether a master from a delta page is complete enough to be read as it is (else it is read by id).</summary>
    private static bool IsFullMaster(G.Event? fromDelta) => fromDelta is { Recurrence: not null, Start: not null, End: not null };

    /// <summary>
    /// Reads a series master with the occurrences deleted from it up to <paramref name="until"/>: from the instances a full delta
    /// round listed when they tell (see the remarks of this class), else from a listing of the series' instances.
    /// </summary>
    private async Task<(CalendarEvent? Series, string? Problem)> ReadMasterAsync(GraphServiceClient client, string userId, G.Event master, Instant until, CancellationToken cancellationToken, WindowInstances? fromRound = null)
    {
        (CalendarEvent? pattern, string? problem) = await ToModelAsync(client, userId, master, [], cancellationToken).ConfigureAwait(false);
        if (pattern?.Recurrence is not { } rule)
        {
            return (null, problem ?? "a series master without a recurrence");
        }

        Interval listed = ListingRange(rule, pattern.Timing, until);
        DateTimeZone zone = DateTimeZoneProviders.Tzdb[rule.TimeZoneId];
        List<SeriesOccurrence> expected = [.. RecurrenceExpander.Expand(rule, pattern.Timing, listed)];
        if (fromRound is { } round && listed.Start >= round.Window.Start && listed.End <= round.Window.End)
        {
            List<SeriesOccurrence> missing = Missing(expected, round.Present, zone);
            if (missing.Count == 0 || (missing[0] != expected[0] && missing[^1] != expected[^1]))
            {
                return (pattern with { Recurrence = rule.WithDeletedOccurrences(missing.Select(o => o.OriginalDate)) }, null);
            }
        }

        var present = new HashSet<Instant>();
        await foreach (G.Event instance in ListInstancesAsync(client, master.Id!, listed, cancellationToken).ConfigureAwait(false))
        {
            if (instance.OriginalStart is { } original)
            {
                present.Add(Instant.FromDateTimeOffset(original));
            }
        }

        return (pattern with { Recurrence = rule.WithDeletedOccurrences(Missing(expected, present, zone).Select(o => o.OriginalDate)) }, null);
    }

    /// <summary>The expected occurrences with no instance at their original start (nor on their original date).</summary>
    private static List<SeriesOccurrence> Missing(List<SeriesOccurrence> expected, HashSet<Instant> present, DateTimeZone zone)
    {
        var presentDates = new HashSet<LocalDate>(present.Select(at => at.InZone(zone).Date));
        return [.. expected.Where(o => !present.Contains(o.OriginalStart) && !presentDates.Contains(o.OriginalDate))];
    }

    /// <summary>The window a full delta round covered and the original starts of a series' instances it listed.</summary>
    private readonly record struct WindowInstances(Interval Window, HashSet<Instant> Present);

    /// <summary>From the series' first day to the earlier of its end and <paramref name="until"/>, with a day to spare each side.</summary>
    private static Interval ListingRange(Recurrence rule, EventTiming masterTiming, Instant until)
    {
        DateTimeZone zone = DateTimeZoneProviders.Tzdb[rule.TimeZoneId];
        Instant start = rule.StartDate.PlusDays(-1).AtStartOfDayInZone(zone).ToInstant();
        if (masterTiming.StartInstant < start)
        {
            start = masterTiming.StartInstant;
        }

        LocalDate? last = rule.EndDate;
        if (rule.NumberOfOccurrences is { } count)
        {
            last = RecurrenceExpander.OccurrenceDates(rule.WithDeletedOccurrences([])).Take(count).LastOrDefault();
        }

        Instant end = until;
        if (last is { } lastDate)
        {
            Instant seriesEnd = lastDate.PlusDays(2).AtStartOfDayInZone(zone).ToInstant() + (masterTiming.EndInstant - masterTiming.StartInstant);
            end = seriesEnd < end ? seriesEnd : end;
        }

        return new Interval(start, end > start ? end : start);
    }

    private async IAsyncEnumerable<G.Event> ListInstancesAsync(GraphServiceClient client, string masterId, Interval range, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            G.EventCollectionResponse? page;
            try
            {
                page = next is null
                    ? await client.Me.Events[masterId].Instances.GetAsync(
                        c =>
                        {
                            c.Headers.Add("Prefer", PreferOnEveryRequest);
                            c.QueryParameters.StartDateTime = QueryInstant.Format(range.Start);
                            c.QueryParameters.EndDateTime = QueryInstant.Format(range.End);
                            c.QueryParameters.Select = InstanceFields;
                            c.QueryParameters.Top = InstancesPageSize;
                        },
                        cancellationToken).ConfigureAwait(false)
                    : await client.Me.Events[masterId].Instances.WithUrl(next).GetAsync(c => c.Headers.Add("Prefer", PreferOnEveryRequest), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(ex, "list the occurrences of a series", cancellationToken) is { } translated)
            {
                throw translated;
            }

            foreach (G.Event instance in page?.Value ?? [])
            {
                yield return instance;
            }

            next = page?.OdataNextLink;
        }
        while (next is not null);
    }

    private async Task<G.Event?> GetRawAsync(GraphServiceClient client, string eventId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Me.Events[eventId].GetAsync(
                c =>
                {
                    c.Headers.Add("Prefer", PreferOnEveryRequest);
                    c.QueryParameters.Expand = [GraphEventMapper.ExpandHostId];
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (Translate(ex, "read an event", cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Builds the request of a write that involves a series: an exception's creation becomes a PATCH of the instance with that
    /// original start; a master's update sends its pattern only when the pattern or range changed (sending it again would make
    /// Outlook rebuild the series and drop its exceptions).
    /// </summary>
    private async Task<RequestInformation?> ToSeriesRequestAsync(GraphServiceClient client, string userId, EventWrite write, CancellationToken cancellationToken)
    {
        if (write is EventCreate { Event: { SeriesMasterId: { } masterId } exception })
        {
            if (exception.OriginalStart is not { } originalStart)
            {
                throw new GraphMappingException($"The modified occurrence '{exception.Subject}' has no original start, so Outlook cannot tell which occurrence it is.");
            }

            string instanceId = await FindInstanceAsync(client, masterId, originalStart, cancellationToken).ConfigureAwait(false)
                ?? throw new WriteRefusedException(WriteStatus.NotFound, $"The series in Outlook has no occurrence starting at {originalStart}: it was deleted or the series changed; the modified occurrence '{exception.Subject}' is not written.");
            G.Event patch = GraphEventMapper.ToGraph(exception, EventFields.All & ~EventFields.Recurrence & ~EventFields.OriginalStart);
            if (!string.IsNullOrWhiteSpace(exception.CounterpartId) && exception.CounterpartId is { } hostId)
            {
                patch.SingleValueExtendedProperties = [.. patch.SingleValueExtendedProperties ?? [], new G.SingleValueLegacyExtendedProperty { Id = GraphEventMapper.HostIdPropertyId, Value = hostId }];
            }

            return client.Me.Events[instanceId].ToPatchRequestInformation(patch, c => c.Headers.Add("Prefer", PreferOnEveryRequest));
        }

        if (write is EventUpdate { Content: var content } update)
        {
            EventFields fields = update.Fields;
            if (content.IsSeriesException && fields.HasFlag(EventFields.OriginalStart))
            {
                fields &= ~EventFields.OriginalStart;
                if (fields == EventFields.None)
                {
                    throw new GraphMappingException($"Outlook cannot make the modified occurrence '{content.Subject}' stand for another occurrence of its series.");
                }
            }

            if (fields.HasFlag(EventFields.Recurrence) && content.Recurrence is { } rule)
            {
                G.Event? current = await GetRawAsync(client, update.EventId, cancellationToken).ConfigureAwait(false)
                    ?? throw new WriteRefusedException(WriteStatus.NotFound, $"The Outlook series {update.EventId} does not exist.");
                (CalendarEvent? currentSeries, _) = await ToModelAsync(client, userId, current, [], cancellationToken).ConfigureAwait(false);
                if (currentSeries?.Recurrence is { } currentRule
                    && currentRule.HasSamePatternAs(rule))
                {
                    fields &= ~EventFields.Recurrence;
                }
            }

            if (fields != update.Fields)
            {
                if (fields == EventFields.None)
                {
                    // Only deleted occurrences changed: no PATCH, a read gives the result and the deletions follow.
                    return client.Me.Events[update.EventId].ToGetRequestInformation(c =>
                    {
                        c.Headers.Add("Prefer", PreferOnEveryRequest);
                        c.QueryParameters.Expand = [GraphEventMapper.ExpandHostId];
                    });
                }

                G.Event patch = GraphEventMapper.ToGraph(content, fields);
                return client.Me.Events[update.EventId].ToPatchRequestInformation(patch, c => Conditional(c.Headers, update.ExpectedVersion));
            }
        }

        return null;
    }

    /// <summary>Deletes the instances of a written series whose dates the rule lists as deleted; returns the series' new version.</summary>
    private async Task<EventWriteResult> ApplyDeletedOccurrencesAsync(GraphServiceClient client, EventWriteResult written, Recurrence rule, CancellationToken cancellationToken)
    {
        if (written.Event is not { Id: { } masterId } series || rule.DeletedOccurrences.Count == 0)
        {
            return written;
        }

        DateTimeZone zone = DateTimeZoneProviders.Tzdb[rule.TimeZoneId];
        var wanted = new HashSet<LocalDate>(rule.DeletedOccurrences);
        var range = new Interval(
            rule.DeletedOccurrences[0].PlusDays(-1).AtStartOfDayInZone(zone).ToInstant(),
            rule.DeletedOccurrences[^1].PlusDays(2).AtStartOfDayInZone(zone).ToInstant() + (series.Timing.EndInstant - series.Timing.StartInstant));
        var doomed = new List<string>();
        await foreach (G.Event instance in ListInstancesAsync(client, masterId, range, cancellationToken).ConfigureAwait(false))
        {
            if (instance is { Id: { } id, OriginalStart: { } original } && wanted.Contains(Instant.FromDateTimeOffset(original).InZone(zone).Date))
            {
                doomed.Add(id);
            }
        }

        foreach (string id in doomed)
        {
            try
            {
                await client.Me.Events[id].DeleteAsync(c => c.Headers.Add("Prefer", PreferOnEveryRequest), cancellationToken).ConfigureAwait(false);
            }
            catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
            {
                // Already deleted: what was wanted.
            }
            catch (Exception ex) when (Translate(ex, "delete an occurrence of a series", cancellationToken) is { } translated)
            {
                return EventWriteResult.Failure(WriteStatus.TransientFailure, $"The series was written but deleting its occurrence {id} failed; it is retried next run. {translated.Message}");
            }
        }

        if (doomed.Count == 0)
        {
            return written;
        }

        G.Event? fresh = await GetRawAsync(client, masterId, cancellationToken).ConfigureAwait(false);
        return fresh?.ChangeKey is { } changeKey ? EventWriteResult.Success(series with { Version = changeKey }) : written;
    }

    private async Task<string?> FindInstanceAsync(GraphServiceClient client, string masterId, Instant originalStart, CancellationToken cancellationToken)
    {
        G.EventCollectionResponse? page;
        try
        {
            page = await client.Me.Events[masterId].Instances.GetAsync(
                c =>
                {
                    c.Headers.Add("Prefer", PreferOnEveryRequest);
                    c.QueryParameters.StartDateTime = QueryInstant.Format(originalStart - Duration.FromDays(1));
                    c.QueryParameters.EndDateTime = QueryInstant.Format(originalStart + Duration.FromDays(2));
                    c.QueryParameters.Select = InstanceFields;
                    c.QueryParameters.Top = InstancesPageSize;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            throw new WriteRefusedException(WriteStatus.NotFound, $"The Outlook series {masterId} does not exist.");
        }
        catch (Exception ex) when (Translate(ex, "find an occurrence of a series", cancellationToken) is { } translated)
        {
            throw new WriteRefusedException(WriteStatus.TransientFailure, translated.Message);
        }

        return page?.Value?.FirstOrDefault(i => i.OriginalStart is { } o && Instant.FromDateTimeOffset(o) == originalStart)?.Id;
    }

    /// <summary>A write refused before it is sent, with the status it ends in.</summary>
    private sealed class WriteRefusedException(WriteStatus status, string message) : Exception(message)
    {
        public WriteStatus Status { get; } = status;
    }
}
