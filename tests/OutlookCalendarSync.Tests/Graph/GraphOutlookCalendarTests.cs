using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>What the adapter sends and how it reads Graph's answers, beyond the port's contract.</summary>
public sealed class GraphOutlookCalendarTests : IAsyncLifetime
{
    private GraphTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GraphTestHost.StartAsync(Instant.FromUtc(2026, 11, 15, 8, 0), o => o.DeltaPageSize = 2);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AllOperations_EveryRequestAndBatchItem_PreferUtcAndImmutableIds()
    {
        CalendarEvent a = await _host.AddByUserAsync(UserId, InWindow("a"));
        await _host.AddByUserAsync(UserId, InWindow("b", 1));
        await _host.AddByUserAsync(UserId, InWindow("c", 2));
        ChangeFeed feed = await _host.Calendar.GetChangesAsync(UserId, null, Window, default);
        await _host.Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("d")), EventWrite.Update(a.Id!, a.Version, a with { Subject = "a2" }, EventFields.Subject)], default);
        await _host.Calendar.GetChangesAsync(UserId, feed.NextCursor, Window, default);

        var requests = _host.Capture.Requests;
        Assert.All(requests, r =>
        {
            string prefer = string.Join(",", r.Request.Headers.GetValues("Prefer"));
            Assert.Contains("outlook.timezone=\"UTC\"", prefer, StringComparison.Ordinal);
            Assert.Contains("IdType=\"ImmutableId\"", prefer, StringComparison.Ordinal);
        });
        var items = requests.Where(r => r.Request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal))
            .SelectMany(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("requests").EnumerateArray().Select(i => i.Clone()))
            .ToList();
        Assert.Equal(2, items.Count(i => i.GetProperty("method").GetString() != "GET"));
        Assert.Contains(items, i => i.GetProperty("method").GetString() == "GET");
        Assert.All(items, i => Assert.Contains("IdType=\"ImmutableId\"", i.GetProperty("headers").GetProperty("Prefer").GetString(), StringComparison.Ordinal));
        JsonElement patch = items.Single(i => i.GetProperty("method").GetString() == "PATCH");
        Assert.Equal($"W/\"{a.Version}\"", patch.GetProperty("headers").GetProperty("If-Match").GetString());
        Assert.Contains(requests, r => r.Request.Headers.GetValues("Prefer").Any(v => v.Contains("odata.maxpagesize=2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetChangesAsync_SmallPages_FollowsNextLinksToTheDeltaLink()
    {
        for (int i = 0; i < 5; i++)
        {
            await _host.AddByUserAsync(UserId, InWindow($"e{i}", i));
        }

        _host.Emulator.ResetRequestLog();
        ChangeFeed feed = await _host.Calendar.GetChangesAsync(UserId, null, Window, default);

        Assert.Equal(5, feed.Changed.Count);
        Assert.Equal(3, _host.Emulator.CountRequests("GET /me/calendarView/delta"));
        Assert.Contains("$deltatoken=", feed.NextCursor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChangesAsync_CursorOfAnotherHost_ThrowsCursorExpiredWithoutSendingAnything()
    {
        await Assert.ThrowsAsync<CursorExpiredException>(() => _host.Calendar.GetChangesAsync(UserId, "https://attacker.example.com/v1.0/me/calendarView/delta?$deltatoken=x", Window, default));

        Assert.Empty(_host.Capture.Requests);
        Assert.Equal(0, _host.Tokens.Calls);
    }

    [Fact]
    public async Task GetChangesAsync_TokenProviderNeedsReauthorization_ThrowsItUnwrapped()
    {
        _host.Tokens.Revoked.Add(UserId);

        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => _host.Calendar.GetChangesAsync(UserId, null, Window, default));
    }

    [Fact]
    public async Task WriteAsync_TokenProviderNeedsReauthorization_ThrowsItUnwrapped()
    {
        _host.Tokens.Revoked.Add(UserId);

        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => _host.Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default));
    }

    [Fact]
    public async Task WriteAsync_ItemsThrottledInsideBatch_RetriedUntilMade()
    {
        using IDisposable fault = _host.Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { Times = 4, Method = "POST", PathPattern = "^/me/events$" });

        IReadOnlyList<EventWriteResult> results = await _host.Calendar.WriteAsync(UserId, Enumerable.Range(0, 5).Select(i => EventWrite.Create(InWindow($"t{i}", i) with { CounterpartId = $"host-{i}" })).ToArray(), default);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        Assert.Equal(5, _host.Emulator.GetEvents(UserId).Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"t{i}"), results.Select(r => r.Event!.Subject));
        // 4 throttled and 5 made; the batch chains its items, so the items after a throttled one are skipped (424), not carried out.
        Assert.Equal(9, _host.Emulator.RequestLog.Count(e => e.Route == "POST /me/events" && e.StatusCode != 424));
    }

    [Fact]
    public async Task WriteAsync_ThrottledBeyondRetries_TransientFailure()
    {
        _host.Options.MaxThrottleRetries = 2;
        using IDisposable fault = _host.Emulator.InjectFault(GraphFault.ServiceUnavailable() with { Method = "POST", PathPattern = "^/me/events$" });

        EventWriteResult result = (await _host.Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default))[0];

        Assert.Equal(WriteStatus.TransientFailure, result.Status);
        Assert.Contains("503", result.Message, StringComparison.Ordinal);
        Assert.Contains("request-id", result.Message, StringComparison.Ordinal);
        Assert.Equal(3, _host.Emulator.CountRequests("POST /me/events"));
    }

    [Fact]
    public async Task WriteAsync_RetryAfterLongerThanAllowed_TransientFailureWithoutWaiting()
    {
        _host.Options.MaxRetryAfter = TimeSpan.FromSeconds(1);
        using IDisposable fault = _host.Emulator.InjectFault(GraphFault.Throttle(TimeSpan.FromMinutes(5)) with { Method = "POST", PathPattern = "^/me/events$" });

        EventWriteResult result = (await _host.Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default))[0];

        Assert.Equal(WriteStatus.TransientFailure, result.Status);
        Assert.Equal("TooManyRequests", result.ErrorCode);
        Assert.Equal(1, _host.Emulator.CountRequests("POST /me/events"));
    }

    [Fact]
    public async Task WriteAsync_StaleChangeKey_VersionConflictWithGraphCode()
    {
        CalendarEvent a = await _host.AddByUserAsync(UserId, InWindow("a"));
        await _host.ChangeByUserAsync(UserId, a.Id!, e => e with { Subject = "user" });

        EventWriteResult result = (await _host.Calendar.WriteAsync(UserId, [EventWrite.Update(a.Id!, a.Version, a with { Subject = "sync" }, EventFields.Subject)], default))[0];

        Assert.Equal(WriteStatus.VersionConflict, result.Status);
        Assert.Equal("ErrorIrresolvableConflict", result.ErrorCode);
    }

    [Fact]
    public async Task WriteAsync_TwentyFiveWrites_SplitIntoTwoBatches()
    {
        IReadOnlyList<EventWriteResult> results = await _host.Calendar.WriteAsync(UserId, Enumerable.Range(0, 25).Select(i => EventWrite.Create(InWindow($"n{i}", i % 20))).ToArray(), default);

        Assert.Equal(25, results.Count(r => r.Succeeded));
        Assert.Equal(2, _host.Emulator.CountRequests("POST /$batch"));
    }

    [Fact]
    public async Task WriteAsync_CreateWithHostId_TransactionIdDerivedFromHostId()
    {
        await _host.Calendar.WriteAsync(UserId, [EventWrite.Create(InWindow("a") with { CounterpartId = "host-9" })], default);

        var stored = Assert.Single(_host.Emulator.GetEvents(UserId));
        Assert.Equal(GraphOutlookCalendar.TransactionId("host-9"), stored["transactionId"]!.GetValue<string>());
        Assert.NotEqual(GraphOutlookCalendar.TransactionId("host-9"), GraphOutlookCalendar.TransactionId("host-90"));
    }

    [Fact]
    public async Task UseMicrosoftGraph_InvalidOptions_StartFailsWithWhatToFix()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseSyncStateStore(new InMemorySyncStateStore())
            .UseMicrosoftGraph(o =>
            {
                o.GraphBaseUrl = new Uri("http://graph.example.com/v1.0/");
                o.DeltaPageSize = 0;
                o.MaxBatchesInFlightPerMailbox = 5;
            });
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("must use https", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("DeltaPageSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxBatchesInFlightPerMailbox", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("UseAccessTokenProvider", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseMicrosoftGraph_Defaults_ResolveGraphAdapter()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseSyncStateStore(new InMemorySyncStateStore())
            .UseAccessTokenProvider(_host.Tokens)
            .UseMicrosoftGraph()
            .UseMicrosoftGraph();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.IsType<GraphOutlookCalendar>(provider.GetRequiredService<IOutlookCalendar>());
        Assert.Equal(MicrosoftGraphOptions.DefaultGraphBaseUrl, provider.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value.GraphBaseUrl);
    }
}
