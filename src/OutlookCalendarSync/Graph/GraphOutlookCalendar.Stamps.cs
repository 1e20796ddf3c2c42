using System.Collections.Concurrent;
using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>What a delta page does not carry: the library's stamps (extended properties) and the mailbox's time zone.</summary>
/// <remarks>
/// <para>
/// <c>calendarView/delta</c> does not support <c>$expand</c> (Microsoft documents it), so a delta page never carries the host id
/// stamped on events this library created, nor a host's online-meeting URL. Without the stamp, an event whose create answer was
/// lost (crash, dropped connection, truncated body) could only be matched by subject and time, which fails when several host
/// events share them, and both sides would double. Stamps are read in <c>$batch</c>es of 20
/// <c>GET /me/events/{id}?$select=id&amp;$expand=singleValueExtendedProperties(...)</c> (one request per 20 events), page by page
/// as the round is read, and only where one can matter:
/// <list type="bullet">
/// <item>an event the engine has linked takes them from its link (<see cref="LinkedEventLookup.FindLinkedAsync"/>): no read;</item>
/// <item>an event the engine has not linked has them read only when <see cref="LinkedEventLookup.StampsOfUnlinkedMatter"/> (the
/// host side of the run has unlinked events a stamp could name, or the run before was interrupted while writing: the lost-create
/// recovery), or when the caller gave no look-up; otherwise it is reported without them, so a pull or a first sync into a host
/// calendar with nothing unlinked makes only the delta pages' requests;</item>
/// <item>an event that already carries its extended properties (should Graph ever expand them in delta) is not read again, so the
/// adapter is right under both readings of the documentation;</item>
/// <item>nor is the echo of an event this adapter created, still at the change key of the create's answer: its stamps are the ones
/// the create wrote (remembered in this process by <see cref="GraphCreatedStamps"/>, a singleton, since each run has an adapter of its
/// own; a run on another server of a farm reads them instead, when they matter).</item>
/// </list>
/// </para>
/// <para>
/// An event created in a zone no time-zone database knows (<see cref="GraphEventMapper.NeedsFallbackZone(G.Event)"/>) is placed in the
/// mailbox's time zone (<c>GET /me/mailboxSettings</c>, read at most once per round and only when such an event is read), or in
/// UTC when the token may not read mailbox settings (403: <c>MailboxSettings.Read</c> not granted) or the mailbox's zone is
/// unknown too.
/// </para>
/// </remarks>
internal sealed partial class GraphOutlookCalendar
{
    private static readonly string[] IdOnly = ["id"];

    /// <summary>Each user's mailbox time zone, read when first needed in a delta round (and for the writes that follow it).</summary>
    private readonly ConcurrentDictionary<string, DateTimeZone> _mailboxZones = new(StringComparer.Ordinal);

