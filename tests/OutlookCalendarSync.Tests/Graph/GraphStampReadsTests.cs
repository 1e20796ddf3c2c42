using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Issue 12: the stamps of unlinked Outlook events (delta pages carry no extended properties, as in Graph) are read only when one
/// can change the run's outcome, counted from the emulator's request log (a stamp read is a <c>GET /me/events/{id}</c> inside a
/// <c>$batch</c>). Delta pages of 20 make a round of several pages.
/// </summary>
public sealed class GraphStampReadsTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string DeltaRoute = "GET /me/calendarView/delta";
    private const string EventRoute = "GET /me/events/{id}";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private readonly List<ServiceProvider> _providers = [];
    private GraphTestHost _host = null!;

    private GraphEmulator Emulator => _host.Emulator;

    private InMemoryCalendarStore Local { get; set; } = null!;

    private InMemorySyncStateStore State { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await GraphTestHost.StartAsync(Now, configure: o => o.DeltaPageSize = 20);
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
    public async Task SyncAsync_PullIntoEmptyHost_MakesOnlyDeltaPageRequests()
    {
        for (int i = 0; i < 45; i++)
        {
            SeedRemote($"Remote {i}", 1 + (i % 28), 8 + (i % 9));
        }

        SyncResult result = await SyncAsync();

        Assert.Empty(result.Failures);
        Assert.Equal(45, result.Host.Created);
        Assert.All(Emulator.RequestLog, e => Assert.Equal(DeltaRoute, e.Route));
        Assert.Equal(3, Emulator.RequestLog.Count);
        Assert.Equal(45, Local.GetAll(User).Count);
    }

    [Fact]
    public async Task SyncAsync_PullIntoHostWhoseEventsAreAllLinked_ReadsNoStamps()
    {
        Local.Seed(User, Meeting("Local 1", 1), Meeting("Local 2", 2));
        SeedRemote("Remote", 3, 9);
        await SyncAsync();
        for (int i = 0; i < 30; i++)
        {
            SeedRemote($"New remote {i}", 1 + (i % 28), 8 + (i % 9));
        }

        Emulator.ResetRequestLog();
        SyncResult pull = await SyncAsync();

        Assert.Empty(pull.Failures);
        Assert.Equal(new SyncCounts(30, 0, 0), pull.Host);
        Assert.Equal(0, Emulator.CountRequests(EventRoute));
        Assert.All(Emulator.RequestLog, e => Assert.Equal(DeltaRoute, e.Route));
        Assert.Equal(33, Local.GetAll(User).Count);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_HostHasUnlinkedEvent_ReadsStampsOfNewOutlookEvents()
    {
        Local.Seed(User, Meeting("Local 1", 1));
        await SyncAsync();
        Local.AddByUser(User, Meeting("New local", 2));
        for (int i = 0; i < 30; i++)
        {
            SeedRemote($"New remote {i}", 1 + (i % 28), 8 + (i % 9));
        }

        Emulator.ResetRequestLog();
        SyncResult run = await SyncAsync();

        Assert.Empty(run.Failures);
        Assert.Equal(new SyncCounts(30, 0, 0), run.Host);
        Assert.Equal(new SyncCounts(1, 0, 0), run.Outlook);

        // The new host event makes the stamps matter: each of the 30 new Outlook events has its stamps read, 20 per batch.
        Assert.Equal(30, Emulator.RequestLog.Count(e => e.InBatch && e.Route == EventRoute));
        Assert.Equal(32, Emulator.GetEvents(User).Count);
        Assert.Equal(32, Local.GetAll(User).Count);
    }

    [Fact]
    public async Task SyncAsync_FirstSyncCrashedWithCreateInFlightThenHostEventDeleted_CopyDeletedFromOutlookNotPulledBack()
    {
        // A first sync: the host calendar's full listing reports no removal, so only the state can say a create was in flight.
        CalendarEvent doomed = Local.AddByUser(User, Meeting("Deleted after the crash", 4));
        SeedRemote("Remote 1", 1, 9);
        SeedRemote("Remote 2", 2, 10);
        await using (ServiceProvider crashing = _host.BuildSyncServices(Local, State, new CrashAfterWrite(_host.Calendar)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashing.GetRequiredService<ISyncEngine>().SyncAsync(User));
        }

        Assert.Equal(3, Emulator.GetEvents(User).Count);
        Local.DeleteByUser(User, doomed.Id!);
        Emulator.ResetRequestLog();

        SyncResult rerun = await SyncAsync();

        // The run that stopped had a create in flight: the next one reads the stamps of the unlinked Outlook events, and the copy
        // of the host event deleted since is deleted instead of coming back to the host calendar.
        Assert.Empty(rerun.Failures);
        Assert.Equal(3, Emulator.RequestLog.Count(e => e.InBatch && e.Route == EventRoute));
        Assert.Equal(new SyncCounts(0, 0, 1), rerun.Outlook);
        Assert.Equal(new SyncCounts(2, 0, 0), rerun.Host);
        Assert.DoesNotContain(Local.GetAll(User), e => e.Subject == "Deleted after the crash");
        Assert.Equal(2, Emulator.GetEvents(User).Count);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_CrashWithCreateInFlightThenHostEventDeleted_CopyDeletedFromOutlookNotPulledBack()
    {
        Local.Seed(User, Meeting("Kept 1", 1), Meeting("Kept 2", 2), Meeting("Kept 3", 3));
        await SyncAsync();
        CalendarEvent doomed = Local.AddByUser(User, Meeting("Deleted after the crash", 4));
        await using (ServiceProvider crashing = _host.BuildSyncServices(Local, State, new CrashAfterWrite(_host.Calendar)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashing.GetRequiredService<ISyncEngine>().SyncAsync(User));
        }

        Assert.Equal(4, Emulator.GetEvents(User).Count);
        Local.DeleteByUser(User, doomed.Id!);

        SyncResult rerun = await SyncAsync();

        Assert.Empty(rerun.Failures);
        Assert.True(rerun.WasFullResync);
        Assert.Equal(new SyncCounts(0, 0, 1), rerun.Outlook);
        Assert.Equal(SyncCounts.Zero, rerun.Host);
        Assert.DoesNotContain(Local.GetAll(User), e => e.Subject == "Deleted after the crash");
        Assert.Equal(3, Emulator.GetEvents(User).Count);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_CreateAnswerLostThenHostEventDeleted_CopyDeletedFromOutlook()
    {
        Local.Seed(User, Meeting("Kept 1", 1), Meeting("Kept 2", 2), Meeting("Kept 3", 3));
        await SyncAsync();
        CalendarEvent doomed = Local.AddByUser(User, Meeting("Deleted after the lost answer", 4));
        using (Emulator.InjectFault(GraphFault.LoseAnswer() with { Method = "POST", PathPattern = @"^/\$batch$", Times = 1 }))
        {
            SyncResult cut = await SyncAsync();
            Assert.True(Assert.Single(cut.Failures).WillRetry);
        }

        Assert.Equal(4, Emulator.GetEvents(User).Count);
        Local.DeleteByUser(User, doomed.Id!);

        SyncResult next = await SyncAsync();

        Assert.Empty(next.Failures);
        Assert.Equal(new SyncCounts(0, 0, 1), next.Outlook);
        Assert.Equal(SyncCounts.Zero, next.Host);
        Assert.DoesNotContain(Local.GetAll(User), e => e.Subject == "Deleted after the lost answer");
        Assert.Equal(3, Emulator.GetEvents(User).Count);
        Assert.Equal(0, (await SyncAsync()).TotalWrites);
    }

    private async Task<SyncResult> SyncAsync()
    {
        ServiceProvider provider = _host.BuildSyncServices(Local, State);
        _providers.Add(provider);
        return await provider.GetRequiredService<ISyncEngine>().SyncAsync(User);
    }

    private static CalendarEvent Meeting(string subject, int dayFromNow) => new()
    {
        Subject = subject,
        Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 24, 9, 0).PlusDays(dayFromNow), new LocalDateTime(2026, 11, 24, 9, 45).PlusDays(dayFromNow), "Europe/Berlin"),
    };

    private void SeedRemote(string subject, int dayFromNow, int hour)
    {
        string day = new LocalDate(2026, 11, 24).PlusDays(dayFromNow).ToString("uuuu-MM-dd", null);
        Emulator.AddEvent(User, $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{day}}}T{{{hour:00}}}:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{day}}}T{{{hour:00}}}:30:00","timeZone":"W. Europe Standard Time"}}""");
    }

    /// <summary>The process dies right after its first batch of writes reached Outlook, before the answer was recorded.</summary>
    private sealed class CrashAfterWrite(IOutlookCalendar inner) : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, cancellationToken);

        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, linked, cancellationToken);

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, window, cancellationToken);

        public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken) => inner.GetManyAsync(userId, eventIds, window, cancellationToken);

        public async Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
        {
            await inner.WriteAsync(userId, writes, cancellationToken);
            throw new OperationCanceledException("Simulated crash: the process stopped after the batch reached Outlook.");
        }
    }
}
