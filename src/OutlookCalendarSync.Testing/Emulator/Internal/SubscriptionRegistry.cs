using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// Graph's <c>/subscriptions</c>: create (after the validation handshake against both URLs), read, renew, delete, expiry, and the
/// change and lifecycle notifications POSTed to the subscribers, with notification faults.
/// </summary>
internal sealed class SubscriptionRegistry : IAsyncDisposable
{
    /// <summary>Graph's longest lifetime of a subscription to Outlook events (without resource data): 4,230 minutes.</summary>
    public static readonly Duration MaxLifetime = Duration.FromMinutes(4230);

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];
    private static readonly string[] ChangeTypes = ["created", "updated", "deleted"];

    private readonly object gate = new();
    private readonly Dictionary<string, Subscription> subscriptions = new(StringComparer.Ordinal);
    private readonly List<ActiveNotificationFault> faults = [];
    private readonly ConcurrentQueue<NotificationDelivery> deliveries = new();
    private readonly ConcurrentDictionary<Task, bool> sending = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly EmulatorBackend backend;
    private readonly ApplicationDirectory applications;
    private readonly HttpClient http;

    public SubscriptionRegistry(EmulatorBackend backend, ApplicationDirectory applications)
    {
        this.backend = backend;
        this.applications = applications;

        // Graph waits 10 seconds for a validation answer; notifications are given the same.
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public IReadOnlyList<NotificationDelivery> Deliveries => deliveries.ToArray();

    public async Task<EmulatorResponse> HandleAsync(EmulatorRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        if (request.Mailbox is null && request.Application is null)
        {
            throw new GraphErrorException(401, "InvalidAuthenticationToken", "Access token is empty or invalid: send Authorization: Bearer <token>.");
        }

        // A subscription belongs to who created it: the signed-in user (delegated), or the app in its tenant (app-only).
        var owner = OwnerOf(request);
        switch (route.Kind, request.Method)
        {
            case (RouteKind.Subscriptions, "POST"):
                return await CreateAsync(request, owner, cancellationToken).ConfigureAwait(false);
            case (RouteKind.Subscriptions, "GET"):
                var value = new JsonArray();
                foreach (var subscription in LiveOf(owner))
                {
                    value.Add(Render(subscription));
                }

                return new EmulatorResponse(200, new JsonObject { ["@odata.context"] = $"{GraphBaseOf(request)}$metadata#subscriptions", ["value"] = value });
            case (RouteKind.Subscription, "GET"):
                return new EmulatorResponse(200, Render(Find(owner, route.EventId!)));
            case (RouteKind.Subscription, "PATCH"):
                return Renew(request, owner, route.EventId!);
            case (RouteKind.Subscription, "DELETE"):
                lock (gate)
                {
                    subscriptions.Remove(Find(owner, route.EventId!).Id);
                }

                return new EmulatorResponse(204);
            default:
                throw GraphErrorException.BadRequest("BadRequest", $"Unsupported request '{request.Method} {request.Path}'.");
        }
    }

    /// <summary>Queues a change notification to every live subscription of the mailbox; called under the mailbox's gate.</summary>
    public void OnEventChanged(string mailbox, string eventId, string changeType)
    {
        List<Subscription> targets;
        lock (gate)
        {
            var now = backend.Now;
            targets = [.. subscriptions.Values.Where(s => s.Mailbox.Equals(mailbox, StringComparison.OrdinalIgnoreCase) && s.Expiration > now && s.ChangeTypes.Contains(changeType))];
        }

        foreach (var subscription in targets)
        {
            var fault = NextFault(subscription.Mailbox);
            var payload = ChangePayload(subscription, eventId, changeType);
            var copies = fault?.Kind == NotificationFaultKind.Duplicate ? 2 : 1;
            if (fault?.Kind == NotificationFaultKind.Lose)
            {
                continue;
            }

            for (var i = 0; i < copies; i++)
            {
                Send(subscription, changeType, eventId, subscription.NotificationUrl, payload, fault?.Kind == NotificationFaultKind.Delay ? fault.Delay : TimeSpan.Zero);
            }
        }
    }

    public IReadOnlyList<JsonObject> List(string mailbox) => [.. Live(mailbox).Select(Render)];

    public void Expire(string subscriptionId)
    {
        lock (gate)
        {
            Get(subscriptionId).Expiration = backend.Now;
        }
    }

    public void SendLifecycle(string subscriptionId, SubscriptionLifecycleEvent lifecycleEvent)
    {
        Subscription subscription;
        lock (gate)
        {
            subscription = Get(subscriptionId);
            if (lifecycleEvent == SubscriptionLifecycleEvent.SubscriptionRemoved)
            {
                subscriptions.Remove(subscriptionId);
            }
        }

        var name = lifecycleEvent switch
        {
            SubscriptionLifecycleEvent.ReauthorizationRequired => "reauthorizationRequired",
            SubscriptionLifecycleEvent.SubscriptionRemoved => "subscriptionRemoved",
            _ => "missed",
        };

        // Without a lifecycle URL Graph sends no lifecycle notification.
        if (subscription.LifecycleUrl is { } url)
        {
            var item = new JsonObject
            {
                ["subscriptionId"] = subscription.Id,
                ["subscriptionExpirationDateTime"] = Format(subscription.Expiration),
                ["tenantId"] = backend.Options.TenantId,
                ["clientState"] = subscription.ClientState,
                ["lifecycleEvent"] = name,
            };
            Send(subscription, name, null, url, new JsonObject { ["value"] = new JsonArray(item) }.ToJsonString(), TimeSpan.Zero);
        }
    }

    public IDisposable AddFault(NotificationFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Times is < 0)
        {
            throw new ArgumentException("Times must be zero or more, or null to apply until removed.", nameof(fault));
        }

        var active = new ActiveNotificationFault(this, fault);
        lock (gate)
        {
            faults.Add(active);
        }

        return active;
    }

    public void ClearFaults()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(sending.Keys).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Deliveries in flight were cancelled.
        }

        http.Dispose();
        stopping.Dispose();
    }

    private static string Format(Instant instant) => GraphTime.FormatInstant(instant);

    private static string GraphBaseOf(EmulatorRequest request) => request.Path[..(request.Path.IndexOf("/v1.0/", StringComparison.OrdinalIgnoreCase) + 6)];

    private static Uri LoopbackUrl(JsonObject body, string name)
    {
        var text = (string?)(body[name] as JsonValue)
            ?? throw GraphErrorException.BadRequest("InvalidRequest", $"The '{name}' property is required.");

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw GraphErrorException.BadRequest("InvalidRequest", $"'{name}' must be an absolute https URL (it is '{text}').");
        }

        // Graph calls any https URL; the emulator calls only this machine (plain http allowed there), so no test reaches out.
        if (!url.IsLoopback)
        {
            throw GraphErrorException.BadRequest("InvalidRequest", $"The emulator calls only loopback notification URLs ('{text}' is not one).");
        }

        return url;
    }

    private Instant Expiration(JsonObject body)
    {
        var text = (string?)(body["expirationDateTime"] as JsonValue)
            ?? throw GraphErrorException.BadRequest("InvalidRequest", "The 'expirationDateTime' property is required.");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            throw GraphErrorException.BadRequest("InvalidRequest", $"'expirationDateTime' is not a date and time: '{text}'.");
        }

        var expiration = Instant.FromDateTimeOffset(parsed);
        var now = backend.Now;
        if (expiration <= now)
        {
            throw GraphErrorException.BadRequest("ExtensionError", "Subscription expiration must be in the future.");
        }

        if (expiration > now + MaxLifetime)
        {
            throw GraphErrorException.BadRequest("ExtensionError", "Subscription expiration can only be 4230 minutes in the future.");
        }

        return expiration;
    }

    private async Task<EmulatorResponse> CreateAsync(EmulatorRequest request, string owner, CancellationToken cancellationToken)
    {
        var body = EventDocument.ParseObject(request.Body);
        var changeTypes = ((string?)(body["changeType"] as JsonValue) ?? throw GraphErrorException.BadRequest("InvalidRequest", "The 'changeType' property is required."))
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (changeTypes.Length == 0 || changeTypes.Any(t => !ChangeTypes.Contains(t, StringComparer.Ordinal)))
        {
            throw GraphErrorException.BadRequest("InvalidRequest", "'changeType' must list created, updated and/or deleted, separated by commas.");
        }

        var resource = (string?)(body["resource"] as JsonValue) ?? string.Empty;
        var segments = resource.Trim('/').Split('/');
        var resourceMailbox = segments switch
        {
            [var me, var events] when me.Equals("me", StringComparison.OrdinalIgnoreCase) && events.Equals("events", StringComparison.OrdinalIgnoreCase) => request.Application is null
                ? request.Mailbox!
                : throw GraphErrorException.BadRequest("InvalidRequest", "/me request is only valid with delegated authentication flow: an app-only subscription names its mailbox, 'users/{id}/events'."),
            [var users, var id, var events] when users.Equals("users", StringComparison.OrdinalIgnoreCase) && events.Equals("events", StringComparison.OrdinalIgnoreCase) => request.Application is { } application
                ? applications.Authorize(application, backend.MailboxNameFromPath(Uri.UnescapeDataString(id)), id)
                : backend.MailboxNameFromPath(Uri.UnescapeDataString(id)),
            _ => throw GraphErrorException.BadRequest("InvalidRequest", $"The emulator subscribes to 'me/events' or 'users/{{id}}/events' only (resource is '{resource}')."),
        };
        var clientState = (string?)(body["clientState"] as JsonValue);
        if (clientState is { Length: > 128 })
        {
            throw GraphErrorException.BadRequest("InvalidRequest", "'clientState' can be at most 128 characters.");
        }

        if (body["includeResourceData"] is JsonValue include && include.TryGetValue<bool>(out var withData) && withData)
        {
            throw GraphErrorException.BadRequest("InvalidRequest", "The emulator sends notifications without resource data only.");
        }

        var expiration = Expiration(body);
        var notificationUrl = LoopbackUrl(body, "notificationUrl");
        var lifecycleUrl = body["lifecycleNotificationUrl"] is null ? null : LoopbackUrl(body, "lifecycleNotificationUrl");
        await ValidateAsync(notificationUrl, cancellationToken).ConfigureAwait(false);
        if (lifecycleUrl is not null)
        {
            await ValidateAsync(lifecycleUrl, cancellationToken).ConfigureAwait(false);
        }

        var subscription = new Subscription(Guid.NewGuid().ToString(), backend.Mailbox(resourceMailbox).Name, resource, [.. changeTypes], notificationUrl, lifecycleUrl, clientState)
        {
            Expiration = expiration,
            Owner = owner,
        };
        lock (gate)
        {
            subscriptions[subscription.Id] = subscription;
        }

        return new EmulatorResponse(201, Render(subscription));
    }

    /// <summary>Graph's validation handshake: the endpoint must echo the token as <c>text/plain</c> with 200 within 10 seconds.</summary>
    private async Task ValidateAsync(Uri url, CancellationToken cancellationToken)
    {
        var token = $"Validation: Testing client application reachability for subscription Request-Id: {Guid.NewGuid()}";
        var target = new UriBuilder(url) { Query = (url.Query.Length > 1 ? url.Query[1..] + "&" : string.Empty) + "validationToken=" + Uri.EscapeDataString(token) }.Uri;
        bool valid;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(string.Empty, Encoding.UTF8, "text/plain") };
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            valid = response.StatusCode == HttpStatusCode.OK
                && response.Content.Headers.ContentType?.MediaType == "text/plain"
                && string.Equals(text, token, StringComparison.Ordinal);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            valid = false;
        }

        if (!valid)
        {
            throw GraphErrorException.BadRequest("ValidationError", $"Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request ({url}).");
        }
    }

    private EmulatorResponse Renew(EmulatorRequest request, string owner, string id)
    {
        var body = EventDocument.ParseObject(request.Body);
        var expiration = Expiration(body);
        lock (gate)
        {
            var subscription = Find(owner, id);
            subscription.Expiration = expiration;
            return new EmulatorResponse(200, Render(subscription));
        }
    }

    private List<Subscription> Live(string mailbox)
    {
        lock (gate)
        {
            var now = backend.Now;
            return [.. subscriptions.Values.Where(s => s.Mailbox.Equals(mailbox, StringComparison.OrdinalIgnoreCase) && s.Expiration > now)];
        }
    }

    /// <summary>The live subscriptions a caller created.</summary>
    private List<Subscription> LiveOf(string owner)
    {
        lock (gate)
        {
            var now = backend.Now;
            return [.. subscriptions.Values.Where(s => s.Owner.Equals(owner, StringComparison.OrdinalIgnoreCase) && s.Expiration > now)];
        }
    }

    /// <summary>Who a request acts as: the signed-in user's mailbox, or the app in its tenant.</summary>
    private string OwnerOf(EmulatorRequest request) =>
        request.Application is { } application ? $"app:{application.Tenant}/{application.ClientId}" : "user:" + backend.Mailbox(request.Mailbox!).Name;

    /// <summary>A live subscription the caller created; an expired one is gone, as Graph deletes it.</summary>
    private Subscription Find(string owner, string id)
    {
        lock (gate)
        {
            if (subscriptions.TryGetValue(id, out var subscription) && subscription.Expiration <= backend.Now)
            {
                subscriptions.Remove(id);
                subscription = null;
            }

            if (subscription is null || !subscription.Owner.Equals(owner, StringComparison.OrdinalIgnoreCase))
            {
                throw new GraphErrorException(404, "ResourceNotFound", $"The object was not found: subscription '{id}'.");
            }

            return subscription;
        }
    }

    private Subscription Get(string id)
    {
        lock (gate)
        {
            return subscriptions.TryGetValue(id, out var subscription)
                ? subscription
                : throw new ArgumentException($"There is no subscription with id '{id}'.", nameof(id));
        }
    }

    private JsonObject Render(Subscription subscription) => new()
    {
        ["id"] = subscription.Id,
        ["resource"] = subscription.Resource,
        ["applicationId"] = "00000000-0000-0000-0000-0000000e0001",
        ["changeType"] = string.Join(',', subscription.ChangeTypes),
        ["clientState"] = subscription.ClientState,
        ["notificationUrl"] = subscription.NotificationUrl.ToString(),
        ["lifecycleNotificationUrl"] = subscription.LifecycleUrl?.ToString(),
        ["expirationDateTime"] = Format(subscription.Expiration),
        ["creatorId"] = subscription.Mailbox,
        ["includeResourceData"] = false,
        ["latestSupportedTlsVersion"] = "v1_2",
        ["notificationContentType"] = null,
    };

    private string ChangePayload(Subscription subscription, string eventId, string changeType)
    {
        var resource = $"Users/{subscription.Mailbox}/Events/{eventId}";
        var item = new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionExpirationDateTime"] = Format(subscription.Expiration),
            ["changeType"] = changeType,
            ["resource"] = resource,
            ["resourceData"] = new JsonObject
            {
                ["@odata.type"] = "#Microsoft.Graph.Event",
                ["@odata.id"] = resource,
                ["id"] = eventId,
            },
            ["clientState"] = subscription.ClientState,
            ["tenantId"] = backend.Options.TenantId,
        };
        return new JsonObject { ["value"] = new JsonArray(item) }.ToJsonString();
    }

    private NotificationFault? NextFault(string mailbox)
    {
        lock (gate)
        {
            foreach (var active in faults)
            {
                if ((active.Fault.Mailbox is null || active.Fault.Mailbox.Equals(mailbox, StringComparison.OrdinalIgnoreCase))
                    && (active.Fault.Times is null || active.Fired < active.Fault.Times))
                {
                    active.Fired++;
                    return active.Fault;
                }
            }

            return null;
        }
    }

    /// <summary>POSTs a notification in the background; an answer other than 2xx is retried a few times, as Graph retries.</summary>
    private void Send(Subscription subscription, string kind, string? eventId, Uri url, string payload, TimeSpan delay)
    {
        var task = Task.Run(async () =>
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, stopping.Token).ConfigureAwait(false);
            }

            for (var attempt = 0; ; attempt++)
            {
                var status = 0;
                try
                {
                    using var content = new StringContent(payload, Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(url, content, stopping.Token).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                }
                catch (Exception error) when (error is HttpRequestException || (error is TaskCanceledException && !stopping.IsCancellationRequested))
                {
                    status = 0;
                }

                deliveries.Enqueue(new NotificationDelivery(subscription.Id, subscription.Mailbox, kind, eventId, url, status, backend.Now));
                if (status is >= 200 and < 300 || attempt >= RetryDelays.Length)
                {
                    return;
                }

                await Task.Delay(RetryDelays[attempt], stopping.Token).ConfigureAwait(false);
            }
        });
        sending.TryAdd(task, true);
        task.ContinueWith(t => sending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private sealed class Subscription(string id, string mailbox, string resource, HashSet<string> changeTypes, Uri notificationUrl, Uri? lifecycleUrl, string? clientState)
    {
        public string Id { get; } = id;

        public string Mailbox { get; } = mailbox;

        public string Resource { get; } = resource;

        public HashSet<string> ChangeTypes { get; } = changeTypes;

        public Uri NotificationUrl { get; } = notificationUrl;

        public Uri? LifecycleUrl { get; } = lifecycleUrl;

        public string? ClientState { get; } = clientState;

        public Instant Expiration { get; set; }

        /// <summary>Who created it: <c>user:{mailbox}</c> or <c>app:{tenant}/{client id}</c>; only they may read, renew or delete it.</summary>
        public required string Owner { get; init; }
    }

    private sealed class ActiveNotificationFault(SubscriptionRegistry owner, NotificationFault fault) : IDisposable
    {
        public NotificationFault Fault { get; } = fault;

        public int Fired { get; set; }

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.faults.Remove(this);
            }
        }
    }
}
