using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Me.CalendarView.Delta;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// The user's main Outlook calendar over Microsoft Graph: <c>calendarView/delta</c> for reads, JSON <c>$batch</c> for writes.
/// </summary>
/// <remarks>
/// Every request carries <c>Prefer: outlook.timezone="UTC"</c> and <c>Prefer: IdType="ImmutableId"</c>, batch items included.
/// Writes are conditional (<c>If-Match</c> with the change key), creates carry a <c>transactionId</c> derived from the host id
/// and stamp the host id in a single-value extended property. Delta pages carry no extended properties, so the stamps of changed
/// events are read in batches where they can matter (see <c>GraphOutlookCalendar.Stamps.cs</c>): an event whose create answer was
/// lost is recognised by the next run by its stamp, whether or not Graph de-duplicated a repeated <c>transactionId</c>.
/// </remarks>
internal sealed partial class GraphOutlookCalendar : IOutlookCalendar
{
    /// <summary>The name of the <see cref="HttpClient"/> the adapter asks <c>IHttpClientFactory</c> for.</summary>
    public const string HttpClientName = "OutlookCalendarSync.Graph";

    private const int MaxBatchSize = 20;
    private static readonly string[] PreferOnEveryRequest = GraphHttpPipeline.PreferOnEveryRequest;
    private static readonly InstantPattern QueryInstant = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss'Z'");

    private readonly MicrosoftGraphOptions _options;
    private readonly IUserAccessTokenProvider _tokens;
    private readonly Func<HttpClient> _httpClient;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly MailboxGates _mailboxGates;

    /// <summary>The error mapping of the SDK's generated delta request: every error answer is parsed as an <see cref="ODataError"/>.</summary>
    private static readonly Dictionary<string, ParsableFactory<IParsable>> DeltaErrors = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private readonly GraphCreatedStamps _created;
    private readonly AppOnlyMailboxes? _appOnly;
    private readonly int _batchSize;

    public GraphOutlookCalendar(MicrosoftGraphOptions options, IUserAccessTokenProvider tokens, Func<HttpClient> httpClient, TimeProvider? time = null, GraphCreatedStamps? created = null, AppOnlyMailboxes? appOnly = null, int batchSize = MaxBatchSize)
    {
        _appOnly = appOnly;
        _created = created ?? new GraphCreatedStamps();
        _batchSize = batchSize is >= 1 and <= MaxBatchSize ? batchSize : MaxBatchSize;
        _options = Guard.NotNull(options);
        _tokens = Guard.NotNull(tokens);
        _httpClient = Guard.NotNull(httpClient);
        _time = time ?? TimeProvider.System;
        _mailboxGates = new MailboxGates(options.MaxBatchesInFlightPerMailbox);
        _baseUrl = options.GraphBaseUrl.ToString().TrimEnd('/');
    }

