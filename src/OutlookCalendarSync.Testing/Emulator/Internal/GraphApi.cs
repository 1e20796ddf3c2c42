using System.Text;
using System.Text.Json.Nodes;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>Answers Graph requests: faults first, then the handler of the matched route; <c>$batch</c> items go through the same path.</summary>
internal sealed class GraphApi
{
    private const int MaxBatchSize = 20;
    private const int DefaultListPageSize = 10;

    /// <summary>
    /// The largest page Outlook gives: <c>$top</c> on Outlook collections goes up to 1,000, and a larger
    /// <c>Prefer: odata.maxpagesize</c> on <c>calendarView/delta</c> is treated the same way. Microsoft documents no maximum for
    /// <c>odata.maxpagesize</c> there; the emulator caps it, so a client that asks for more learns to follow <c>@odata.nextLink</c>.
    /// </summary>
    internal const int MaxPageSize = 1000;

    private readonly EmulatorBackend backend;
    private readonly FaultInjector faults;
    private readonly RequestLog log;
    private readonly SubscriptionRegistry subscriptions;
    private readonly ApplicationDirectory applications;

    public GraphApi(EmulatorBackend backend, FaultInjector faults, RequestLog log, SubscriptionRegistry subscriptions, ApplicationDirectory applications)
    {
        this.applications = applications;
        this.backend = backend;
        this.faults = faults;
        this.log = log;
        this.subscriptions = subscriptions;
    }

    /// <summary>Gets or sets the absolute base of links, ending with <c>/v1.0/</c>.</summary>
    public string GraphBase { get; set; } = "http://127.0.0.1/v1.0/";

