using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>Issue 12 item 4: batches of writes overlap within Outlook's 4 concurrent requests per mailbox, with no 429.</summary>
public sealed class GraphWriteConcurrencyTests : IAsyncLifetime
{
    private const string User = "alice";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private GraphTestHost _host = null!;

    public async Task InitializeAsync() =>
        // Each request Outlook carries out takes 5 ms and holds one of the mailbox's 4 slots meanwhile, so batches that ran their
        // items side by side while another batch is carried out would be throttled.
        _host = await GraphTestHost.StartAsync(Now, configureEmulator: o => o.ServiceTime = TimeSpan.FromMilliseconds(5));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SyncAsync_PushThousandNewEvents_FiftyBatchesAndNoneThrottled()
    {
        var local = new InMemoryCalendarStore(_host.Clock);
        for (int i = 0; i < 1000; i++)
        {
            local.AddByUser(User, Meeting($"New {i}", 1 + (i % 200), 7 + (i % 12)));
        }

        await using ServiceProvider provider = _host.BuildSyncServices(local, new InMemorySyncStateStore(_host.Clock));
        SyncResult result = await provider.GetRequiredService<ISyncEngine>().SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(1000, result.Outlook.Created);
        Assert.Equal(1000, _host.Emulator.GetEvents(User).Count);
        IReadOnlyList<RequestLogEntry> log = _host.Emulator.RequestLog;
        Assert.DoesNotContain(log, e => e.StatusCode == 429);
        Assert.Equal(1, log.Count(e => !e.InBatch && e.Route == "GET /me/calendarView/delta"));
        Assert.Equal(50, log.Count(e => !e.InBatch && e.Route == "POST /$batch"));
        Assert.Equal(51, log.Count(e => !e.InBatch));
    }

    [Fact]
    public async Task SyncAsync_AWriteRefusedInsideAChain_OnlyThatWriteFailsAndTheRestAreMade()
    {
        var local = new InMemoryCalendarStore(_host.Clock);
        for (int i = 0; i < 30; i++)
        {
            local.AddByUser(User, Meeting($"New {i}", 1 + i));
        }

        // The fifth create is refused (a 412 as if it had raced): Outlook skips the rest of its chain (424), which is sent again.
        using IDisposable refused = _host.Emulator.InjectFault(GraphFault.PreconditionFailed() with { Method = "POST", PathPattern = "^/me/events$", EveryNth = 5, Times = 1 });
        await using ServiceProvider provider = _host.BuildSyncServices(local, new InMemorySyncStateStore(_host.Clock));
        SyncResult result = await provider.GetRequiredService<ISyncEngine>().SyncAsync(User);

        Assert.Single(result.Failures);
        Assert.Equal(29, result.Outlook.Created);
        Assert.Equal(29, _host.Emulator.GetEvents(User).Count);
        Assert.Contains(_host.Emulator.RequestLog, e => e.InBatch && e.StatusCode == 424);
    }

    private static CalendarEvent Meeting(string subject, int dayFromNow, int hour = 9) => new()
    {
        Subject = subject,
        Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 24, hour, 0).PlusDays(dayFromNow), new LocalDateTime(2026, 11, 24, hour, 45).PlusDays(dayFromNow), "Europe/Berlin"),
    };
}