    /// <summary>
    /// Whether delta pages are parsed by the SDK into its models (what the adapter did before <see cref="GraphDeltaPageReader"/>),
    /// not by the reader: the reference the differential tests compare the reader with. False by default.
    /// </summary>
    internal bool ParsesDeltaPagesWithSdk { get; init; }

    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
        => GetChangesAsync(userId, cursor, window, null, cancellationToken);

    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup? linked, CancellationToken cancellationToken)
        => ReadRoundAsync(userId, cursor, window, linked, onPage: null, cancellationToken);

    /// <summary>
    /// Reads a delta round. With <paramref name="onPage"/>, each page's single events (mapped), the ids it removed and its notes are
    /// handed over when the page is read and not kept; the feed returned then holds only what the round's series produced.
    /// </summary>
    private async Task<ChangeFeed> ReadRoundAsync(string userId, string? cursor, Interval window, LinkedEventLookup? linked, Func<OutlookRoundPage, ValueTask>? onPage, CancellationToken cancellationToken)
    {
        Guard.UserId(userId);
        if (cursor is not null && !cursor.StartsWith(_baseUrl + "/", StringComparison.OrdinalIgnoreCase))
        {
            throw new CursorExpiredException($"The Outlook cursor is not a delta link of {_baseUrl}: read a full listing instead.");
        }

        GraphServiceClient client = await CreateClientAsync(userId, cancellationToken).ConfigureAwait(false);
        _mailboxZones.TryRemove(userId, out _);
        var changed = new Dictionary<string, CalendarEvent>(StringComparer.Ordinal);
        var removed = new Dictionary<string, EventRemoval>(StringComparer.Ordinal);
        var notes = new Dictionary<string, SyncNote>(StringComparer.Ordinal);
        var touchedSeries = new Dictionary<string, G.Event?>(StringComparer.Ordinal);
        var exceptions = new Dictionary<string, G.Event>(StringComparer.Ordinal);

        // Without a look-up (the overload without one, or a caller outside the engine) every stamp is read, as it may matter.
        bool readsUnlinkedStamps = linked?.StampsOfUnlinkedMatter ?? true;

        // A full round is the calendar view of the window: it lists every occurrence in it (see ReadSeriesAsync).
        Dictionary<string, HashSet<Instant>>? windowOccurrences = cursor is null ? new(StringComparer.Ordinal) : null;
        string? next = cursor;
        bool first = cursor is null;
        while (true)
        {
            GraphDeltaPage page;
            try
            {
                DeltaRequestBuilder delta = first ? client.Me.CalendarView.Delta : client.Me.CalendarView.Delta.WithUrl(next!);
                RequestInformation request = delta.ToGetRequestInformation(c => ConfigureDelta(c, first ? window : null));
                page = await ReadDeltaPageAsync(client, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsCursorExpired(ex))
            {
                throw new CursorExpiredException("Microsoft Graph no longer accepts the delta link (410 SyncStateNotFound): read a full listing instead.", ex);
            }
            catch (Exception ex) when (Translate(ex, "read the calendar's changes", cancellationToken) is { } translated)
            {
                throw translated;
            }

            first = false;

            // A page's single events are mapped when the page is read, so earlier pages can be collected; the same id may come
            // again in a later page (a delta round reports an event changed during the round twice), and its last version wins.
            // Series masters and modified occurrences wait for the round's end: a series is read from all of them.
            var singles = new Dictionary<string, GraphEventData>(StringComparer.Ordinal);
            foreach (GraphEventData item in page.Items)
            {
                if (string.IsNullOrWhiteSpace(item.Id) || item.Id is not { } id)
                {
                    continue;
                }

                singles.Remove(id);
                changed.Remove(id);
                if (item.IsRemoved)
                {
                    notes.Remove(id);
                    touchedSeries.Remove(id);
                    exceptions.Remove(id);
                    removed[id] = new EventRemoval(id, IsConfirmedDeletion: false);
                    continue;
                }

                removed.Remove(id);
                switch (item.Type)
                {
                    case G.EventType.SeriesMaster:
                        touchedSeries[id] = item.Model;
                        continue;
                    case G.EventType.Occurrence when item.SeriesMasterId is { Length: > 0 } masterId:
                        // A plain occurrence is no event of its own; if it was a modified occurrence before (Outlook rebuilt
                        // the series), the exception it was is gone.
                        touchedSeries.TryAdd(masterId, null);
                        notes.Remove(id);
                        exceptions.Remove(id);
                        removed[id] = new EventRemoval(id, IsConfirmedDeletion: true);
                        if (windowOccurrences is not null && GraphEventMapper.ReadInstant(item.Start) is { } start)
                        {
                            // A plain occurrence is where the pattern puts it: its start is its original start.
                            (windowOccurrences.TryGetValue(masterId, out HashSet<Instant>? starts) ? starts : windowOccurrences[masterId] = []).Add(start);
                        }

                        continue;
                    case G.EventType.Exception when item.SeriesMasterId is { Length: > 0 } masterId:
                        touchedSeries.TryAdd(masterId, null);
                        notes.Remove(id);
                        exceptions[id] = item.Model!;
                        continue;
                }

                notes.Remove(id);
                singles[id] = item;
            }

            await MapSinglesAsync(client, userId, singles, linked, readsUnlinkedStamps, changed, removed, notes, cancellationToken).ConfigureAwait(false);
            if (onPage is not null)
            {
                await onPage(HandOver(page, singles, changed, removed, notes)).ConfigureAwait(false);
            }

            if (page.NextLink is { } nextLink)
            {
                next = nextLink;
                continue;
            }

            string deltaLink = page.DeltaLink
                ?? throw new OutlookCalendarSyncException("Microsoft Graph ended a calendarView/delta round without a delta link; the next run reads a full listing.");
            IReadOnlyList<GraphEventData> seriesItems = [.. exceptions.Values.Select(GraphEventData.From), .. touchedSeries.Values.Where(IsFullMaster).OfType<G.Event>().Select(GraphEventData.From)];
            HashSet<string>? seriesIds = onPage is null ? null : [.. touchedSeries.Keys, .. exceptions.Keys];
            foreach (string gone in await ReadStampsAsync(client, userId, seriesItems, linked, readsUnlinkedStamps, cancellationToken).ConfigureAwait(false))
            {
                exceptions.Remove(gone);
                touchedSeries.Remove(gone);
                removed[gone] = new EventRemoval(gone, IsConfirmedDeletion: true);
            }

            await ReadSeriesAsync(client, userId, touchedSeries, exceptions, window, windowOccurrences, changed, removed, notes, cancellationToken).ConfigureAwait(false);
            if (seriesIds is not null)
            {
                // Every removal of the pages was handed over with its page; what is left to report is what the series reading found.
                return new ChangeFeed(changed.Values, removed.Where(r => seriesIds.Contains(r.Key)).Select(r => r.Value), deltaLink, isFullSnapshot: cursor is null, notes.Values);
            }

            return new ChangeFeed(changed.Values, removed.Values, deltaLink, isFullSnapshot: cursor is null, notes.Values);
        }
    }

    /// <summary>
    /// Sends a <c>calendarView/delta</c> request through the SDK's request adapter (its middleware: authentication, retries and
    /// throttling, redirects, and the error mapping of the SDK's own <c>GetAsDeltaGetResponseAsync</c>, so an error answer is the
    /// same <see cref="ODataError"/>), and reads the page's JSON without building the SDK's models (<see cref="GraphDeltaPageReader"/>),
    /// unless <see cref="ParsesDeltaPagesWithSdk"/>.
    /// </summary>
    private async Task<GraphDeltaPage> ReadDeltaPageAsync(GraphServiceClient client, RequestInformation request, CancellationToken cancellationToken)
    {
        if (ParsesDeltaPagesWithSdk)
        {
            DeltaGetResponse? parsed = await client.RequestAdapter.SendAsync(request, DeltaGetResponse.CreateFromDiscriminatorValue, DeltaErrors, cancellationToken).ConfigureAwait(false);
            List<GraphEventData> items = [];
            foreach (G.Event item in parsed?.Value ?? [])
            {
                // The page's backing store subscribes to each of its events: every later change of one would re-mark the whole page.
                item.BackingStore?.Unsubscribe("value");
                items.Add(GraphEventData.From(item));
            }

            return new GraphDeltaPage(items, parsed?.OdataNextLink, parsed?.OdataDeltaLink);
        }

        // The stream is the response's content (the adapter does not buffer it); disposing it releases the connection.
        Stream? content = await client.RequestAdapter.SendPrimitiveAsync<Stream>(request, DeltaErrors, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            // No content (204, or an empty body): what the SDK reads as no page.
            return new GraphDeltaPage([], null, null);
        }

        await using (content.ConfigureAwait(false))
        {
            return await GraphDeltaPageReader.ReadAsync(content, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Maps one delta page's single events, reading the stamps they need first.</summary>
    private async Task MapSinglesAsync(
        GraphServiceClient client,
        string userId,
        Dictionary<string, GraphEventData> singles,
        LinkedEventLookup? linked,
        bool readsUnlinkedStamps,
        Dictionary<string, CalendarEvent> changed,
        Dictionary<string, EventRemoval> removed,
        Dictionary<string, SyncNote> notes,
        CancellationToken cancellationToken)
    {
        if (singles.Count == 0)
        {
            return;
        }

        foreach (string gone in await ReadStampsAsync(client, userId, [.. singles.Values], linked, readsUnlinkedStamps, cancellationToken).ConfigureAwait(false))
        {
            singles.Remove(gone);
            removed[gone] = new EventRemoval(gone, IsConfirmedDeletion: true);
        }

        foreach ((string id, GraphEventData item) in singles)
        {
            (CalendarEvent? mapped, string? problem) = await ToModelAsync(client, userId, item, [], cancellationToken).ConfigureAwait(false);
            if (mapped is null)
            {
                notes[id] = new SyncNote(SyncSide.Outlook, id, item.Subject, problem!, willRetry: false);
            }
            else
            {
                changed[id] = mapped;
            }
        }
    }

    public async Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken)
    {
        Guard.UserId(userId);
        Guard.NotNullOrWhiteSpace(eventId);
        GraphServiceClient client = await CreateClientAsync(userId, cancellationToken).ConfigureAwait(false);
        G.Event? found = await GetRawAsync(client, eventId, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        if (found.Type == G.EventType.Occurrence)
        {
            // The id of a modified occurrence that became a plain occurrence again: the exception no longer exists.
            return null;
        }

        if (found.Type == G.EventType.SeriesMaster)
        {
            (CalendarEvent? series, string? seriesProblem) = await ReadMasterAsync(client, userId, found, window.End, cancellationToken).ConfigureAwait(false);
            return series ?? throw new OutlookCalendarSyncException($"The Outlook series '{found.Subject}' ({eventId}) cannot be synced: {seriesProblem}.");
        }

        (CalendarEvent? mapped, string? problem) = await ToModelAsync(client, userId, found, [], cancellationToken).ConfigureAwait(false);
        return mapped
            ?? throw new OutlookCalendarSyncException($"The Outlook event '{found.Subject}' ({eventId}) cannot be synced: {problem}.");
    }

    public async Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
    {
        Guard.UserId(userId);
        Guard.NotNull(writes);
        var results = new EventWriteResult[writes.Count];
        if (writes.Count == 0)
        {
            return results;
        }

        GraphServiceClient client = await CreateClientAsync(userId, cancellationToken).ConfigureAwait(false);
        var requests = new List<(int Index, RequestInformation Request)>();
        EventWrite[] batched = [.. writes];
        var answers = new Dictionary<int, (EventUpdate Write, InvitationAnswer? Answer)>();
        for (int i = 0; i < writes.Count; i++)
        {
            if (writes[i] is EventUpdate update && SplitAnswer(update, out InvitationAnswer? answer) is { } rest)
            {
                answers[i] = (update, answer);
                batched[i] = rest;
                if (rest.Fields == EventFields.None)
                {
                    continue;
                }
            }

            try
            {
                RequestInformation? series = await ToSeriesRequestAsync(client, userId, batched[i], cancellationToken).ConfigureAwait(false);
                requests.Add((i, series ?? ToRequest(client, batched[i])));
            }
            catch (GraphMappingException ex)
            {
                results[i] = EventWriteResult.Failure(WriteStatus.PermanentFailure, ex.Message);
            }
            catch (WriteRefusedException ex)
            {
                results[i] = EventWriteResult.Failure(ex.Status, ex.Message);
            }
            catch (OutlookCalendarSyncException ex) when (ex is not ReauthorizationRequiredException)
            {
                // A read the write needs first was throttled or failed: this write waits for the next run, the others go on.
                results[i] = EventWriteResult.Failure(WriteStatus.TransientFailure, ex.Message);
            }
        }

        // Outlook runs at most 4 requests of one mailbox at once and executes a batch's independent items 4 at a time, so a
        // second batch in flight would have items throttled. With more than one batch in flight, each batch chains its items
        // (dependsOn): Outlook then executes them one after another, each batch holds one of the mailbox's 4 slots, and up to
        // MaxBatchesInFlightPerMailbox batches overlap without a 429.
        bool chained = _options.MaxBatchesInFlightPerMailbox > 1;
        using (MailboxGates.Lease gate = _mailboxGates.Enter(userId))
        {
            await Task.WhenAll(requests.Chunk(_batchSize).Select(async chunk =>
            {
                await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await SendBatchAsync(client, userId, chunk, batched, results, chained, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Semaphore.Release();
                }
            })).ConfigureAwait(false);
        }

        for (int i = 0; i < writes.Count; i++)
        {
            Recurrence? writtenRule = writes[i] switch
            {
                EventCreate create => create.Event.Recurrence,
                EventUpdate update when update.Fields.HasFlag(EventFields.Recurrence) => update.Content.Recurrence,
                _ => null,
            };
            if (results[i] is { Succeeded: true } written && writtenRule is { } rule)
            {
                try
                {
                    results[i] = await ApplyDeletedOccurrencesAsync(client, written, rule, cancellationToken).ConfigureAwait(false);
                }
                catch (OutlookCalendarSyncException ex) when (ex is not ReauthorizationRequiredException)
                {
                    results[i] = EventWriteResult.Failure(WriteStatus.TransientFailure, $"The series was written but its deleted occurrences were not; they are retried next run. {ex.Message}");
                }
            }
        }

        foreach ((int i, (EventUpdate update, InvitationAnswer? answer)) in answers)
        {
            bool patched = batched[i] is EventUpdate { Fields: not EventFields.None };
            if (!patched || results[i] is { Succeeded: true })
            {
                results[i] = await AnswerAsync(client, userId, update, answer, patched ? results[i] : null, cancellationToken).ConfigureAwait(false);
            }
        }

        return results;
    }

    private async Task SendBatchAsync(GraphServiceClient client, string userId, (int Index, RequestInformation Request)[] chunk, EventWrite[] writes, EventWriteResult[] results, bool chained, CancellationToken cancellationToken)
    {
        // The request messages are built once; every attempt sends those still unsettled in a new batch, in their order.
        var messages = new List<(int Index, HttpRequestMessage Message)>(chunk.Length);
        var builder = new BatchRequestContentCollection(client);
        foreach ((int index, RequestInformation request) in chunk)
        {
            string stepId = await builder.AddBatchRequestStepAsync(request).ConfigureAwait(false);
            messages.Add((index, builder.BatchRequestSteps[stepId].Request));
        }

        TimeSpan waited = TimeSpan.Zero;

        // Each write may be throttled MaxThrottleRetries times; a 424 (skipped after an earlier item of the chain failed or was
        // throttled) costs it nothing, since Outlook did not carry it out.
        var throttles = new Dictionary<int, int>();
        while (true)
        {
            var batch = new BatchRequestContentCollection(client);
            var indexOfStep = new Dictionary<string, int>(StringComparer.Ordinal);
            string? previous = null;
            foreach ((int index, HttpRequestMessage message) in messages)
            {
                string stepId = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                batch.AddBatchRequestStep(new BatchRequestStep(stepId, message, chained && previous is not null ? [previous] : null));
                indexOfStep[stepId] = index;
                previous = stepId;
            }

            BatchResponseContentCollection response;
            try
            {
                response = await client.Batch.PostAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(ex, "send a batch of writes", cancellationToken) is ThrottledException throttled)
            {
                // The batch itself was throttled for longer than the run may wait: none of its writes was made.
                foreach (int index in indexOfStep.Values)
                {
                    results[index] ??= EventWriteResult.Failure(WriteStatus.TransientFailure, throttled.Message);
                }

                return;
            }
            catch (Exception ex) when (Translate(ex, "send a batch of writes", cancellationToken) is { } translated)
            {
                throw translated;
            }

            Dictionary<string, HttpStatusCode> statuses = await response.GetResponsesStatusCodesAsync().ConfigureAwait(false);
            var again = new HashSet<int>();
            bool throttledNow = false;
            TimeSpan wait = TimeSpan.Zero;
            foreach ((string stepId, HttpStatusCode status) in statuses)
            {
                if (!indexOfStep.TryGetValue(stepId, out int index))
                {
                    continue;
                }

                if (status == HttpStatusCode.FailedDependency)
                {
                    // An earlier item of the chain failed, so Outlook did not carry this one out: it goes in the next batch.
                    again.Add(index);
                    continue;
                }

                if (IsRetryable(status) && throttles.GetValueOrDefault(index) < _options.MaxThrottleRetries)
                {
                    TimeSpan retryAfter = await RetryAfterAsync(response, stepId).ConfigureAwait(false);
                    if (retryAfter <= _options.MaxRetryAfter - waited)
                    {
                        again.Add(index);
                        throttles[index] = throttles.GetValueOrDefault(index) + 1;
                        throttledNow = true;
                        wait = retryAfter > wait ? retryAfter : wait;
                        continue;
                    }
                }

                results[index] = await ToResultAsync(client, userId, response, stepId, status, writes[index], cancellationToken).ConfigureAwait(false);
            }

            foreach ((string stepId, int index) in indexOfStep)
            {
                if (!statuses.ContainsKey(stepId) && results[index] is null)
                {
                    results[index] = EventWriteResult.Failure(WriteStatus.TransientFailure, "Microsoft Graph's batch answer left this write out; it is retried next run.");
                }
            }

            if (again.Count == 0)
            {
                return;
            }

            if (throttledNow)
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    waited += wait;
                }
            }
            else if (again.Count == messages.Count)
            {
                // Nothing was carried out and nothing was throttled: a chain Outlook refused as a whole, not worth repeating.
                foreach (int index in again)
                {
                    results[index] = EventWriteResult.Failure(WriteStatus.TransientFailure, "Microsoft Graph did not carry out this write (424 FailedDependency); it is retried next run.");
                }

                return;
            }

            messages = [.. messages.Where(m => again.Contains(m.Index))];
        }
    }

    private async Task<TimeSpan> RetryAfterAsync(BatchResponseContentCollection response, string stepId)
    {
        using HttpResponseMessage? message = await response.GetResponseByIdAsync(stepId).ConfigureAwait(false);
        return (message is null ? null : RetryAfter.Of(message.Headers, _time.GetUtcNow())) ?? _options.DefaultRetryDelay;
    }

    private async Task<EventWriteResult> ToResultAsync(GraphServiceClient client, string userId, BatchResponseContentCollection response, string stepId, HttpStatusCode status, EventWrite write, CancellationToken cancellationToken)
    {
        int code = (int)status;
        if (code is >= 200 and < 300)
        {
            if (write is EventDelete)
            {
                return EventWriteResult.Success(null);
            }

            G.Event stored = await response.GetResponseByIdAsync<G.Event>(stepId).ConfigureAwait(false);
            (CalendarEvent? mapped, string? problem) = await ToModelAsync(client, userId, stored, [], cancellationToken).ConfigureAwait(false);
            if (mapped is null)
            {
                return EventWriteResult.Failure(WriteStatus.TransientFailure, $"Outlook accepted the {Describe(write)} but its answer cannot be read back: {problem}.");
            }

            if (write is EventCreate { Event: var created } && mapped.CounterpartId is null)
            {
                mapped = mapped with { CounterpartId = created.CounterpartId };
            }

            // A write's answer carries no extended properties: the URL written to one is what Outlook now holds, unless Outlook
            // has a Teams join URL of its own.
            CalendarEvent? sentUrl = write switch
            {
                EventCreate create => create.Event,
                EventUpdate update when update.Fields.HasFlag(EventFields.OnlineMeetingUrl) => update.Content,
                _ => null,
            };
            if (mapped.OnlineMeetingUrl is null && sentUrl is not null)
            {
                mapped = mapped with { OnlineMeetingUrl = sentUrl.OnlineMeetingUrl };
            }

            if (write is EventCreate newEvent)
            {
                RememberCreated(userId, stored, newEvent.Event);
            }

            return EventWriteResult.Success(mapped);
        }

        (string? errorCode, string? message, string? requestId) = await ReadErrorAsync(response, stepId).ConfigureAwait(false);
        string details = $"{code} {errorCode ?? status.ToString()}{(message is null ? string.Empty : ": " + message)}{(requestId is null ? string.Empty : $" (request-id {requestId})")}";
        return status switch
        {
            HttpStatusCode.Unauthorized => throw new ReauthorizationRequiredException($"Microsoft Graph refused the user's access token ({code} {errorCode}): the user must connect their Microsoft account again."),
            HttpStatusCode.PreconditionFailed => EventWriteResult.Failure(WriteStatus.VersionConflict, $"The Outlook event changed since it was read; the {Describe(write)} was not made and is retried next run ({details}).", errorCode ?? "ErrorIrresolvableConflict"),
            HttpStatusCode.NotFound => EventWriteResult.Failure(WriteStatus.NotFound, $"The Outlook event does not exist ({details}).", errorCode),
            _ when errorCode == "ErrorOccurrenceCrossingBoundary" => EventWriteResult.Failure(
                WriteStatus.PermanentFailure,
                $"Outlook cannot move an occurrence of a series to or past the date of the previous or next occurrence; move it within the days between them, or change the whole series ({details}).",
                errorCode),
            _ when IsRetryable(status) || code >= 500 => EventWriteResult.Failure(WriteStatus.TransientFailure, $"Microsoft Graph could not make the {Describe(write)} now; it is retried next run ({details}).", errorCode),
            _ => EventWriteResult.Failure(WriteStatus.PermanentFailure, $"Microsoft Graph refused the {Describe(write)} ({details}).", errorCode),
        };
    }

    private static async Task<(string? Code, string? Message, string? RequestId)> ReadErrorAsync(BatchResponseContentCollection response, string stepId)
    {
        using HttpResponseMessage? message = await response.GetResponseByIdAsync(stepId).ConfigureAwait(false);
        if (message is null)
        {
            return (null, null, null);
        }

        string? requestId = message.Headers.TryGetValues("request-id", out IEnumerable<string>? ids) ? ids.FirstOrDefault() : null;
        try
        {
            string body = await message.Content.ReadAsStringAsync().ConfigureAwait(false);
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out JsonElement error))
            {
                string? code = error.TryGetProperty("code", out JsonElement c) ? c.GetString() : null;
                string? text = error.TryGetProperty("message", out JsonElement m) ? m.GetString() : null;
                if (requestId is null && error.TryGetProperty("innerError", out JsonElement inner) && inner.TryGetProperty("request-id", out JsonElement r))
                {
                    requestId = r.GetString();
                }

                return (code, text, requestId);
            }
        }
        catch (JsonException)
        {
            // An error without a JSON body: the status says enough.
        }

        return (null, null, requestId);
    }

    private static RequestInformation ToRequest(GraphServiceClient client, EventWrite write)
    {
        switch (write)
        {
            case EventCreate create:
                CalendarEvent content = create.Event;
                G.Event created = GraphEventMapper.ToGraph(content, EventFields.All);
                if (!string.IsNullOrWhiteSpace(content.CounterpartId) && content.CounterpartId is { } hostId)
                {
                    created.TransactionId = TransactionId(hostId);
                    created.SingleValueExtendedProperties = [.. created.SingleValueExtendedProperties ?? [], new G.SingleValueLegacyExtendedProperty { Id = GraphEventMapper.HostIdPropertyId, Value = hostId }];
                }

                return client.Me.Events.ToPostRequestInformation(created, c => c.Headers.Add("Prefer", PreferOnEveryRequest));
            case EventUpdate update:
                G.Event patch = GraphEventMapper.ToGraph(update.Content, update.Fields);
                return client.Me.Events[update.EventId].ToPatchRequestInformation(patch, c => Conditional(c.Headers, update.ExpectedVersion));
            case EventDelete delete:
                return client.Me.Events[delete.EventId].ToDeleteRequestInformation(c => Conditional(c.Headers, delete.ExpectedVersion));
            default:
                throw new UnreachableException($"The write {write} is of no known kind.");
        }
    }

    private static void Conditional(RequestHeaders headers, string? expectedVersion)
    {
        headers.Add("Prefer", PreferOnEveryRequest);
        if (expectedVersion is not null)
        {
            headers.Add("If-Match", $"W/\"{expectedVersion}\"");
        }
    }

    /// <summary>A transaction id Graph de-duplicates creates by: the same for every attempt to create the same host event.</summary>
    internal static string TransactionId(string hostId)
    {
        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("OutlookCalendarSync.HostId:" + hostId));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    private static string Describe(EventWrite write) => write switch
    {
        EventCreate create => $"creation of '{create.Event.Subject}'",
        _ => $"{(write is EventUpdate ? "update" : "deletion")} of {write.TargetId}",
    };

    private static bool IsRetryable(HttpStatusCode status) => GraphRetryHandler.IsRetryable(status);

    private static bool IsCursorExpired(Exception ex)
        => ex is ODataError error
           && (error.ResponseStatusCode == (int)HttpStatusCode.Gone
               || error.Error?.Code is "SyncStateNotFound" or "resyncRequired" or "fullSyncRequired" or "SyncStateInvalid");

    /// <summary>
    /// Turns SDK errors into the library's exceptions, with Graph's code and request id and never a token: a throttled answer
    /// (429, 503, 504 left by <see cref="GraphRetryHandler"/>) becomes a <see cref="ThrottledException"/> with Graph's instant, and
    /// an HTTP timeout an <see cref="OutlookCalendarSyncException"/>: only the caller's token cancels.
    /// </summary>
    private Exception? Translate(Exception ex, string operation, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return new OutlookCalendarSyncException($"Microsoft Graph did not answer in time when asked to {operation}; the run is retried later.", ex);
            case ReauthorizationRequiredException or OperationCanceledException or OutlookCalendarSyncException:
                return null;
            case ODataError { ResponseStatusCode: (int)HttpStatusCode.Unauthorized } error:
                return new ReauthorizationRequiredException($"Microsoft Graph refused the user's access token (401 {error.Error?.Code}): the user must connect their Microsoft account again.", ex);
            case ApiException api when GraphRetryHandler.IsRetryable((HttpStatusCode)api.ResponseStatusCode):
                DateTimeOffset now = _time.GetUtcNow();
                TimeSpan wait = RetryAfter.Of(api.ResponseHeaders, now) ?? _options.DefaultRetryDelay;
                Instant retryAt = Instant.FromDateTimeOffset(now) + Duration.FromTimeSpan(wait);
                return new ThrottledException(
                    $"Microsoft Graph asked to wait until {retryAt} before it can {operation} ({api.ResponseStatusCode} {(api as ODataError)?.Error?.Code}); the run stops here and is retried then.",
                    retryAt,
                    ex);
            case ODataError error when GraphMailboxErrors.ReasonOf(error) is { } reason:
                return new MailboxUnavailableException(reason, GraphMailboxErrors.Describe(reason, error, operation), ex) { RetryAt = _appOnly?.MailboxRetryAt() };
            case ODataError error:
                string? requestId = error.Error?.InnerError?.RequestId;
                return new OutlookCalendarSyncException(
                    $"Microsoft Graph could not {operation} ({error.ResponseStatusCode} {error.Error?.Code}: {error.Error?.Message}{(requestId is null ? string.Empty : $"; request-id {requestId}")}).",
                    ex);
            case AggregateException { InnerException: { } inner } when inner is ReauthorizationRequiredException:
                return inner;
            case AggregateException:
            case ApiException:
            case HttpRequestException:
            case JsonException:
                return new OutlookCalendarSyncException($"Microsoft Graph could not {operation}: {ex.Message} The run is retried later.", ex);
            default:
                return null;
        }
    }

    private void ConfigureDelta(RequestConfiguration<DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters> config, Interval? window)
    {
        config.Headers.Add("Prefer", [.. PreferOnEveryRequest, $"odata.maxpagesize={_options.DeltaPageSize}"]);
        if (window is { } w)
        {
            config.QueryParameters.StartDateTime = QueryInstant.Format(w.Start);
            config.QueryParameters.EndDateTime = QueryInstant.Format(w.End);
        }
    }

    private async ValueTask<GraphServiceClient> CreateClientAsync(string userId, CancellationToken cancellationToken)
    {
        if (_appOnly is not null && await _appOnly.FindAsync(userId, cancellationToken).ConfigureAwait(false) is { } mailbox)
        {
            return _appOnly.CreateClient(mailbox, _httpClient(), _baseUrl, _options.GraphBaseUrl.Host);
        }

        var authentication = new BaseBearerTokenAuthenticationProvider(new UserAccessTokenAuthentication(_tokens, userId, _options.GraphBaseUrl.Host));
        return new GraphServiceClient(_httpClient(), authentication, _baseUrl);
    }
}
