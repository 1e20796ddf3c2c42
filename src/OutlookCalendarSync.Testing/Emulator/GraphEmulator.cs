using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Testing.Emulator.Internal;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>
/// An in-process Microsoft Graph calendar server on <c>127.0.0.1</c> (random port, plain HTTP) that the real
/// <c>GraphServiceClient</c> can talk to: events, calendar view, calendar-view delta with paging and token generations,
/// <c>$batch</c>, recurring series, change keys with <c>If-Match</c>, <c>transactionId</c> de-duplication, time-zone conversion by
/// <c>Prefer: outlook.timezone</c>, extended properties, JSON error bodies, an invitation outbox, a request log and
/// fault injection.
/// </summary>
/// <remarks>
/// <para>
/// Point a client at <see cref="GraphBaseUrl"/>. The mailbox of a request is the bearer token by default
/// (<c>Authorization: Bearer alice</c> reads and writes mailbox <c>alice</c>); change that with
/// <see cref="GraphEmulatorOptions.ResolveMailbox"/>. Routes answered, under both <c>/v1.0/me/</c> and
/// <c>/v1.0/users/{id}/</c>: <c>events</c> and <c>calendar/events</c> (GET, POST), <c>events/{id}</c>
/// (GET, PATCH, DELETE), <c>events/{id}/instances</c>, <c>events/{id}/calendar</c> and <c>calendar</c> (GET), <c>events/{id}/cancel</c>, <c>events/{id}/accept</c>,
/// <c>events/{id}/tentativelyAccept</c>, <c>events/{id}/decline</c>, <c>calendarView</c>,
/// <c>calendarView/delta</c> and <c>calendarView/delta()</c>, <c>mailboxSettings</c> (GET); and <c>POST /v1.0/$batch</c>.
/// </para>
/// <para>
/// Extended properties come back only where Graph returns them: with <c>$expand=singleValueExtendedProperties(...)</c> on
/// <c>GET events/{id}</c> and the <c>events</c> listing, which also answers
/// <c>$filter=singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...')</c>. <c>calendarView/delta</c> does not
/// support <c>$expand</c> (Microsoft documents it), so delta pages, like calendar view, instances and write answers, never carry
/// them. An event created with a <c>transactionId</c> returns it on every read.
/// </para>
/// <para>
/// Answering an invitation (<c>accept</c>, <c>tentativelyAccept</c>, <c>decline</c>) sets the event's <c>responseStatus</c>,
/// gives it a new change key and records an <see cref="OutboxMessageKind.Response"/> to the organizer unless the body says
/// <c>"sendResponse": false</c>; answering a meeting the mailbox organizes is a 400 <c>ErrorInvalidRequest</c>. A declined
/// meeting stays in the calendar: real Outlook may move it to Deleted Items, which delta then reports as a removal (seed that
/// with <see cref="DeleteEvent"/>).
/// </para>
/// <para>
/// Recurring series behave as in Outlook: an event written with a <c>recurrence</c> is a <c>seriesMaster</c> (its start and
/// end are the first occurrence's); its occurrences are computed on read, keep their local time in the recurrence time zone
/// across daylight-saving changes, and have ids <c>{seriesMasterId}_{yyyyMMddTHHmmssZ}</c> (the UTC original start). Patching an
/// occurrence makes it an <c>exception</c> with the same id; deleting one takes it out of the series; either gives the master a
/// new change key. Changing the master's start, end or pattern regenerates the series: exceptions are dropped and deleted
/// occurrences come back. <c>events</c> lists singles and masters; <c>calendarView</c> lists singles, occurrences and
/// exceptions; <c>calendarView/delta</c> sends masters in full, occurrences stripped to their id, type, series master id,
/// start and end, and exceptions in full.
/// </para>
/// <para>Bodies are stored as written (text stays text).</para>
/// <para>
/// Change notifications: <c>POST /v1.0/subscriptions</c> (resource <c>me/events</c> or <c>users/{id}/events</c>, change types
/// <c>created</c>, <c>updated</c>, <c>deleted</c>, an expiration at most 4,230 minutes ahead, a <c>clientState</c> of at most 128
/// characters) first runs Graph's validation handshake against the <c>notificationUrl</c> and the <c>lifecycleNotificationUrl</c>
/// (a POST with <c>?validationToken=...</c> that must be echoed as <c>text/plain</c> with 200 within 10 seconds) and answers 400
/// <c>ValidationError</c> when either fails. Graph requires https URLs; the emulator calls only loopback URLs, over http or https.
/// <c>GET</c>, <c>PATCH</c> (renew with a new <c>expirationDateTime</c>) and <c>DELETE /v1.0/subscriptions/{id}</c> answer for the
/// subscription's own mailbox; an expired subscription is gone (404). Every change to a subscribed mailbox, through the API or the
/// seeding methods, is POSTed to the subscriber as Graph does (no resource data; the <c>clientState</c> echoed), retried a few
/// times when the answer is not 2xx. <see cref="SendLifecycleNotification"/>, <see cref="ExpireSubscription"/> and
/// <see cref="InjectNotificationFault"/> (lost, delayed, duplicated notifications) play what Graph does on its own.
/// </para>
/// </remarks>
/// <threadsafety>All members are safe to call from any thread while requests are being answered.</threadsafety>
public sealed partial class GraphEmulator : IAsyncDisposable
{
    /// <summary>Writes JSON as Graph does: apostrophes and non-ASCII letters are not escaped.</summary>
    private static readonly JsonSerializerOptions ResponseJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication app;
    private readonly EmulatorBackend backend;
    private readonly FaultInjector faults = new();
    private readonly RequestLog log = new();
    private readonly GraphApi api;
    private readonly SubscriptionRegistry subscriptions;
    private readonly IdentityProvider identity;
    private readonly ApplicationDirectory applications = new();
    private readonly X509Certificate2 certificate;
    private long latencyTicks;

