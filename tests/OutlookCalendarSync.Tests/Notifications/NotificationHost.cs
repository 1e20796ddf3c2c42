using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Notifications;

/// <summary>
/// A host as an app wires change notifications: a real Kestrel server on loopback with <c>MapOutlookCalendarSyncNotifications</c>,
/// the scheduler and the real Graph adapter against the emulator (real time: the emulator calls the host over HTTP); each user's
/// token is their mailbox name.
/// </summary>
internal sealed class NotificationHost : IAsyncDisposable
{
    private NotificationHost(GraphEmulator emulator, WebApplication app, Uri baseUrl, InMemoryCalendarStore calendar, InMemorySyncStateStore states, InMemorySubscriptionStore subscriptions)
    {
        Emulator = emulator;
        App = app;
        BaseUrl = baseUrl;
        Calendar = calendar;
        States = states;
        Subscriptions = subscriptions;
    }

    public GraphEmulator Emulator { get; }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public Uri NotificationUrl => new(BaseUrl, "graph/notifications");

    public InMemoryCalendarStore Calendar { get; }

    public InMemorySyncStateStore States { get; }

    public InMemorySubscriptionStore Subscriptions { get; }

    public ISyncScheduler Scheduler => App.Services.GetRequiredService<ISyncScheduler>();

    public ISyncEngine Engine => App.Services.GetRequiredService<ISyncEngine>();

    public static async Task<NotificationHost> StartAsync(Duration syncInterval, Duration? renewalCheckInterval = null)
    {
        IClock clock = SystemClock.Instance;
        GraphEmulator emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = clock });
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var calendar = new InMemoryCalendarStore(clock);
        var states = new InMemorySyncStateStore(clock);
        var subscriptions = new InMemorySubscriptionStore();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(baseUrl.ToString());
        builder.Services.AddOutlookCalendarSync(o => o.SyncInterval = syncInterval)
            .UseCalendarStore(calendar)
            .UseSyncStateStore(states)
            .UseAccessTokenProvider(new MailboxTokens())
            .UseMicrosoftGraph(o => o.GraphBaseUrl = emulator.GraphBaseUrl)
            .AddScheduler(o =>
            {
                o.PollInterval = Duration.FromSeconds(1);
                o.RequestDelay = Duration.FromMilliseconds(300);
            })
            .AddChangeNotifications(o =>
            {
                o.NotificationUrl = new Uri(baseUrl, "graph/notifications");
                o.LifecycleNotificationUrl = new Uri(baseUrl, "graph/lifecycle");
                o.RenewalCheckInterval = renewalCheckInterval ?? Duration.FromMinutes(5);
            })
            .UseSubscriptionStore(subscriptions);
        WebApplication app = builder.Build();
        app.MapOutlookCalendarSyncNotifications();
        await app.StartAsync();
        return new NotificationHost(emulator, app, baseUrl, calendar, states, subscriptions);
    }

    /// <summary>Connects a user as the sign-in does (an active header, due at once) and waits for their subscription.</summary>
    public async Task<NotificationSubscription> ConnectAsync(string userId)
    {
        await States.SaveAsync(new SyncStateChanges(new SyncStateHeader(userId)), default);
        return await WaitForAsync(() => Subscriptions.GetAsync(userId, default), s => s is not null, "the user's subscription") ?? throw new InvalidOperationException();
    }

    /// <summary>Adds an event tomorrow as the user would in Outlook.</summary>
    public string AddInOutlook(string userId, string subject)
    {
        DateTime start = DateTime.UtcNow.Date.AddDays(1).AddHours(9);
        string json = $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{start:yyyy-MM-ddTHH:mm:ss}}}","timeZone":"UTC"},"end":{"dateTime":"{{{start.AddHours(1):yyyy-MM-ddTHH:mm:ss}}}","timeZone":"UTC"}}""";
        return (string)Emulator.AddEvent(userId, json)["id"]!;
    }

    public Task<CalendarEvent?> WaitForHostEventAsync(string userId, string subject, TimeSpan? timeout = null) =>
        WaitForAsync(() => Task.FromResult(Calendar.GetAll(userId).FirstOrDefault(e => e.Subject == subject)), e => e is not null, $"'{subject}' in the host calendar", timeout);

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        DateTime end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            T value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException($"Waited {timeout ?? TimeSpan.FromSeconds(20)} for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class MailboxTokens : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }
}