    /// <summary>
    /// Gives <paramref name="events"/> their extended properties: remembered from this process's creates, taken from the links
    /// <paramref name="linked"/> knows, or read (only when <paramref name="readsUnlinkedStamps"/>); returns the ids of those found
    /// not to exist any more.
    /// </summary>
    /// <remarks>
    /// An event left unread keeps no extended properties (null): the mapper then reports it without a host-id stamp and with
    /// Outlook's own online-meeting URL, which is what the engine needs of an unlinked event when no stamp can matter to the run
    /// (<see cref="LinkedEventLookup.StampsOfUnlinkedMatter"/>).
    /// </remarks>
    /// <exception cref="ThrottledException">Graph throttled a read for longer than the run may wait.</exception>
    /// <exception cref="OutlookCalendarSyncException">A stamp could not be read: the round cannot be trusted without it.</exception>
    private async Task<IReadOnlyList<string>> ReadStampsAsync(GraphServiceClient client, string userId, IReadOnlyList<GraphEventData> events, LinkedEventLookup? linked, bool readsUnlinkedStamps, CancellationToken cancellationToken)
    {
        var unread = new List<GraphEventData>();
        foreach (GraphEventData item in events.Where(e => e.Id is not null && e.SingleValueExtendedProperties is null))
        {
            if (_created.TryTake(userId, item.Id!, out var created) && created.ChangeKey == item.ChangeKey)
            {
                item.SetStamps(created.Stamps);
            }
            else
            {
                unread.Add(item);
            }
        }

        if (linked is not null && unread.Count > 0)
        {
            unread = await TakeStampsOfLinkedAsync(unread, linked, cancellationToken).ConfigureAwait(false);
        }

        var gone = new List<string>();
        if (!readsUnlinkedStamps)
        {
            return gone;
        }

        foreach (GraphEventData[] chunk in unread.Chunk(MaxBatchSize))
        {
            var batch = new BatchRequestContentCollection(client);
            var eventOfRequest = new Dictionary<HttpRequestMessage, GraphEventData>(ReferenceEqualityComparer.Instance);
            foreach (GraphEventData item in chunk)
            {
                RequestInformation request = client.Me.Events[item.Id].ToGetRequestInformation(c =>
                {
                    c.Headers.Add("Prefer", PreferOnEveryRequest);
                    c.QueryParameters.Select = IdOnly;
                    c.QueryParameters.Expand = [GraphEventMapper.ExpandHostId];
                });
                string stepId = await batch.AddBatchRequestStepAsync(request).ConfigureAwait(false);
                eventOfRequest[batch.BatchRequestSteps[stepId].Request] = item;
            }

            TimeSpan waited = TimeSpan.Zero;
            for (int attempt = 0; ; attempt++)
            {
                Dictionary<string, GraphEventData> eventOfStep = batch.BatchRequestSteps.ToDictionary(s => s.Key, s => eventOfRequest[s.Value.Request], StringComparer.Ordinal);
                BatchResponseContentCollection response;
                try
                {
                    response = await client.Batch.PostAsync(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (Translate(ex, "read the stamps of changed events", cancellationToken) is { } translated)
                {
                    throw translated;
                }

                Dictionary<string, HttpStatusCode> statuses = await response.GetResponsesStatusCodesAsync().ConfigureAwait(false);
                var retry = new Dictionary<string, HttpStatusCode>(StringComparer.Ordinal);
                TimeSpan wait = TimeSpan.Zero;
                foreach ((string stepId, GraphEventData item) in eventOfStep)
                {
                    HttpStatusCode status = statuses.TryGetValue(stepId, out HttpStatusCode given) ? given : HttpStatusCode.ServiceUnavailable;
                    if (status == HttpStatusCode.OK)
                    {
                        G.Event stamps = await response.GetResponseByIdAsync<G.Event>(stepId).ConfigureAwait(false);
                        item.SetStamps(stamps?.SingleValueExtendedProperties ?? []);
                        continue;
                    }

                    if (status == HttpStatusCode.NotFound)
                    {
                        gone.Add(item.Id!);
                        continue;
                    }

                    if (status == HttpStatusCode.Unauthorized)
                    {
                        throw new ReauthorizationRequiredException($"Microsoft Graph refused the user's access token (401) when reading the stamps of changed events: the user must connect their Microsoft account again.");
                    }

                    TimeSpan retryAfter = statuses.ContainsKey(stepId) ? await RetryAfterAsync(response, stepId).ConfigureAwait(false) : _options.DefaultRetryDelay;
                    if (!IsRetryable(status) && statuses.ContainsKey(stepId))
                    {
                        (string? code, string? message, string? requestId) = await ReadErrorAsync(response, stepId).ConfigureAwait(false);
                        throw new OutlookCalendarSyncException($"Microsoft Graph could not read the stamps of the changed event {item.Id} ({(int)status} {code}: {message}{(requestId is null ? string.Empty : $"; request-id {requestId}")}); the run is retried later.");
                    }

                    if (attempt >= _options.MaxThrottleRetries || retryAfter > _options.MaxRetryAfter - waited)
                    {
                        Instant retryAt = Instant.FromDateTimeOffset(_time.GetUtcNow()) + Duration.FromTimeSpan(retryAfter);
                        throw new ThrottledException($"Microsoft Graph asked to wait until {retryAt} before reading the stamps of changed events ({(int)status}); the run stops here and is retried then.", retryAt);
                    }

                    retry[stepId] = status;
                    wait = retryAfter > wait ? retryAfter : wait;
                }

                if (retry.Count == 0)
                {
                    break;
                }

                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    waited += wait;
                }

                batch = batch.NewBatchWithFailedRequests(retry);
            }
        }

        return gone;
    }

    /// <summary>
    /// Gives the events the engine has linked the stamps it knows, and returns the others (whose stamps are read).
    /// </summary>
    /// <remarks>
    /// A linked event needs no host-id stamp: the engine pairs it through its link (the stamp would name the linked host event).
    /// Its online-meeting URL property is written only by this library, so its value is the URL last synced, which the link
    /// holds; the mapper prefers Outlook's own Teams join URL anyway. The one reading this cannot tell: a Teams meeting removed
    /// from a linked event in Outlook whose URL the library never wrote shows the URL last synced until the event's next change
    /// of URL (reading every changed event's properties to cover it would cost one request per 20 changed events).
    /// </remarks>
    private static async Task<List<GraphEventData>> TakeStampsOfLinkedAsync(List<GraphEventData> unread, LinkedEventLookup linked, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, CalendarEvent> known = await linked.FindLinkedAsync([.. unread.Select(e => e.Id!)], cancellationToken).ConfigureAwait(false);
        if (known.Count == 0)
        {
            return unread;
        }

        var rest = new List<GraphEventData>(unread.Count);
        foreach (GraphEventData item in unread)
        {
            if (!known.TryGetValue(item.Id!, out CalendarEvent? synced))
            {
                rest.Add(item);
                continue;
            }

            List<G.SingleValueLegacyExtendedProperty> stamps =
            [
                new() { Id = GraphEventMapper.OnlineMeetingUrlPropertyId, Value = synced.OnlineMeetingUrl?.OriginalString ?? string.Empty },
            ];
            if (!string.IsNullOrWhiteSpace(synced.CounterpartId))
            {
                stamps.Add(new() { Id = GraphEventMapper.HostIdPropertyId, Value = synced.CounterpartId });
            }

            item.SetStamps(stamps);
        }

        return rest;
    }

    /// <summary>Remembers the stamps a create wrote, so that its echo in the next delta round needs no read.</summary>
    private void RememberCreated(string userId, G.Event stored, CalendarEvent? content)
    {
        if (stored.Id is not { } id || stored.ChangeKey is not { } changeKey || content is null)
        {
            return;
        }

        List<G.SingleValueLegacyExtendedProperty> stamps =
        [
            new() { Id = GraphEventMapper.OnlineMeetingUrlPropertyId, Value = content.OnlineMeetingUrl?.OriginalString ?? string.Empty },
        ];
        if (!string.IsNullOrWhiteSpace(content.CounterpartId))
        {
            stamps.Add(new() { Id = GraphEventMapper.HostIdPropertyId, Value = content.CounterpartId });
        }

        _created.Remember(userId, id, changeKey, stamps);
    }

    /// <summary>Maps a Graph event, placing one created in an unknown zone in the mailbox's zone.</summary>
    private Task<(CalendarEvent? Event, string? Problem)> ToModelAsync(GraphServiceClient client, string userId, G.Event source, IEnumerable<LocalDate> deletedOccurrences, CancellationToken cancellationToken)
        => ToModelAsync(client, userId, GraphEventData.From(source), deletedOccurrences, cancellationToken);

    /// <summary>Maps a Graph event's fields, placing one created in an unknown zone in the mailbox's zone.</summary>
    private async Task<(CalendarEvent? Event, string? Problem)> ToModelAsync(GraphServiceClient client, string userId, GraphEventData source, IEnumerable<LocalDate> deletedOccurrences, CancellationToken cancellationToken)
    {
        DateTimeZone? fallbackZone = GraphEventMapper.NeedsFallbackZone(source) ? await MailboxZoneAsync(client, userId, cancellationToken).ConfigureAwait(false) : null;
        CalendarEvent? mapped = GraphEventMapper.ToModel(source, deletedOccurrences, fallbackZone, out string? problem);
        return (mapped, problem);
    }

    private async Task<DateTimeZone> MailboxZoneAsync(GraphServiceClient client, string userId, CancellationToken cancellationToken)
    {
        if (_mailboxZones.TryGetValue(userId, out DateTimeZone? known))
        {
            return known;
        }

        DateTimeZone zone;
        try
        {
            G.MailboxSettings? settings = await client.Me.MailboxSettings.GetAsync(c => c.Headers.Add("Prefer", PreferOnEveryRequest), cancellationToken).ConfigureAwait(false);
            zone = GraphEventMapper.ReadZone(settings?.TimeZone) ?? DateTimeZone.Utc;
        }
        catch (ODataError ex) when (ex.ResponseStatusCode is (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.NotFound)
        {
            // The token may not read mailbox settings (MailboxSettings.Read is not among the scopes the library asks for).
            zone = DateTimeZone.Utc;
        }
        catch (Exception ex) when (Translate(ex, "read the mailbox's time zone", cancellationToken) is { } translated)
        {
            throw translated;
        }

        _mailboxZones[userId] = zone;
        return zone;
    }
}
