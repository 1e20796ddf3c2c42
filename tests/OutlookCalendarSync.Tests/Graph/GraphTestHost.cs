using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>A Graph emulator and the adapter over the real SDK pointed at it; each user's token is their mailbox name.</summary>
internal sealed class GraphTestHost : IAsyncDisposable
{
    private GraphTestHost(GraphEmulator emulator, FakeClock clock, MicrosoftGraphOptions options, CapturingHandler capture)
    {
        Emulator = emulator;
        Clock = clock;
        Options = options;
        Capture = capture;
        Time = new WaitRecordingTimeProvider(clock);
        Http = GraphClientFactory.Create(GraphHttpPipeline.CreateHandlers(options, Time), finalHandler: capture);
        Tokens = new MailboxTokens();
        Calendar = new GraphOutlookCalendar(options, Tokens, () => Http, Time);
    }

    public GraphEmulator Emulator { get; }

    public FakeClock Clock { get; }

    public MicrosoftGraphOptions Options { get; }

    public CapturingHandler Capture { get; }

    /// <summary>The adapter's clock: the test's clock, with every wait recorded and ended at once.</summary>
    public WaitRecordingTimeProvider Time { get; }

    public HttpClient Http { get; }

    public MailboxTokens Tokens { get; }

    public GraphOutlookCalendar Calendar { get; }

    /// <summary>The library's default sync window at the clock's time: what reads by id are given in these tests.</summary>
    public Interval ReadWindow => new(Clock.GetCurrentInstant() - SyncDefaults.WindowBefore, Clock.GetCurrentInstant() + SyncDefaults.WindowAfter);

    public static async Task<GraphTestHost> StartAsync(Instant now, Action<MicrosoftGraphOptions>? configure = null, Action<GraphEmulatorOptions>? configureEmulator = null)
    {
        var clock = new FakeClock(now);
        var emulatorOptions = new GraphEmulatorOptions { Clock = clock };
        configureEmulator?.Invoke(emulatorOptions);
        var emulator = await GraphEmulator.StartAsync(emulatorOptions);
        var options = new MicrosoftGraphOptions { GraphBaseUrl = emulator.GraphBaseUrl, DefaultRetryDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new GraphTestHost(emulator, clock, options, new CapturingHandler { InnerHandler = new HttpClientHandler() });
    }

    /// <summary>
    /// The engine as a host wires it (<c>AddOutlookCalendarSync().UseMicrosoftGraph()</c>) against this emulator, with the given
    /// host calendar and state; <paramref name="calendar"/> replaces the Graph adapter when given. The caller disposes it.
    /// </summary>
    public ServiceProvider BuildSyncServices(ICalendarStore local, ISyncStateStore state, IOutlookCalendar? calendar = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(Clock);
        services.AddSingleton<TimeProvider>(Time);
        OutlookCalendarSyncBuilder builder = services.AddOutlookCalendarSync()
            .UseCalendarStore(local)
            .UseSyncStateStore(state)
            .UseAccessTokenProvider(Tokens)
            .UseMicrosoftGraph(o =>
            {
                o.GraphBaseUrl = Emulator.GraphBaseUrl;
                o.DefaultRetryDelay = Options.DefaultRetryDelay;
                o.MaxRetryAfter = Options.MaxRetryAfter;
                o.MaxThrottleRetries = Options.MaxThrottleRetries;
                o.DeltaPageSize = Options.DeltaPageSize;
            });
        if (calendar is not null)
        {
            builder.UseOutlookCalendar(calendar);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Adds an event as the mailbox owner would in Outlook and reads it back through the adapter.</summary>
    public async Task<CalendarEvent> AddByUserAsync(string user, CalendarEvent newEvent)
    {
        JsonObject seeded = Emulator.AddEvent(user, await ToJsonAsync(GraphEventMapper.ToGraph(newEvent, EventFields.All)));
        return (await Calendar.GetAsync(user, seeded["id"]!.GetValue<string>(), ReadWindow, default))!;
    }

    /// <summary>Changes an event as the mailbox owner would in Outlook (only the fields that differ) and reads it back.</summary>
    public async Task<CalendarEvent> ChangeByUserAsync(string user, string eventId, Func<CalendarEvent, CalendarEvent> change)
    {
        CalendarEvent current = (await Calendar.GetAsync(user, eventId, ReadWindow, default))!;
        CalendarEvent changed = change(current);
        Emulator.UpdateEvent(user, eventId, await ToJsonAsync(GraphEventMapper.ToGraph(changed, changed.DiffersFrom(current))));
        return (await Calendar.GetAsync(user, eventId, ReadWindow, default))!;
    }

    public static async Task<string> ToJsonAsync(Microsoft.Graph.Models.Event graphEvent)
    {
        ApiClientBuilder.RegisterDefaultSerializer<Microsoft.Kiota.Serialization.Json.JsonSerializationWriterFactory>();
        string json = await KiotaJsonSerializer.SerializeAsStringAsync(graphEvent);
        JsonObject parsed = JsonNode.Parse(json)!.AsObject();
        parsed.Remove("@odata.type");
        return parsed.ToJsonString(new JsonSerializerOptions());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Each user's token is the user id, which the emulator takes as the mailbox name; can be made to refuse a user.</summary>
    internal sealed class MailboxTokens : IUserAccessTokenProvider
    {
        public HashSet<string> Revoked { get; } = new(StringComparer.Ordinal);

        public int Calls { get; private set; }

        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken)
        {
            Calls++;
            return Revoked.Contains(userId) ? throw new ReauthorizationRequiredException() : Task.FromResult(userId);
        }
    }

    /// <summary>Keeps the requests the SDK sends (after its middleware), with their bodies.</summary>
    internal sealed class CapturingHandler : DelegatingHandler
    {
        private readonly List<(HttpRequestMessage Request, string? Body)> _requests = [];

        public IReadOnlyList<(HttpRequestMessage Request, string? Body)> Requests
        {
            get
            {
                lock (_requests)
                {
                    return _requests.ToList();
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (_requests)
            {
                _requests.Add((request, body));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
