using System.Net.Http.Headers;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>Starts an emulator per test and gives the real Graph SDK, with its default middleware, pointed at it.</summary>
public abstract class EmulatorTestBase : IAsyncLifetime
{
    protected const string Mailbox = "alice";

    private readonly List<HttpClient> httpClients = [];

    protected FakeClock Clock { get; } = new(Instant.FromUtc(2024, 5, 1, 8, 0));

    protected GraphEmulator Emulator { get; private set; } = null!;

    protected GraphServiceClient Graph { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = Clock });
        Graph = CreateClient(Mailbox);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var client in httpClients)
        {
            client.Dispose();
        }

        await Emulator.DisposeAsync();
    }

    protected GraphServiceClient CreateClient(string mailbox)
    {
        var http = GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers());
        httpClients.Add(http);
        var auth = new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(mailbox));
        return new GraphServiceClient(http, auth, Emulator.GraphBaseUrl.ToString());
    }

    /// <summary>A plain client without SDK middleware, for requests the SDK would not send or would retry.</summary>
    protected HttpClient RawClient(string? token = Mailbox)
    {
        var http = new HttpClient { BaseAddress = Emulator.GraphBaseUrl };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        httpClients.Add(http);
        return http;
    }

    protected static Event NewEvent(string subject, DateTime startUtc, int minutes = 60) => new()
    {
        Subject = subject,
        Start = new DateTimeTimeZone { DateTime = startUtc.ToString("yyyy-MM-ddTHH:mm:ss"), TimeZone = "UTC" },
        End = new DateTimeTimeZone { DateTime = startUtc.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ss"), TimeZone = "UTC" },
    };

    protected static string SeedJson(string subject, string startUtc, string endUtc) =>
        $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{startUtc}}}","timeZone":"UTC"},"end":{"dateTime":"{{{endUtc}}}","timeZone":"UTC"}}""";

    private sealed class StaticTokenProvider(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}
