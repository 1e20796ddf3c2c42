using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;
using OutlookCalendarSync.Tests.Notifications;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// A host that serves delegated and app-only users in one scheduler, with change notifications: a real Kestrel server on
/// loopback (<c>MapOutlookCalendarSyncNotifications</c>), the real MSAL clients (authorization code for delegated users, client
/// credentials for app-only ones) and the real Graph adapter against the emulator, which accepts only the tokens it issued.
/// Real time: the emulator calls the host over HTTP.
/// </summary>
internal sealed class MixedSchedulerHost : IAsyncDisposable
{
    private readonly HttpClient _browser;

    private MixedSchedulerHost(GraphEmulator emulator, WebApplication app, Uri baseUrl, InMemoryCalendarStore calendar, InMemorySubscriptionStore subscriptions)
    {
        Emulator = emulator;
        App = app;
        BaseUrl = baseUrl;
        Calendar = calendar;
        Subscriptions = subscriptions;
        _browser = new HttpClient(emulator.CreateHttpsHandler());
    }

    public GraphEmulator Emulator { get; }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public Uri NotificationUrl => new(BaseUrl, "graph/notifications");

    public InMemoryCalendarStore Calendar { get; }

    public InMemorySubscriptionStore Subscriptions { get; }

    /// <summary>The host's mapping: user id to tenant and mailbox; users not in it are delegated.</summary>
    public ConcurrentDictionary<string, AppOnlyMailbox> Mailboxes { get; } = new(StringComparer.Ordinal);

    public ISyncScheduler Scheduler => App.Services.GetRequiredService<ISyncScheduler>();

    public static async Task<MixedSchedulerHost> StartAsync(Duration syncInterval)
    {
        IClock clock = SystemClock.Instance;
        GraphEmulator emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = clock, RequireIssuedAccessTokens = true });
        emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var calendar = new InMemoryCalendarStore(clock);
        var subscriptions = new InMemorySubscriptionStore();
        MixedSchedulerHost? host = null;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(baseUrl.ToString());
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddOutlookCalendarSync(o => o.SyncInterval = syncInterval)
            .UseCalendarStore(calendar)
            .UseSyncStateStore(new InMemorySyncStateStore(clock))
            .UseTokenStore(new InMemoryTokenStore())
            .UseMicrosoftGraph(o =>
            {
                o.GraphBaseUrl = emulator.GraphBaseUrl;
                o.DefaultRetryDelay = TimeSpan.Zero;
            })
            .UseMicrosoftAccount(o =>
            {
                o.ClientId = AppOnlyTestHost.ClientId;
                o.ClientSecret = AppOnlyTestHost.ClientSecret;
                o.PublicBaseUrl = new Uri("https://calendar.example.test/");
                o.AuthorityHost = emulator.AuthorityHost;
                o.HttpClientFactory = emulator.MsalHttpClientFactory;
            })
            .UseAppOnly(o =>
            {
                o.ClientId = AppOnlyTestHost.ClientId;
                o.ClientSecret = AppOnlyTestHost.ClientSecret;
                o.AuthorityHost = emulator.AuthorityHost;
                o.HttpClientFactory = emulator.MsalHttpClientFactory;
            })
            .UseMailboxDirectory((userId, _) => ValueTask.FromResult(host!.Mailboxes.TryGetValue(userId, out AppOnlyMailbox? found) ? found : null))
            .AddScheduler(o =>
            {
                o.PollInterval = Duration.FromSeconds(1);
                o.RequestDelay = Duration.FromMilliseconds(300);
            })
            .AddChangeNotifications(o =>
            {
                o.NotificationUrl = new Uri(baseUrl, "graph/notifications");
                o.LifecycleNotificationUrl = new Uri(baseUrl, "graph/lifecycle");
            })
            .UseSubscriptionStore(subscriptions);
        WebApplication app = builder.Build();
        app.MapOutlookCalendarSyncNotifications();
        await app.StartAsync();
        host = new MixedSchedulerHost(emulator, app, baseUrl, calendar, subscriptions);
        return host;
    }

    /// <summary>Maps a user to a mailbox of a tenant and asks the scheduler for them, as a host enrolling an app-only user does.</summary>
    public void AddAppOnly(string userId, string mailbox, string tenant = AppOnlyTestHost.Tenant)
    {
        Mailboxes[userId] = new AppOnlyMailbox(tenant, mailbox);
        Scheduler.RequestSync(userId);
    }

    /// <summary>Connects a delegated user through the sign-in flow as their browser would; the scheduler finds them due.</summary>
    public async Task<SignInResult> ConnectDelegatedAsync(string userId, string mailbox)
    {
        IMicrosoftAccountAuthorization authorization = App.Services.GetRequiredService<IMicrosoftAccountAuthorization>();
        Uri url = await authorization.BuildSignInUrlAsync(userId);
        using HttpResponseMessage response = await _browser.GetAsync(QueryHelpers.AddQueryString(url.ToString(), "login_hint", mailbox));
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        return await authorization.CompleteSignInAsync(query, userId);
    }

    /// <summary>Adds an event tomorrow as the mailbox's owner would in Outlook.</summary>
    public string AddInOutlook(string mailbox, string subject)
    {
        DateTime start = DateTime.UtcNow.Date.AddDays(1).AddHours(9);
        string json = $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{start:yyyy-MM-ddTHH:mm:ss}}}","timeZone":"UTC"},"end":{"dateTime":"{{{start.AddHours(1):yyyy-MM-ddTHH:mm:ss}}}","timeZone":"UTC"}}""";
        return (string)Emulator.AddEvent(mailbox, json)["id"]!;
    }

    /// <summary>Waits until the scheduler has ended a run of the user with the status.</summary>
    public Task<ScheduledUser?> WaitForStatusAsync(string userId, SyncRunStatus status) =>
        NotificationHost.WaitForAsync(() => Task.FromResult(Scheduler.GetUser(userId)), u => u?.LastStatus == status && u.State != ScheduledUserState.Running, $"{userId}'s run to end {status}");

    public Task WaitForHostEventAsync(string userId, string subject) =>
        NotificationHost.WaitForAsync(() => Task.FromResult(Calendar.GetAll(userId).Any(e => e.Subject == subject)), found => found, $"'{subject}' in {userId}'s host calendar");

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
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
}