    private GraphEmulator(WebApplication app, GraphEmulatorOptions options, X509Certificate2 certificate)
    {
        this.app = app;
        this.certificate = certificate;
        backend = new EmulatorBackend(options);
        subscriptions = new SubscriptionRegistry(backend, applications);
        backend.EventChanged = subscriptions.OnEventChanged;
        api = new GraphApi(backend, faults, log, subscriptions, applications);
        identity = new IdentityProvider(backend, log) { Applications = applications };
        Latency = options.Latency;
        MsalHttpClientFactory = new EmulatorMsalHttpClientFactory(CreateHttpsHandler());
    }

    /// <summary>Gets the server's root, such as <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Gets the Graph base URL to give the SDK, such as <c>http://127.0.0.1:54321/v1.0/</c>.</summary>
    public Uri GraphBaseUrl { get; private set; } = null!;

    /// <summary>
    /// Gets the root of the identity endpoints (HTTPS with a self-signed certificate), such as
    /// <c>https://127.0.0.1:54322/</c>: set it as <c>MicrosoftAccountOptions.AuthorityHost</c>, with
    /// <see cref="MsalHttpClientFactory"/> as its <c>HttpClientFactory</c>.
    /// </summary>
    /// <remarks>
    /// <c>/{tenant}/oauth2/v2.0/authorize</c> signs in the mailbox named by the <c>login_hint</c> parameter and redirects back
    /// with a code (PKCE S256 required), or with <c>access_denied</c> for a mailbox given to <see cref="DenyConsent"/>, to a
    /// redirect URI registered on the app (<see cref="GraphEmulatorOptions.RedirectUris"/>; others get Entra's AADSTS50011 page).
    /// <c>/{tenant}/oauth2/v2.0/token</c> redeems a code once (verifying the PKCE verifier) and rotates refresh tokens; a
    /// refresh token of a mailbox given to <see cref="RevokeConsent"/> answers <c>invalid_grant</c>.
    /// </remarks>
    public Uri AuthorityHost { get; private set; } = null!;

    /// <summary>Gets an MSAL HTTP client factory that trusts exactly the emulator's certificate.</summary>
    public EmulatorMsalHttpClientFactory MsalHttpClientFactory { get; }

