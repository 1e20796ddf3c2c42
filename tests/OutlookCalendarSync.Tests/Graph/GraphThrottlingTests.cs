using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Issue 10, item 3: <c>Retry-After</c> as Graph sends it (whole or decimal seconds, HTTP date) on single requests and batch
/// items, waits bounded by <c>MaxRetryAfter</c>, a long wait ending the run with a result, and timeouts that are no cancellation.
/// Waits are recorded on the test's clock, never slept.
/// </summary>
public sealed class GraphThrottlingTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Delta = "calendarView/delta";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private readonly List<ServiceProvider> _providers = [];
    private GraphTestHost _host = null!;

    private GraphEmulator Emulator => _host.Emulator;

    private InMemoryCalendarStore Local { get; set; } = null!;

    private InMemorySyncStateStore State { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await GraphTestHost.StartAsync(Now);
        Local = new InMemoryCalendarStore(_host.Clock);
        State = new InMemorySyncStateStore(_host.Clock);
    }

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _host.DisposeAsync();
    }

    [Fact]
    public async Task SyncAsync_DeltaThrottledWithDecimalRetryAfter_WaitsExactlyThatLongThenSyncs()
    {
        SeedRemote("Remote");
        using IDisposable throttle = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { RetryAfterHeader = "2.5", PathPattern = Delta, Times = 1 });

        SyncResult result = await Engine().SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Equal([TimeSpan.FromSeconds(2.5)], _host.Time.Waits);
        Assert.Single(Local.GetAll(User));
    }

    [Fact]
    public async Task SyncAsync_DeltaThrottledWithHttpDate_WaitsUntilThatDate()
    {
        SeedRemote("Remote");
        string until = (Now + Duration.FromSeconds(4)).ToDateTimeOffset().ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        using IDisposable throttle = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { RetryAfterHeader = until, PathPattern = Delta, Times = 1 });

        SyncResult result = await Engine().SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Equal([TimeSpan.FromSeconds(4)], _host.Time.Waits);
    }

    [Fact]
    public async Task SyncAsync_BatchItemThrottledWithDecimalRetryAfter_IsSentAgainAfterThatDelay()
    {
        Local.AddByUser(User, Meeting("Host 1", 1));
        Local.AddByUser(User, Meeting("Host 2", 2));
        using IDisposable throttle = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { RetryAfterHeader = "1.5", Method = "POST", PathPattern = "^/me/events$", Times = 1 });

        SyncResult result = await Engine().SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Equal(2, result.Outlook.Created);
        Assert.Equal([TimeSpan.FromSeconds(1.5)], _host.Time.Waits);
        Assert.Contains(Emulator.RequestLog, e => e.StatusCode == 429 && e.InBatch);
    }

    [Fact]
    public async Task SyncAsync_DeltaThrottledFor100Seconds_EndsAtOnceAsThrottledWithTheInstantToRetry()
    {
        SeedRemote("Remote");
        using (Emulator.InjectFault(GraphFault.Throttle(TimeSpan.FromSeconds(100)) with { PathPattern = Delta }))
        {
            SyncResult throttled = await Engine().SyncAsync(User);

            Assert.Equal(SyncRunStatus.Throttled, throttled.Status);
            Assert.Equal(Now + Duration.FromSeconds(100), throttled.RetryAfter);
            Assert.Contains("Microsoft Graph asked to wait", throttled.Message, StringComparison.Ordinal);
            Assert.Empty(_host.Time.Waits);
            Assert.Equal(1, Emulator.CountRequests("GET /me/calendarView/delta"));
            Assert.Empty(Local.GetAll(User));
        }

        SyncResult next = await Engine().SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, next.Status);
        Assert.Single(Local.GetAll(User));
    }

    [Fact]
    public async Task SyncAsync_StampReadThrottledFor100Seconds_EndsThrottledNotFailed()
    {
        // An unlinked host event makes the stamps of the unlinked Outlook event matter (one could name it), so they are read.
        Local.AddByUser(User, Meeting("Host", 1));
        SeedRemote("Remote");
        using (Emulator.InjectFault(GraphFault.Throttle(TimeSpan.FromSeconds(100)) with { Method = "GET", PathPattern = "^/me/events/" }))
        {
            SyncResult throttled = await Engine().SyncAsync(User);

            Assert.Equal(SyncRunStatus.Throttled, throttled.Status);
            Assert.Equal(Now + Duration.FromSeconds(100), throttled.RetryAfter);
            Assert.Empty(_host.Time.Waits);
            Assert.Contains(Emulator.RequestLog, e => e.StatusCode == 429 && e.InBatch);
        }

        Assert.Equal(SyncRunStatus.Synced, (await Engine().SyncAsync(User)).Status);
    }

    [Fact]
    public async Task SyncAsync_WriteBatchThrottledFor100Seconds_KeepsWhatWasDoneAndWritesNextRun()
    {
        Local.AddByUser(User, Meeting("Host", 1));
        SeedRemote("Remote");

        // The first $batch reads the stamps of the Outlook event; the second carries the write.
        using (Emulator.InjectFault(GraphFault.Throttle(TimeSpan.FromSeconds(100)) with { PathPattern = @"^/\$batch$", EveryNth = 2, Times = 1 }))
        {
            SyncResult throttled = await Engine().SyncAsync(User);

            Assert.Equal(SyncRunStatus.SyncedWithFailures, throttled.Status);
            Assert.Equal(1, throttled.Host.Created);
            SyncFailure failure = Assert.Single(throttled.Failures);
            Assert.True(failure.WillRetry);
            Assert.Contains("asked to wait", failure.Reason, StringComparison.Ordinal);
            Assert.Empty(_host.Time.Waits);
        }

        SyncResult next = await Engine().SyncAsync(User);
        SyncResult last = await Engine().SyncAsync(User);

        Assert.Equal(1, next.Outlook.Created);
        Assert.Equal(0, next.Host.Created);
        Assert.Equal(0, last.TotalWrites);
        Assert.Equal(2, Emulator.GetEvents(User).Count);
        Assert.Equal(2, Local.GetAll(User).Count);
    }

    [Fact]
    public async Task SyncAsync_HttpTimeout_EndsAsAFailedRunNotAsCancellation()
    {
        _host.Http.Timeout = TimeSpan.FromMilliseconds(300);
        SeedRemote("Remote");
        using IDisposable slow = Emulator.InjectFault(GraphFault.Slow(TimeSpan.FromSeconds(10)) with { PathPattern = Delta, Times = 1 });

        SyncResult result = await Engine(_host.Calendar).SyncAsync(User);

        Assert.Equal(SyncRunStatus.Failed, result.Status);
        Assert.Contains("did not answer in time", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAsync_CallerCancelsDuringARequest_StaysACancellation()
    {
        SeedRemote("Remote");
        using IDisposable slow = Emulator.InjectFault(GraphFault.Slow(TimeSpan.FromSeconds(10)) with { PathPattern = Delta, Times = 1 });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine().SyncAsync(User, cancellation.Token));
    }

    private ISyncEngine Engine(IOutlookCalendar? calendar = null)
    {
        ServiceProvider provider = _host.BuildSyncServices(Local, State, calendar);
        _providers.Add(provider);
        return provider.GetRequiredService<ISyncEngine>();
    }

    private static CalendarEvent Meeting(string subject, int dayFromNow) => new()
    {
        Subject = subject,
        Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 24, 9, 0).PlusDays(dayFromNow), new LocalDateTime(2026, 11, 24, 10, 0).PlusDays(dayFromNow), "Europe/Berlin"),
    };

    private void SeedRemote(string subject) =>
        Emulator.AddEvent(User, $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"2026-11-27T14:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-27T15:00:00","timeZone":"UTC"}}""");
}
