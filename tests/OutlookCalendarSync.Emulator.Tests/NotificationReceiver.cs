using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>A subscriber on a loopback port: echoes validation tokens (unless told not to) and records what Graph POSTs.</summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<(string Path, JsonObject Body)> received = Channel.CreateUnbounded<(string, JsonObject)>();

    private NotificationReceiver(WebApplication app) => this.app = app;

    public Uri NotificationUrl => new(BaseUrl, "notify");

    public Uri LifecycleUrl => new(BaseUrl, "lifecycle");

    public ConcurrentQueue<string> ValidationTokens { get; } = new();

    /// <summary>Gets or sets whether validation requests are echoed; false answers them with an empty 200.</summary>
    public bool EchoValidation { get; set; } = true;

    /// <summary>Gets or sets whether notifications are answered 500 instead of 202 (and not recorded).</summary>
    public bool RejectNotifications { get; set; }

    private Uri BaseUrl { get; set; } = null!;

    public static async Task<NotificationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new NotificationReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>Waits for the next notification POSTed (not a validation).</summary>
    public async Task<(string Path, JsonObject Item)> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var (path, body) = await received.Reader.ReadAsync(cancel.Token);
        return (path, Assert.IsType<JsonObject>(Assert.Single(Assert.IsType<JsonArray>(body["value"]))));
    }

    /// <summary>Whether a notification arrives within the time given.</summary>
    public async Task<bool> AnyWithinAsync(TimeSpan time)
    {
        using var cancel = new CancellationTokenSource(time);
        try
        {
            return await received.Reader.WaitToReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("validationToken", out var token))
        {
            ValidationTokens.Enqueue(token.ToString());
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(EchoValidation ? token.ToString() : string.Empty);
            return;
        }

        if (RejectNotifications)
        {
            context.Response.StatusCode = 500;
            return;
        }

        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        received.Writer.TryWrite((context.Request.Path.Value!, body));
        context.Response.StatusCode = 202;
    }
}