    public async Task<EmulatorResponse> ExecuteHttpAsync(EmulatorRequest request, CancellationToken cancellationToken)
    {
        var route = RouteMatch.Match(request.Method, request.Path);
        var fault = faults.Next(request.Method, route.NormalizedPath, inBatch: false, isBatch: route.Kind == RouteKind.Batch);
        var slots = new SlotLease();
        EmulatorResponse response;
        try
        {
            if (route.Kind is not (RouteKind.Batch or RouteKind.Unknown) && ConcurrencyOf(request, route) is { } concurrency)
            {
                // Outlook carries out at most 4 requests of a mailbox at once; one more is refused before it starts.
                if (concurrency.Take(1) == 0)
                {
                    response = GraphResponses.MailboxConcurrency(backend.Now);
                    log.Add(new RequestLogEntry(request.Method, request.Path, route.Template, response.StatusCode, request.Mailbox, InBatch: false));
                    return response;
                }

                slots.Hold(concurrency, 1, waves: 1);
            }

            if (fault is { Kind: GraphFaultKind.Delay })
            {
                // A slow answer keeps its slot while it is slow.
                await Task.Delay(fault.Delay, cancellationToken).ConfigureAwait(false);
                fault = null;
            }

            if (fault is { Kind: not (GraphFaultKind.LostAnswer or GraphFaultKind.TruncatedAnswer) })
            {
                response = GraphResponses.Fault(fault, backend.Now);
            }
            else if (route.Kind is RouteKind.Subscriptions or RouteKind.Subscription)
            {
                // Creating a subscription calls the subscriber back (the validation handshake), so it is answered asynchronously.
                try
                {
                    response = await subscriptions.HandleAsync(request, route, cancellationToken).ConfigureAwait(false);
                }
                catch (GraphErrorException error)
                {
                    response = GraphResponses.Error(error.StatusCode, error.Code, error.Message, backend.Now);
                }

                if (fault is not null)
                {
                    response = GraphResponses.Spoil(fault, response);
                }
            }
            else
            {
                // A lost or truncated answer comes after the request was carried out (up to CarriedOutItems of a $batch): the
                // client cannot tell what happened, as after a crash, a dropped connection or a cut body.
                response = route.Kind == RouteKind.Batch
                    ? Guarded(() => Batch(request, fault?.CarriedOutItems, slots))
                    : Guarded(() => Dispatch(request, route));
                if (fault is not null)
                {
                    response = GraphResponses.Spoil(fault, response);
                }
            }

            var serviceTime = backend.Options.ServiceTime;
            if (serviceTime > TimeSpan.Zero && slots.Waves > 0)
            {
                await Task.Delay(serviceTime * slots.Waves, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            slots.Release();
        }

        log.Add(new RequestLogEntry(request.Method, request.Path, route.Template, response.StatusCode, request.Mailbox, InBatch: false));
        return response;
    }

    /// <summary>The concurrency slots of the mailbox a request addresses, or null when it addresses none the emulator knows.</summary>
    private MailboxConcurrency? ConcurrencyOf(EmulatorRequest request, RouteMatch route)
    {
        if (request.Mailbox is null)
        {
            return null;
        }

        try
        {
            return backend.Mailbox(route.PathMailbox is null ? request.Mailbox : backend.MailboxNameFromPath(route.PathMailbox)).Concurrency;
        }
        catch (GraphErrorException)
        {
            return null;
        }
    }

    private EmulatorResponse Guarded(Func<EmulatorResponse> handler)
    {
        try
        {
            return handler();
        }
        catch (GraphErrorException error)
        {
            return GraphResponses.Error(error.StatusCode, error.Code, error.Message, backend.Now);
        }
        catch (Exception error) when (error is InvalidOperationException or FormatException)
        {
            // A JSON value of the wrong kind (a number where Graph expects a string, say) fails the cast that reads it.
            return GraphResponses.Error(400, "RequestBodyRead", "A property of the request has a value of the wrong type: " + error.Message, backend.Now);
        }
    }

    private EmulatorResponse Dispatch(EmulatorRequest request, RouteMatch route)
    {
        if (request.Mailbox is null && request.Application is null)
        {
            throw new GraphErrorException(401, "InvalidAuthenticationToken", "Access token is empty or invalid: send Authorization: Bearer <token>.");
        }

        if (route.Kind == RouteKind.Unknown)
        {
            throw GraphErrorException.BadRequest("BadRequest", $"Resource not found for the segment in '{request.Method} {request.Path}'.");
        }

        var mailbox = backend.Mailbox(MailboxOf(request, route));
        var render = RenderFor(request);
        if (route.Kind is not (RouteKind.ListEvents or RouteKind.GetEvent))
        {
            // Graph expands extended properties only on GET /me/events/{id} and the /me/events listing: calendarView/delta does
            // not support $expand (documented), and calendarView, instances and write answers carry none.
            render = render with { ExtendedProperties = null };
        }

        switch (route.Kind)
        {
            case RouteKind.ListEvents:
                return Page(request, route, ExtendedPropertyFilter.Apply(request.QueryValue("$filter"), mailbox.All()), render, request.QueryValue("$top"));
            case RouteKind.CalendarView:
                var (start, end) = Window(request, required: true);
                return Page(request, route, mailbox.InWindow(start!.Value, end!.Value), render, request.QueryValue("$top"));
            case RouteKind.CreateEvent:
                var (created, _) = backend.Create(mailbox, EventDocument.ParseObject(request.Body), seeding: false);
                var response = new EmulatorResponse(201, EventDocument.Render(created, render));
                response.Headers["Location"] = $"{GraphBase}{route.LinkPrefix}/events('{created.Id}')";
                response.Headers["ETag"] = created.ETag;
                return response;
            case RouteKind.GetEvent:
                return EventResponse(200, mailbox.Get(route.EventId!), render);
            case RouteKind.UpdateEvent:
                var body = EventDocument.ParseObject(request.Body);
                return EventResponse(200, backend.Update(mailbox, route.EventId!, body, request.Header("If-Match"), seeding: false), render);
            case RouteKind.DeleteEvent:
                backend.Delete(mailbox, route.EventId!, request.Header("If-Match"), seeding: false);
                return new EmulatorResponse(204);
            case RouteKind.CancelEvent:
                backend.Cancel(mailbox, route.EventId!);
                return new EmulatorResponse(202);
            case RouteKind.AcceptEvent:
            case RouteKind.TentativelyAcceptEvent:
            case RouteKind.DeclineEvent:
                backend.Respond(mailbox, route.EventId!, ResponseOf(route.Kind), SendsResponse(request.Body));
                return new EmulatorResponse(202);
            case RouteKind.Instances:
                return Instances(request, route, mailbox, render);
            case RouteKind.Delta:
                return Delta(request, route, mailbox, render);
            case RouteKind.MailboxSettings:
                return MailboxSettings(route, mailbox);
            case RouteKind.GetDefaultCalendar:
                return Calendar(route, mailbox, mailbox.DefaultCalendarId);
            case RouteKind.GetEventCalendar:
                return Calendar(route, mailbox, mailbox.CalendarOf(route.EventId!) ?? throw GraphErrorException.NotFound());
            default:
                throw GraphErrorException.BadRequest("BadRequest", $"Unsupported request '{request.Method} {request.Path}'.");
        }
    }

    /// <summary>
    /// The mailbox a request reaches: the path's <c>/users/{id}</c>, else the delegated token's user. An app-only token has no
    /// user, so <c>/me</c> is a 400 for it, and it reaches a mailbox only as its tenant's consent and access policy allow.
    /// </summary>
    private string MailboxOf(EmulatorRequest request, RouteMatch route)
    {
        string? named = route.PathMailbox is null ? null : backend.MailboxNameFromPath(route.PathMailbox);
        if (request.Application is { } application)
        {
            return named is null
                ? throw GraphErrorException.BadRequest("BadRequest", "/me request is only valid with delegated authentication flow.")
                : applications.Authorize(application, named, route.PathMailbox!);
        }

        string mailbox = named ?? request.Mailbox!;
        applications.CheckAvailable(mailbox, route.PathMailbox ?? "me");
        return mailbox;
    }

    /// <summary>The mailbox's settings as Graph gives them; only the time zone is the mailbox's own, the rest are Graph's defaults.</summary>
    private EmulatorResponse MailboxSettings(RouteMatch route, MailboxState mailbox)
    {
        string zone;
        lock (mailbox.Gate)
        {
            zone = mailbox.TimeZone;
        }

        return new EmulatorResponse(200, new JsonObject
        {
            ["@odata.context"] = $"{GraphBase}$metadata#{route.LinkPrefix}/mailboxSettings",
            ["archiveFolder"] = "AAMkAGVtdWxhdG9yAAEuAAAAAAArchive",
            ["timeZone"] = zone,
            ["delegateMeetingMessageDeliveryOptions"] = "sendToDelegateOnly",
            ["dateFormat"] = "yyyy-MM-dd",
            ["timeFormat"] = "HH:mm",
            ["userPurpose"] = "user",
            ["automaticRepliesSetting"] = new JsonObject { ["status"] = "disabled", ["externalAudience"] = "all" },
            ["language"] = new JsonObject { ["locale"] = "en-US", ["displayName"] = "English (United States)" },
            ["workingHours"] = new JsonObject
            {
                ["daysOfWeek"] = new JsonArray("monday", "tuesday", "wednesday", "thursday", "friday"),
                ["startTime"] = "08:00:00.0000000",
                ["endTime"] = "17:00:00.0000000",
                ["timeZone"] = new JsonObject { ["name"] = zone },
            },
        });
    }

    /// <summary>A calendar of the mailbox as Graph renders it (<c>$select</c> is not applied: the extra properties are harmless).</summary>
    private EmulatorResponse Calendar(RouteMatch route, MailboxState mailbox, string calendarId)
    {
        string name;
        lock (mailbox.Gate)
        {
            name = mailbox.Calendars[calendarId];
        }

        return new EmulatorResponse(200, new JsonObject
        {
            ["@odata.context"] = $"{GraphBase}$metadata#{route.LinkPrefix}/calendars/$entity",
            ["id"] = calendarId,
            ["name"] = name,
            ["color"] = "auto",
            ["isDefaultCalendar"] = calendarId == mailbox.DefaultCalendarId,
            ["changeKey"] = "AAAAAA==",
            ["canShare"] = true,
            ["canViewPrivateItems"] = true,
            ["canEdit"] = true,
            ["owner"] = new JsonObject { ["name"] = mailbox.Name, ["address"] = mailbox.Address },
        });
    }

    private static string ResponseOf(RouteKind kind) => kind switch
    {
        RouteKind.AcceptEvent => "accepted",
        RouteKind.TentativelyAcceptEvent => "tentativelyAccepted",
        _ => "declined",
    };

    /// <summary>Whether an answer's body asks for a message to the organizer: <c>sendResponse</c>, true when left out.</summary>
    private static bool SendsResponse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return true;
        }

        // Graph's action parameters are case-insensitive: the SDK writes "SendResponse".
        var input = EventDocument.ParseObject(body);
        var send = input.FirstOrDefault(p => p.Key.Equals("sendResponse", StringComparison.OrdinalIgnoreCase)).Value as JsonValue;
        return send is null || !send.TryGetValue<bool>(out var value) || value;
    }

