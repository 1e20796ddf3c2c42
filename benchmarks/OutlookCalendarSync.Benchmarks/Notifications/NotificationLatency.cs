using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Benchmarks.Memory;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Benchmarks.Notifications;

/// <summary>
/// The change-notification latency benchmark (not CI): N users subscribed against the Graph emulator in its own process, a host
/// on Kestrel with the scheduler and the notification endpoints; measures an Outlook edit until the host store has it, and a host
/// save (<c>RequestSync</c>) until Outlook has it (its <c>created</c> notification reaches the host).
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/OutlookCalendarSync.Benchmarks -- --notification-latency [users] [edits per second]</c>.</remarks>
internal static class NotificationLatency
{
    public const string Argument = "--notification-latency";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] options)
    {
        int users = options.Length > 0 ? int.Parse(options[0], CultureInfo.InvariantCulture) : 1000;
        double rate = options.Length > 1 ? double.Parse(options[1], CultureInfo.InvariantCulture) : 20;
        await using EmulatorHostProcess emulator = await EmulatorHostProcess.StartAsync("warm-up", 0, TimeSpan.Zero);
        var arrivals = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        var created = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        var calendar = new SignallingCalendarStore(new InMemoryCalendarStore(), arrivals);
        var subscriptions = new InMemorySubscriptionStore();
        var states = new InMemorySyncStateStore();
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(baseUrl.ToString());
        builder.Services.AddOutlookCalendarSync(o => o.SyncInterval = Duration.FromHours(1))
            .UseCalendarStore(calendar)
            .UseSyncStateStore(states)
            .UseAccessTokenProvider(new MailboxTokens())
            .UseMicrosoftGraph(o => o.GraphBaseUrl = emulator.GraphBaseUrl)
            .AddScheduler(o =>
            {
                o.PollInterval = Duration.FromSeconds(5);
                o.MaxConcurrentRuns = 16;
                o.DueBatchSize = 1000;
            })
            .AddChangeNotifications(o =>
            {
                o.NotificationUrl = new Uri(baseUrl, "graph/notifications");
                o.LifecycleNotificationUrl = new Uri(baseUrl, "graph/lifecycle");
            })
            .UseSubscriptionStore(subscriptions);
        await using WebApplication app = builder.Build();

        // A host save is in Outlook when Graph notifies its creation: noted before the library's endpoint handles the POST.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/graph/notifications" && !context.Request.Query.ContainsKey("validationToken"))
            {
                context.Request.EnableBuffering();
                JsonNode? body = await JsonNode.ParseAsync(context.Request.Body);
                context.Request.Body.Position = 0;
                foreach (JsonNode? item in body?["value"]?.AsArray() ?? [])
                {
                    if ((string?)item?["changeType"] == "created" && ((string?)item?["resource"])?.Split('/') is [_, var mailbox, ..]
                        && created.TryGetValue(mailbox, out TaskCompletionSource<long>? waiting))
                    {
                        waiting.TrySetResult(Stopwatch.GetTimestamp());
                    }
                }
            }

            await next(context);
        });
        app.MapOutlookCalendarSyncNotifications();
        await app.StartAsync();
        ISyncScheduler scheduler = app.Services.GetRequiredService<ISyncScheduler>();
        string[] ids = [.. Enumerable.Range(0, users).Select(i => $"user-{i:0000}")];

        var setup = Stopwatch.StartNew();
        foreach (string id in ids)
        {
            await states.SaveAsync(new SyncStateChanges(new SyncStateHeader(id)), default);
        }

        while ((await subscriptions.GetExpiringAsync(Instant.MaxValue, users + 1, default)).Count < users)
        {
            if (setup.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("The users were not all subscribed within 10 minutes.");
            }

            await Task.Delay(200);
        }

        Console.WriteLine($"{users} users synced once and subscribed in {setup.Elapsed.TotalSeconds:0.0} s");
        using var graph = new HttpClient { BaseAddress = emulator.GraphBaseUrl };
        DateTime start = DateTime.UtcNow.Date.AddDays(2).AddHours(9);

        List<double> outlookToHost = await MeasureAsync(ids, rate, async id =>
        {
            string subject = $"Outlook edit {id}";
            TaskCompletionSource<long> arrived = arrivals.GetOrAdd(subject, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            long sent = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, "me/events")
            {
                Content = new StringContent(EventJson(subject, start), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", id);
            using HttpResponseMessage response = await graph.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (sent, arrived.Task);
        });
        List<double> hostToOutlook = await MeasureAsync(ids, rate, id =>
        {
            TaskCompletionSource<long> arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
            created[id] = arrived;
            long sent = Stopwatch.GetTimestamp();
            calendar.Inner.AddByUser(id, new CalendarEvent
            {
                Subject = $"Host save {id}",
                Timing = EventTiming.Timed(
                    Instant.FromDateTimeUtc(start.AddHours(3)).InUtc(),
                    Instant.FromDateTimeUtc(start.AddHours(4)).InUtc()),
            });
            scheduler.RequestSync(id);
            return Task.FromResult((sent, arrived.Task));
        });

        Report("Outlook edit -> host store", outlookToHost, users);
        Report("host save -> Outlook", hostToOutlook, users);
        await app.StopAsync();
        return 0;
    }

    private static async Task<List<double>> MeasureAsync(string[] ids, double rate, Func<string, Task<(long Sent, Task<long> Arrived)>> edit)
    {
        var pending = new List<Task<double?>>();
        var pace = Stopwatch.StartNew();
        for (int i = 0; i < ids.Length; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(i / rate);
            if (due > pace.Elapsed)
            {
                await Task.Delay(due - pace.Elapsed);
            }

            (long sent, Task<long> arrived) = await edit(ids[i]);
            pending.Add(Wait(sent, arrived));
        }

        return [.. (await Task.WhenAll(pending)).Where(l => l is not null).Select(l => l!.Value)];

        static async Task<double?> Wait(long sent, Task<long> arrived)
        {
            Task done = await Task.WhenAny(arrived, Task.Delay(Timeout));
            return done == arrived ? Stopwatch.GetElapsedTime(sent, await arrived).TotalMilliseconds : null;
        }
    }

    private static void Report(string what, List<double> latencies, int expected)
    {
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: {latencies.Count}/{expected} arrived within {Timeout.TotalSeconds:0} s; p50 {P(0.50):0} ms, p95 {P(0.95):0} ms, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):0} ms"));
    }

    private static string EventJson(string subject, DateTime start) =>
        $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{start:yyyy-MM-ddTHH:mm:ss}}}","timeZone":"UTC"},"end":{"dateTime":"{{{start.AddHours(1):yyyy-MM-ddTHH:mm:ss}}}","timeZone":"UTC"}}""";

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
