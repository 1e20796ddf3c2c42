using System.Collections.Concurrent;
using System.Net;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using NodaTime;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>Reads of several events by id in <c>$batch</c>es of 20, telling "deleted" and "moved to another calendar" apart from "still there".</summary>
/// <remarks>
/// <para>
/// Graph's immutable ids survive a move to another calendar of the mailbox, so <c>GET /me/events/{id}</c> still answers 200 for
/// an event the user moved out of the synced (default) calendar. Graph documents <c>GET /me/calendar/events/{id}</c>, but not
/// whether it refuses an event of another calendar (Exchange may resolve the id whatever the path says), so the adapter does
/// not rely on the path: for every event that still exists it reads the event's calendar (<c>GET /me/events/{id}/calendar</c>)
/// and compares it with the default calendar's id (<c>GET /me/calendar</c>, read once per run), in one more batch. That is right
/// whichever way Graph treats the path. If Graph refuses the calendar read with anything but 404, the event is kept as still
/// in the synced calendar (what the library did before), never taken for deleted.
/// </para>
/// </remarks>
internal sealed partial class GraphOutlookCalendar
{
    private const string DefaultCalendarStep = "calendar";
    private static readonly string[] CalendarIdOnly = ["id"];

    /// <summary>The id of each user's default calendar, read once per run (the adapter lives for one run).</summary>
    private readonly ConcurrentDictionary<string, string> _defaultCalendars = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads events by id, 20 per <c>$batch</c>: null for an event that no longer exists or is no longer in the synced calendar
    /// (moved to another calendar of the mailbox), else the event as <see cref="GetAsync"/> reads it.
    /// </summary>
    public async Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken)
    {
        Guard.UserId(userId);
        Guard.NotNull(eventIds);
        var found = new CalendarEvent?[eventIds.Count];
        if (eventIds.Count == 0)
        {
            return found;
        }

        GraphServiceClient client = await CreateClientAsync(userId, cancellationToken).ConfigureAwait(false);
        string[] ids = [.. eventIds.Distinct(StringComparer.Ordinal)];
        Dictionary<string, (HttpStatusCode Status, G.Event? Value)> raw = await BatchGetAsync<G.Event>(
            client,
            ids.Select(id => (id, client.Me.Events[id].ToGetRequestInformation(c =>
            {
                c.Headers.Add("Prefer", PreferOnEveryRequest);
                c.QueryParameters.Expand = [GraphEventMapper.ExpandHostId];
            }))).ToList(),
            "read events by id",
            cancellationToken).ConfigureAwait(false);

        var existing = ids.Where(id => raw[id] is { Status: HttpStatusCode.OK, Value: not null }).ToList();
        HashSet<string> elsewhere = await InOtherCalendarsAsync(client, userId, existing, cancellationToken).ConfigureAwait(false);
        var read = new Dictionary<string, CalendarEvent?>(StringComparer.Ordinal);
        foreach (string id in ids)
        {
            read[id] = existing.Contains(id) && !elsewhere.Contains(id)
                ? await ToEventAsync(client, userId, id, raw[id].Value!, window.End, cancellationToken).ConfigureAwait(false)
                : null;
        }

        for (int i = 0; i < eventIds.Count; i++)
        {
            found[i] = read[eventIds[i]];
        }

        return found;
    }

    /// <summary>Maps an event read by id as <see cref="GetAsync"/> does: a plain occurrence is no event, a master is read with its deleted occurrences.</summary>
    private async Task<CalendarEvent?> ToEventAsync(GraphServiceClient client, string userId, string eventId, G.Event found, Instant until, CancellationToken cancellationToken)
    {
        if (found.Type == G.EventType.Occurrence)
        {
            return null;
        }

        if (found.Type == G.EventType.SeriesMaster)
        {
            (CalendarEvent? series, string? seriesProblem) = await ReadMasterAsync(client, userId, found, until, cancellationToken).ConfigureAwait(false);
            return series ?? throw new OutlookCalendarSyncException($"The Outlook series '{found.Subject}' ({eventId}) cannot be synced: {seriesProblem}.");
        }

        (CalendarEvent? mapped, string? problem) = await ToModelAsync(client, userId, found, [], cancellationToken).ConfigureAwait(false);
        return mapped ?? throw new OutlookCalendarSyncException($"The Outlook event '{found.Subject}' ({eventId}) cannot be synced: {problem}.");
    }

    /// <summary>The ids among <paramref name="eventIds"/> (events that exist) whose calendar is not the mailbox's default calendar.</summary>
    private async Task<HashSet<string>> InOtherCalendarsAsync(GraphServiceClient client, string userId, List<string> eventIds, CancellationToken cancellationToken)
    {
        var elsewhere = new HashSet<string>(StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return elsewhere;
        }

        var requests = new List<(string Key, RequestInformation Request)>();
        if (!_defaultCalendars.ContainsKey(userId))
        {
            requests.Add((DefaultCalendarStep, client.Me.Calendar.ToGetRequestInformation(c =>
            {
                c.Headers.Add("Prefer", PreferOnEveryRequest);
                c.QueryParameters.Select = CalendarIdOnly;
            })));
        }

        requests.AddRange(eventIds.Select(id => (id, client.Me.Events[id].Calendar.ToGetRequestInformation(c =>
        {
            c.Headers.Add("Prefer", PreferOnEveryRequest);
            c.QueryParameters.Select = CalendarIdOnly;
        }))));
        Dictionary<string, (HttpStatusCode Status, G.Calendar? Value)> calendars = await BatchGetAsync<G.Calendar>(
            client, requests, "read the calendars of events", cancellationToken, tolerateErrors: true).ConfigureAwait(false);
        if (calendars.TryGetValue(DefaultCalendarStep, out var defaultCalendar) && defaultCalendar.Value?.Id is { Length: > 0 } defaultId)
        {
            _defaultCalendars[userId] = defaultId;
        }

        if (!_defaultCalendars.TryGetValue(userId, out string? synced))
        {
            // Without the default calendar's id nothing can be compared: keep every event as still in the synced calendar.
            return elsewhere;
        }

        foreach (string id in eventIds)
        {
            (HttpStatusCode status, G.Calendar? calendar) = calendars[id];
            if (status == HttpStatusCode.NotFound || (status == HttpStatusCode.OK && calendar?.Id is { Length: > 0 } calendarId && !string.Equals(calendarId, synced, StringComparison.Ordinal)))
            {
                elsewhere.Add(id);
            }
        }

        return elsewhere;
    }

    /// <summary>
    /// Sends GETs in <c>$batch</c>es of 20 (one batch after another), resending throttled ones as <c>Retry-After</c> asks, and
    /// returns each key's status and parsed answer (null unless 200).
    /// </summary>
    /// <exception cref="ThrottledException">Graph throttled a read for longer than the run may wait.</exception>
    /// <exception cref="OutlookCalendarSyncException">A read failed (other than 404), unless <paramref name="tolerateErrors"/>.</exception>
    private async Task<Dictionary<string, (HttpStatusCode Status, T? Value)>> BatchGetAsync<T>(
        GraphServiceClient client,
        IReadOnlyList<(string Key, RequestInformation Request)> requests,
        string operation,
        CancellationToken cancellationToken,
        bool tolerateErrors = false)
        where T : class, Microsoft.Kiota.Abstractions.Serialization.IParsable, new()
    {
        var answers = new Dictionary<string, (HttpStatusCode, T?)>(StringComparer.Ordinal);
        foreach ((string Key, RequestInformation Request)[] chunk in requests.Chunk(MaxBatchSize))
        {
            var messages = new List<(string Key, HttpRequestMessage Message)>(chunk.Length);
            var builder = new BatchRequestContentCollection(client);
            foreach ((string key, RequestInformation request) in chunk)
            {
                string stepId = await builder.AddBatchRequestStepAsync(request).ConfigureAwait(false);
                messages.Add((key, builder.BatchRequestSteps[stepId].Request));
            }

            TimeSpan waited = TimeSpan.Zero;
            for (int attempt = 0; messages.Count > 0; attempt++)
            {
                var batch = new BatchRequestContentCollection(client);
                var keyOfStep = new Dictionary<string, string>(StringComparer.Ordinal);
                for (int i = 0; i < messages.Count; i++)
                {
                    string stepId = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    batch.AddBatchRequestStep(new BatchRequestStep(stepId, messages[i].Message));
                    keyOfStep[stepId] = messages[i].Key;
                }

                BatchResponseContentCollection response;
                try
                {
                    response = await client.Batch.PostAsync(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (Translate(ex, operation, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                Dictionary<string, HttpStatusCode> statuses = await response.GetResponsesStatusCodesAsync().ConfigureAwait(false);
                var again = new HashSet<string>(StringComparer.Ordinal);
                TimeSpan wait = TimeSpan.Zero;
                foreach ((string stepId, string key) in keyOfStep)
                {
                    HttpStatusCode status = statuses.TryGetValue(stepId, out HttpStatusCode given) ? given : HttpStatusCode.ServiceUnavailable;
                    if (status == HttpStatusCode.OK)
                    {
                        answers[key] = (status, await response.GetResponseByIdAsync<T>(stepId).ConfigureAwait(false));
                        continue;
                    }

                    if (status == HttpStatusCode.Unauthorized)
                    {
                        throw new ReauthorizationRequiredException($"Microsoft Graph refused the user's access token (401) when asked to {operation}: the user must connect their Microsoft account again.");
                    }

                    if (status == HttpStatusCode.NotFound || (!IsRetryable(status) && tolerateErrors))
                    {
                        answers[key] = (status, null);
                        continue;
                    }

                    if (!IsRetryable(status))
                    {
                        (string? code, string? message, string? requestId) = await ReadErrorAsync(response, stepId).ConfigureAwait(false);
                        throw new OutlookCalendarSyncException($"Microsoft Graph could not {operation} ({(int)status} {code}: {message}{(requestId is null ? string.Empty : $"; request-id {requestId}")}); the run is retried later.");
                    }

                    TimeSpan retryAfter = statuses.ContainsKey(stepId) ? await RetryAfterAsync(response, stepId).ConfigureAwait(false) : _options.DefaultRetryDelay;
                    if (attempt >= _options.MaxThrottleRetries || retryAfter > _options.MaxRetryAfter - waited)
                    {
                        Instant retryAt = Instant.FromDateTimeOffset(_time.GetUtcNow()) + Duration.FromTimeSpan(retryAfter);
                        throw new ThrottledException($"Microsoft Graph asked to wait until {retryAt} before it can {operation} ({(int)status}); the run stops here and is retried then.", retryAt);
                    }

                    again.Add(key);
                    wait = retryAfter > wait ? retryAfter : wait;
                }

                if (again.Count > 0 && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    waited += wait;
                }

                messages = [.. messages.Where(m => again.Contains(m.Key))];
            }
        }

        return answers;
    }
}