    /// <summary>
    /// The occurrences and exceptions of a series in a window (required), by start, paged like listings; for any other event,
    /// the event itself when it overlaps the window, if one is given.
    /// </summary>
    private EmulatorResponse Instances(EmulatorRequest request, RouteMatch route, MailboxState mailbox, RenderOptions render)
    {
        var stored = mailbox.Get(route.EventId!);
        if (stored.IsSeriesMaster)
        {
            var (start, end) = Window(request, required: true);
            return Page(request, route, mailbox.Instances(stored, start!.Value, end!.Value), render, request.QueryValue("$top"));
        }

        var (windowStart, windowEnd) = Window(request, required: false);
        var instances = new JsonArray();
        if (windowStart is null || windowEnd is null || stored.Overlaps(windowStart.Value, windowEnd.Value))
        {
            instances.Add(EventDocument.Render(stored, render));
        }

        return new EmulatorResponse(200, new JsonObject
        {
            ["@odata.context"] = $"{GraphBase}$metadata#Collection(event)",
            ["value"] = instances,
        });
    }

    private static EmulatorResponse EventResponse(int status, StoredEvent stored, RenderOptions render)
    {
        var response = new EmulatorResponse(status, EventDocument.Render(stored, render));
        response.Headers["ETag"] = stored.ETag;
        return response;
    }