    /// <summary>Gets or sets the latency added to every HTTP request, for benchmarks; zero (the default) adds none.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref latencyTicks));
        set => Interlocked.Exchange(ref latencyTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>Gets the messages Outlook would have emailed because of API requests, oldest first.</summary>
    /// <remarks>Events written through the seeding API (as a user in Outlook) add nothing here.</remarks>
    public IReadOnlyList<OutboxMessage> Outbox => backend.Outbox;

    /// <summary>Gets the change and lifecycle notifications the emulator POSTed, each attempt once, in the order they ended.</summary>
    public IReadOnlyList<NotificationDelivery> NotificationDeliveries => subscriptions.Deliveries;

    /// <summary>Gets the requests answered since the start or the last <see cref="ResetRequestLog"/>, oldest first.</summary>
    public IReadOnlyList<RequestLogEntry> RequestLog => log.Snapshot();

    /// <summary>Starts an emulator with default options on a free port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static Task<GraphEmulator> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new GraphEmulatorOptions(), cancellationToken);

    /// <summary>Starts an emulator on a free port.</summary>
    /// <param name="options">The clock, token-to-mailbox mapping, latency and page size.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<GraphEmulator> StartAsync(GraphEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Clock);
        ArgumentNullException.ThrowIfNull(options.ResolveMailbox);
        var certificate = EmulatorCertificate.Create();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        var app = builder.Build();
        var emulator = new GraphEmulator(app, options, certificate);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        emulator.BaseUrl = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/') + "/");
        emulator.AuthorityHost = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)).TrimEnd('/') + "/");
        emulator.identity.AuthorityHost = emulator.AuthorityHost;
        emulator.GraphBaseUrl = new Uri(emulator.BaseUrl, "v1.0/");
        emulator.api.GraphBase = emulator.GraphBaseUrl.ToString();
        return emulator;
    }

    /// <summary>
    /// Adds an event to a mailbox as the user would in Outlook: it shows up in listings and delta like any change,
    /// and sends no invitation.
    /// </summary>
    /// <param name="mailbox">The mailbox name (what the bearer token maps to).</param>
    /// <param name="eventJson">
    /// Graph event JSON, at least <c>start</c> and <c>end</c>, for example
    /// <c>{"subject":"Dentist","start":{"dateTime":"2024-05-01T09:00:00","timeZone":"W. Europe Standard Time"},"end":{...}}</c>.
    /// With a <c>recurrence</c> (<c>{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd","startDate":"2024-05-06"}}</c>)
    /// it is a series master. Besides what clients may write, a seed may set <c>id</c>, <c>isOrganizer</c>, <c>organizer</c>,
    /// <c>responseStatus</c>, <c>isCancelled</c> and <c>iCalUId</c> (for meetings organized by someone else),
    /// <c>onlineMeeting</c> (a Teams meeting's join URL), and <c>originalStartTimeZone</c> / <c>originalEndTimeZone</c> (an Outlook
    /// client's custom zone such as <c>tzone://Microsoft/Custom</c>, kept until a write changes the start or end), which clients
    /// cannot write, as in Graph.
    /// </param>
    /// <returns>The stored event as Graph renders it (times in UTC, with its extended properties).</returns>
    /// <exception cref="ArgumentException">The JSON is not a valid event; the message says why.</exception>
    public JsonObject AddEvent(string mailbox, string eventJson)
    {
        var state = MailboxFor(mailbox);
        return Seed(() => EventDocument.Render(backend.Create(state, EventDocument.ParseObject(eventJson), seeding: true).Event, RenderOptions.Everything));
    }

    /// <summary>
    /// Delivers a meeting invitation from an organizer outside the emulator to a mailbox, as Exchange puts the attendee's copy of
    /// a meeting request in the calendar: <c>isOrganizer</c> false, <c>organizer</c> the given address, <c>responseStatus</c>
    /// <c>notResponded</c>, <c>responseRequested</c> true, <c>showAs</c> <c>tentative</c>, a new iCalUId (or the one given), the
    /// mailbox's owner among the attendees, and the attendee's own fields (reminder, categories) at their defaults.
    /// </summary>
    /// <remarks>
    /// <para>
    /// An organizer inside the emulator does this by itself: a meeting created through the API by one mailbox with another
    /// emulator mailbox among its attendees (an address in <see cref="GraphEmulatorOptions.MailboxDomain"/>) puts a copy in that
    /// mailbox; the organizer's later updates of the meeting (not of single occurrences) rewrite the organizer's fields of each
    /// copy and keep the attendee's own (answer, reminder, show-as, categories); deleting or cancelling it marks each copy
    /// <c>isCancelled</c> with a subject starting "Canceled: ".
    /// </para>
    /// <para>
    /// Like Graph, the emulator lets the attendee PATCH any writable property of their copy: a change of the subject or the time
    /// there is kept in that copy only and sent to no one (no outbox message), and the organizer's next update overwrites it.
    /// </para>
    /// </remarks>
    /// <param name="mailbox">The attendee's mailbox name.</param>
    /// <param name="eventJson">
    /// The meeting as its organizer wrote it: Graph event JSON with at least <c>start</c> and <c>end</c>, optionally
    /// <c>attendees</c>, <c>recurrence</c> and <c>iCalUId</c>.
    /// </param>
    /// <param name="organizerAddress">The organizer's email address.</param>
    /// <param name="organizerName">The organizer's display name; the address when null.</param>
    /// <returns>The attendee's copy as Graph renders it (times in UTC).</returns>
    /// <exception cref="ArgumentException">The JSON is not a valid event, or the organizer's address is empty.</exception>
    public JsonObject AddInvitation(string mailbox, string eventJson, string organizerAddress, string? organizerName = null)
    {
        var state = MailboxFor(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(organizerAddress);
        return Seed(() => EventDocument.Render(backend.DeliverInvitation(state, EventDocument.ParseObject(eventJson), organizerAddress, organizerName), RenderOptions.Everything));
    }

    /// <summary>Changes an event as the user would in Outlook: its change key changes and delta reports it.</summary>
    /// <remarks>
    /// An occurrence id makes that occurrence an exception (and gives its series master a new change key); a series master
    /// whose start, end or recurrence changes is regenerated, losing its exceptions and deleted occurrences.
    /// </remarks>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="eventId">The event's Graph id: a single event, a series master, an occurrence or an exception.</param>
    /// <param name="patchJson">The properties to change, as in a PATCH body (<c>{"subject":"Moved"}</c>).</param>
    /// <returns>The updated event as Graph renders it.</returns>
    /// <exception cref="ArgumentException">The JSON is not a valid change, or no such event exists.</exception>
    public JsonObject UpdateEvent(string mailbox, string eventId, string patchJson)
    {
        var state = MailboxFor(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        return Seed(() => EventDocument.Render(backend.Update(state, eventId, EventDocument.ParseObject(patchJson), ifMatch: null, seeding: true), RenderOptions.Everything));
    }

    /// <summary>Deletes an event as the user would in Outlook: delta reports it as removed, and no cancellation is sent.</summary>
    /// <remarks>
    /// A series master goes with its exceptions; an occurrence or exception is taken out of its series, whose master gets a new
    /// change key (delta then reports the master, and for an exception, its removal).
    /// </remarks>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="eventId">The event's Graph id: a single event, a series master, an occurrence or an exception.</param>
    /// <returns><see langword="true"/> if the event existed.</returns>
    public bool DeleteEvent(string mailbox, string eventId)
    {
        var state = MailboxFor(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        try
        {
            backend.Delete(state, eventId, ifMatch: null, seeding: true);
            return true;
        }
        catch (GraphErrorException error) when (error.StatusCode == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Moves an event to another calendar of the mailbox, as the user would in Outlook: its immutable id stays, so
    /// <c>GET /me/events/{id}</c> still answers, <c>GET /me/events/{id}/calendar</c> names the other calendar, and the default
    /// calendar's <c>calendarView</c>, listing and delta no longer have it (delta reports it as removed).
    /// </summary>
    /// <remarks>
    /// A series master moves with its exceptions. Writes to a moved event (<c>PATCH</c>, <c>DELETE</c>) are not emulated and
    /// answer 404; <c>GET /me/calendar/events/{id}</c> answers for it as <c>GET /me/events/{id}</c> does, since Graph does not
    /// document that the path's calendar is checked.
    /// </remarks>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="eventId">The id of a single event or series master of the default calendar.</param>
    /// <param name="calendarName">The other calendar's name; it is created when the mailbox has none of that name.</param>
    /// <returns>The other calendar's id.</returns>
    /// <exception cref="ArgumentException">The default calendar has no single event or series master with that id.</exception>
    public string MoveEventToCalendar(string mailbox, string eventId, string calendarName)
    {
        var state = MailboxFor(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        ArgumentException.ThrowIfNullOrWhiteSpace(calendarName);
        if (calendarName == "Calendar")
        {
            throw new ArgumentException("'Calendar' is the default calendar's name: give another calendar's.", nameof(calendarName));
        }

        try
        {
            return state.MoveToCalendar(eventId, calendarName);
        }
        catch (GraphErrorException error) when (error.StatusCode == 404)
        {
            throw new ArgumentException($"Mailbox '{mailbox}' has no single event or series master '{eventId}' in its default calendar.", nameof(eventId), error);
        }
    }

    /// <summary>Reads one event of a mailbox as Graph renders it (times in UTC, with its extended properties).</summary>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="eventId">The event's Graph id: a single event, a series master, an occurrence or an exception.</param>
    /// <returns>The event, or <see langword="null"/> if there is none with that id (a deleted occurrence has none).</returns>
    public JsonObject? GetEvent(string mailbox, string eventId)
    {
        var state = MailboxFor(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        return state.Find(eventId) is { } stored ? EventDocument.Render(stored, RenderOptions.Everything) : null;
    }

    /// <summary>
    /// Reads the occurrences and exceptions of a recurring series that overlap a window, as
    /// <c>GET /me/events/{id}/instances</c> returns them: ordered by start, exceptions at their actual time, deleted
    /// occurrences left out.
    /// </summary>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="seriesMasterId">The series master's Graph id.</param>
    /// <param name="start">The start of the window.</param>
    /// <param name="end">The end of the window (exclusive).</param>
    /// <returns>The instances (times in UTC, with their extended properties).</returns>
    /// <exception cref="ArgumentException">There is no series master with that id, or the window ends before it starts.</exception>
    public IReadOnlyList<JsonObject> GetInstances(string mailbox, string seriesMasterId, DateTimeOffset start, DateTimeOffset end)
    {
        var state = MailboxFor(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(seriesMasterId);
        if (end < start)
        {
            throw new ArgumentException($"The window ends ({end:O}) before it starts ({start:O}).", nameof(end));
        }

        lock (state.Gate)
        {
            if (!state.Events.TryGetValue(seriesMasterId, out var master) || !master.IsSeriesMaster)
            {
                throw new ArgumentException($"Mailbox '{mailbox}' has no series master with id '{seriesMasterId}'.", nameof(seriesMasterId));
            }

            return state.Instances(master, Instant.FromDateTimeOffset(start), Instant.FromDateTimeOffset(end))
                .Select(e => EventDocument.Render(e, RenderOptions.Everything))
                .ToList();
        }
    }

    /// <summary>Reads the events of a mailbox as <c>GET /me/events</c> lists them (single events and series masters), in creation order.</summary>
    /// <remarks>Occurrences and exceptions are read with <see cref="GetInstances"/>.</remarks>
    /// <param name="mailbox">The mailbox name.</param>
    /// <returns>The events (times in UTC, with their extended properties and transaction ids).</returns>
    public IReadOnlyList<JsonObject> GetEvents(string mailbox) =>
        MailboxFor(mailbox).All().Select(e => EventDocument.Render(e, RenderOptions.Everything)).ToList();

    /// <summary>
    /// Sets the mailbox's time zone, which <c>GET /me/mailboxSettings</c> answers as <c>timeZone</c> (the user's choice in
    /// Outlook's settings); <c>UTC</c> until set.
    /// </summary>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="timeZone">The zone as Graph names it: a Windows name (<c>W. Europe Standard Time</c>) or an IANA id.</param>
    public void SetMailboxTimeZone(string mailbox, string timeZone)
    {
        var state = MailboxFor(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZone);
        lock (state.Gate)
        {
            state.TimeZone = timeZone;
        }
    }

    /// <summary>Starts a new delta token generation: every delta and skip token issued so far answers 410 <c>SyncStateNotFound</c>.</summary>
    /// <param name="mailbox">The mailbox name.</param>
    public void ExpireDeltaTokens(string mailbox) => MailboxFor(mailbox).ExpireDeltaTokens();

    /// <summary>
    /// Creates an HTTP handler that trusts exactly the emulator's self-signed certificate and does not follow redirects, for a
    /// test that plays the browser on <see cref="AuthorityHost"/>.
    /// </summary>
    /// <returns>A new handler; the caller disposes it.</returns>
    public HttpMessageHandler CreateHttpsHandler()
    {
        var thumbprint = certificate.GetCertHashString();
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && string.Equals(presented.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase),
            },
        };
    }

    /// <summary>Makes the mailbox's user decline consent: the authorize endpoint redirects back with <c>access_denied</c>.</summary>
    /// <param name="mailbox">The mailbox name.</param>
    /// <param name="deny"><see langword="false"/> to let the user consent again.</param>
    public void DenyConsent(string mailbox, bool deny = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        identity.DenyConsent(mailbox, deny);
    }

    /// <summary>
    /// Revokes the app's consent for a mailbox: its refresh tokens answer <c>invalid_grant</c>. Access tokens already issued
    /// stay valid until they expire, as with Microsoft Entra.
    /// </summary>
    /// <param name="mailbox">The mailbox name.</param>
    public void RevokeConsent(string mailbox)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        identity.RevokeConsent(mailbox);
    }

    /// <summary>Forgets the messages recorded in <see cref="Outbox"/>.</summary>
    public void ClearOutbox() => backend.ClearOutbox();

    /// <summary>Forgets the requests recorded in <see cref="RequestLog"/>.</summary>
    public void ResetRequestLog() => log.Reset();

    /// <summary>Counts the logged requests per route template, such as <c>GET /me/events/{id}</c> or <c>POST /$batch</c>.</summary>
    /// <param name="includeBatchItems">Whether requests inside <c>$batch</c> count too (the default).</param>
    /// <returns>Route template to count.</returns>
    public IReadOnlyDictionary<string, int> RequestCountsByRoute(bool includeBatchItems = true) =>
        log.Snapshot().Where(e => includeBatchItems || !e.InBatch).GroupBy(e => e.Route, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Counts the logged requests of one route template, requests inside <c>$batch</c> included.</summary>
    /// <param name="route">A route template with its method, such as <c>PATCH /me/events/{id}</c>.</param>
    /// <returns>The number of such requests.</returns>
    public int CountRequests(string route) => log.Snapshot().Count(e => string.Equals(e.Route, route, StringComparison.OrdinalIgnoreCase));

    /// <summary>Injects a fault; it applies until it is spent (<see cref="GraphFault.Times"/>) or the returned handle is disposed.</summary>
    /// <param name="fault">What to fail, where and how often.</param>
    /// <returns>A handle that removes the fault when disposed.</returns>
    public IDisposable InjectFault(GraphFault fault) => faults.Add(fault);

    /// <summary>Removes every injected fault, notification faults included.</summary>
    public void ClearFaults()
    {
        faults.Clear();
        subscriptions.ClearFaults();
    }

    /// <summary>Reads the live (unexpired) subscriptions of a mailbox as <c>GET /v1.0/subscriptions</c> renders them.</summary>
    /// <param name="mailbox">The mailbox name.</param>
    /// <returns>The subscriptions, in no particular order.</returns>
    public IReadOnlyList<JsonObject> GetSubscriptions(string mailbox)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        return subscriptions.List(mailbox);
    }

    /// <summary>Lets a subscription lapse now, as when nobody renewed it in time: it sends nothing more and answers 404.</summary>
    /// <param name="subscriptionId">The subscription's id.</param>
    /// <exception cref="ArgumentException">There is no such subscription.</exception>
    public void ExpireSubscription(string subscriptionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        subscriptions.Expire(subscriptionId);
    }

    /// <summary>
    /// Sends a lifecycle notification to a subscription's <c>lifecycleNotificationUrl</c> (nothing when it has none, as in Graph).
    /// <see cref="SubscriptionLifecycleEvent.SubscriptionRemoved"/> also removes the subscription.
    /// </summary>
    /// <param name="subscriptionId">The subscription's id.</param>
    /// <param name="lifecycleEvent">The event to announce.</param>
    /// <exception cref="ArgumentException">There is no such subscription.</exception>
    public void SendLifecycleNotification(string subscriptionId, SubscriptionLifecycleEvent lifecycleEvent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        subscriptions.SendLifecycle(subscriptionId, lifecycleEvent);
    }

    /// <summary>Makes change notifications get lost, delayed or duplicated, until the fault is spent or the handle disposed.</summary>
    /// <param name="fault">What to do, to which mailbox, how often.</param>
    /// <returns>A handle that removes the fault when disposed.</returns>
    public IDisposable InjectNotificationFault(NotificationFault fault) => subscriptions.AddFault(fault);

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await subscriptions.DisposeAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        MsalHttpClientFactory.Dispose();
        certificate.Dispose();
    }

    private static JsonObject Seed(Func<JsonObject> action)
    {
        try
        {
            return action();
        }
        catch (GraphErrorException error)
        {
            throw new ArgumentException($"{error.Code}: {error.Message}", error);
        }
    }

    private MailboxState MailboxFor(string mailbox)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        return backend.Mailbox(mailbox);
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            await identity.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        var cancellationToken = context.RequestAborted;
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        }

        string? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body);
            body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var application = ApplicationOf(context.Request.Headers.Authorization.ToString());
        var request = new EmulatorRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value,
            headers,
            body,
            application is null ? MailboxOf(context.Request.Headers.Authorization.ToString()) : null,
            inBatch: false,
            application);
        EmulatorResponse response;
        if (application is null && RejectedApplicationToken(context.Request.Headers.Authorization.ToString()) is { } rejection)
        {
            // Graph checks the bearer token before it looks at the request, a $batch envelope included: 401 for the whole request.
            response = GraphResponses.Error(401, "InvalidAuthenticationToken", rejection, backend.Now);
            log.Add(new RequestLogEntry(request.Method, request.Path, RouteMatch.Match(request.Method, request.Path).Template, 401, null, InBatch: false));
        }
        else
        {
            try
            {
                response = await api.ExecuteHttpAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // A defect of the emulator itself: answered as Graph answers its own failures (500 with an error body) rather than
                // Kestrel's empty 500, so the failing test shows what broke instead of "the error failed to deserialize: 500".
                response = GraphResponses.Error(500, "InternalServerError", $"The emulator failed: {error}", backend.Now);
            }
        }

        if (response.AbortConnection)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        var text = response.RawBody ?? response.Body?.ToJsonString(ResponseJson);
        if (text is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        }
    }

    private string? RejectedApplicationToken(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? identity.RejectionOfAppAccessToken(authorization["Bearer ".Length..].Trim()) : null;

    private AppCaller? ApplicationOf(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? identity.ApplicationOfAccessToken(authorization["Bearer ".Length..].Trim()) : null;

    private string? MailboxOf(string authorization)
    {
        const string Scheme = "Bearer ";
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[Scheme.Length..].Trim();
        if (token.Length == 0)
        {
            return null;
        }

        return backend.Options.RequireIssuedAccessTokens ? identity.MailboxOfAccessToken(token) : backend.Options.ResolveMailbox(token);
    }
}