    private static RenderOptions RenderFor(EmulatorRequest request)
    {
        var selection = ExtendedPropertySelection.Parse(request.QueryValue("$expand"));
        var zoneName = PreferHeader.TimeZone(request.Header("Prefer"));
        if (zoneName is null)
        {
            return new RenderOptions(DateTimeZone.Utc, "UTC", selection);
        }

        var zone = GraphTime.FindZone(zoneName)
            ?? throw GraphErrorException.BadRequest("TimeZoneNotSupportedException", $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zoneName}'.");
        return new RenderOptions(zone, zoneName, selection);
    }

    private static (Instant? Start, Instant? End) Window(EmulatorRequest request, bool required)
    {
        var startText = request.QueryValue("startDateTime");
        var endText = request.QueryValue("endDateTime");
        if (startText is null && endText is null && !required)
        {
            return (null, null);
        }

        var start = GraphTime.ParseQueryInstant(startText);
        var end = GraphTime.ParseQueryInstant(endText);
        if (start is null || end is null)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        }

        if (end < start)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidParameter", "The parameter 'EndDateTime' must not be before 'StartDateTime'.");
        }

        return (start, end);
    }

    private EmulatorResponse Page(EmulatorRequest request, RouteMatch route, List<StoredEvent> events, RenderOptions render, string? top)
    {
        var pageSize = Math.Min(
            MaxPageSize,
            int.TryParse(top, out var requested) && requested > 0 ? requested : PreferHeader.MaxPageSize(request.Header("Prefer")) ?? DefaultListPageSize);
        var skip = int.TryParse(request.QueryValue("$skip"), out var skipped) && skipped > 0 ? skipped : 0;
        var value = new JsonArray();
        foreach (var stored in events.Skip(skip).Take(pageSize))
        {
            value.Add(EventDocument.Render(stored, render));
        }

        var result = new JsonObject
        {
            ["@odata.context"] = $"{GraphBase}$metadata#Collection(event)",
            ["value"] = value,
        };
        if (skip + pageSize < events.Count)
        {
            var query = new Dictionary<string, string>(request.Query, StringComparer.OrdinalIgnoreCase)
            {
                ["$top"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["$skip"] = (skip + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            result["@odata.nextLink"] = Link(route, query);
        }

        return new EmulatorResponse(200, result);
    }

    private EmulatorResponse Delta(EmulatorRequest request, RouteMatch route, MailboxState mailbox, RenderOptions render)
    {
        DeltaCursor round;
        if (request.QueryValue("$skiptoken") is { } skipToken)
        {
            round = backend.Cursor(mailbox, skipToken);
        }
        else
        {
            var deltaToken = request.QueryValue("$deltatoken");
            var (start, end) = deltaToken is null ? Window(request, required: true) : (null, null);
            round = backend.StartDelta(mailbox, deltaToken, start, end);
        }

        var pending = round.Pending ?? [];
        var pageSize = Math.Min(MaxPageSize, PreferHeader.MaxPageSize(request.Header("Prefer")) ?? backend.Options.DefaultDeltaPageSize);

        // As Graph does, a page does not end inside a series: it runs on to the series' last item.
        var take = Math.Min(pageSize, pending.Count);
        while (take > 0 && take < pending.Count && pending[take].Group == pending[take - 1].Group)
        {
            take++;
        }

        var value = new JsonArray();
        foreach (var entry in pending.Take(take))
        {
            if (DeltaItem(mailbox, entry, render) is { } item)
            {
                value.Add(item);
            }
        }

        var result = new JsonObject
        {
            ["@odata.context"] = $"{GraphBase}$metadata#Collection(event)",
            ["value"] = value,
        };
        var deltaPath = route.LinkPrefix + "/calendarView/delta";
        if (pending.Count > take)
        {
            var token = backend.SaveCursor(round with { Pending = pending.Skip(take).ToList() });
            result["@odata.nextLink"] = $"{GraphBase}{deltaPath}?$skiptoken={token}";
        }
        else
        {
            var token = backend.SaveCursor(round with { Pending = null });
            result["@odata.deltaLink"] = $"{GraphBase}{deltaPath}?$deltatoken={token}";
        }

        var response = new EmulatorResponse(200, result);
        if (PreferHeader.MaxPageSize(request.Header("Prefer")) is { } applied)
        {
            response.Headers["Preference-Applied"] = $"odata.maxpagesize={Math.Min(applied, MaxPageSize)}";
        }

        return response;
    }

    /// <summary>Renders a delta item as it is when the page is read, or null for an occurrence deleted since the round started.</summary>
    private static JsonObject? DeltaItem(MailboxState mailbox, DeltaEntry entry, RenderOptions render)
    {
        if (entry.Kind != DeltaItemKind.Removed)
        {
            var found = mailbox.FindInDefaultCalendar(entry.Id);
            if (found is not null)
            {
                return found.Type == Series.Occurrence ? EventDocument.RenderStripped(found, render) : EventDocument.Render(found, render);
            }

            if (entry.Kind == DeltaItemKind.Occurrence)
            {
                // Graph gives no sign of deleted occurrences.
                return null;
            }
        }

        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.event",
            ["id"] = entry.Id,
            ["@removed"] = new JsonObject { ["reason"] = "deleted" },
        };
    }

    private string Link(RouteMatch route, IReadOnlyDictionary<string, string> query)
    {
        var path = route.NormalizedPath.StartsWith("/me/", StringComparison.Ordinal)
            ? route.LinkPrefix + route.NormalizedPath[3..]
            : route.NormalizedPath.TrimStart('/');
        var builder = new StringBuilder(GraphBase).Append(path);
        var separator = '?';
        foreach (var (key, value) in query)
        {
            builder.Append(separator).Append(Uri.EscapeDataString(key).Replace("%24", "$", StringComparison.Ordinal)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    /// <summary>Carries out a <c>$batch</c>; with <paramref name="carriedOutItems"/>, only that many of its requests, as a server stopped midway.</summary>
    private EmulatorResponse Batch(EmulatorRequest request, int? carriedOutItems, SlotLease slots)
    {
        var body = EventDocument.ParseObject(request.Body);
        if (body["requests"] is not JsonArray requests)
        {
            throw GraphErrorException.BadRequest("BadRequest", "A batch needs a 'requests' array.");
        }

        if (requests.Count > MaxBatchSize)
        {
            throw GraphErrorException.BadRequest("BadRequest", $"The number of requests in a batch ({requests.Count}) exceeds the limit of {MaxBatchSize}.");
        }

        // Outlook carries out a batch's independent requests 4 at a time and chained ones (dependsOn) one after another, each
        // holding a slot of the mailbox's 4 concurrent requests: with fewer slots free, the requests that find none are 429.
        var independent = requests.Count(node => node is JsonObject item && (item["dependsOn"] as JsonArray ?? []).Count == 0);
        var width = Math.Clamp(independent, 1, MailboxConcurrency.Limit);
        var concurrency = request.Mailbox is null ? null : ConcurrencyOf(request, RouteMatch.Match("GET", "/v1.0/me/events"));
        var granted = concurrency?.Take(width) ?? width;
        slots.Hold(concurrency, granted, waves: 0);
        var position = 0;
        var executed = 0;
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new JsonArray();
        foreach (var node in requests.Take(carriedOutItems ?? requests.Count))
        {
            if (node is not JsonObject item || (string?)item["id"] is not { } id || (string?)item["method"] is not { } method || (string?)item["url"] is not { } url)
            {
                throw GraphErrorException.BadRequest("BadRequest", "Every batch request needs an id, a method and a url.");
            }

            if (statuses.ContainsKey(id))
            {
                throw GraphErrorException.BadRequest("BadRequest", $"Batch request id '{id}' is used twice.");
            }

            EmulatorResponse response;
            var dependencies = (item["dependsOn"] as JsonArray)?.Select(d => (string?)d).ToList() ?? [];
            var itemRequest = ItemRequest(request, method, url, item);
            var route = RouteMatch.Match(itemRequest.Method, itemRequest.Path);
            var hasSlot = granted > 0 && (dependencies.Count > 0 || position++ % width < granted);
            if (dependencies.Any(d => d is null || !statuses.TryGetValue(d, out var status) || status >= 400))
            {
                response = GraphResponses.Error(424, "FailedDependency", "A request this request depends on failed.", backend.Now);
            }
            else if (!hasSlot)
            {
                response = GraphResponses.MailboxConcurrency(backend.Now);
            }
            else if (route.Kind == RouteKind.Batch)
            {
                response = GraphResponses.Error(400, "BadRequest", "A batch cannot contain a batch.", backend.Now);
            }
            else if (faults.Next(itemRequest.Method, route.NormalizedPath, inBatch: true, isBatch: false) is { } fault)
            {
                response = GraphResponses.Fault(fault, backend.Now);
            }
            else
            {
                response = Guarded(() => Dispatch(itemRequest, route));
                executed++;
            }

            statuses[id] = response.StatusCode;
            log.Add(new RequestLogEntry(itemRequest.Method, itemRequest.Path, route.Template, response.StatusCode, itemRequest.Mailbox ?? route.PathMailbox, InBatch: true));
            var headers = new JsonObject();
            foreach (var (name, value) in response.Headers)
            {
                headers[name] = value;
            }

            if (response.Body is not null)
            {
                headers["Content-Type"] = "application/json; charset=utf-8";
            }

            var entry = new JsonObject { ["id"] = id, ["status"] = response.StatusCode, ["headers"] = headers };
            if (response.Body is not null)
            {
                entry["body"] = response.Body;
            }

            responses.Add(entry);
        }

        slots.Waves = granted == 0 ? 0 : (executed + granted - 1) / granted;
        return new EmulatorResponse(200, new JsonObject { ["responses"] = responses });
    }

    private static EmulatorRequest ItemRequest(EmulatorRequest batch, string method, string url, JsonObject item)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            url = absolute.PathAndQuery;
        }

        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(queryStart < 0 ? url : url[..queryStart]);
        var query = queryStart < 0 ? null : url[queryStart..];
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        if (!path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase))
        {
            path = "/v1.0" + path;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (item["headers"] is JsonObject given)
        {
            foreach (var (name, value) in given)
            {
                headers[name] = value is JsonValue ? value.ToString() : value?.ToJsonString() ?? string.Empty;
            }
        }

        var body = item["body"] switch
        {
            null => null,
            JsonValue text when text.TryGetValue<string>(out var encoded) => DecodeBody(encoded),
            var json => json.ToJsonString(),
        };
        return new EmulatorRequest(method, path, query, headers, body, batch.Mailbox, inBatch: true, batch.Application);
    }

    private static string DecodeBody(string encoded)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return encoded;
        }
    }

    /// <summary>The concurrency slots a request holds while it is carried out, and for how many rounds of service time.</summary>
    private sealed class SlotLease
    {
        private MailboxConcurrency? concurrency;
        private int held;

        public int Waves { get; set; }

        public void Hold(MailboxConcurrency? slots, int count, int waves)
        {
            concurrency = slots;
            held = slots is null ? 0 : count;
            Waves = waves;
        }

        public void Release()
        {
            concurrency?.Return(held);
            held = 0;
        }
    }
}
