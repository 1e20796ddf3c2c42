using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>Whole sync runs: the engine through <c>AddOutlookCalendarSync().UseMicrosoftGraph()</c>, the real SDK and the emulator.</summary>
public sealed partial class GraphSyncTests : IAsyncLifetime
{
    private const string User = "alice";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private static readonly Interval Everything = new(Instant.FromUtc(2020, 1, 1, 0, 0), Instant.FromUtc(2035, 1, 1, 0, 0));

    private GraphTestHost _host = null!;
    private ServiceProvider _provider = null!;

    private GraphEmulator Emulator => _host.Emulator;

    private InMemoryCalendarStore Local { get; set; } = null!;

    private ISyncEngine Engine { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await GraphTestHost.StartAsync(Now);
        Local = new InMemoryCalendarStore(_host.Clock);
        Engine = BuildEngine(calendar: null);
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        foreach (ServiceProvider other in _others)
        {
            await other.DisposeAsync();
        }

        await _host.DisposeAsync();
    }

    [Fact]
    public async Task SyncAsync_FirstSync_CopiesEventsBothWays()
    {
        Local.Seed(User, Meeting("Local 1", 1), Meeting("Local 2", 2), AllDay("Local holiday", 3));
        SeedRemote("Remote 1", 4);
        SeedRemote("Remote 2", 5);

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Empty(result.Failures);
        Assert.Equal(3, result.Outlook.Created);
        Assert.Equal(2, result.Host.Created);
        await AssertConvergedAsync(5);
    }

    [Fact]
    public async Task SyncAsync_IncrementalChangesOnBothSides_AreApplied()
    {
        CalendarEvent local = Local.Seed(User, Meeting("Local", 1))[0];
        string remoteId = SeedRemote("Remote", 2);
        CalendarEvent doomedLocal = Local.Seed(User, Meeting("Doomed local", 3))[0];
        string doomedRemote = SeedRemote("Doomed remote", 4);
        await Engine.SyncAsync(User);
        _host.Clock.Advance(Duration.FromMinutes(5));

        Local.UpdateByUser(User, local.Id!, e => e with { Subject = "Local, renamed" });
        Emulator.UpdateEvent(User, remoteId, """{"subject":"Remote, renamed","location":{"displayName":"Room 9"}}""");
        Local.DeleteByUser(User, doomedLocal.Id!);
        Emulator.DeleteEvent(User, doomedRemote);
        Local.AddByUser(User, Meeting("New local", 6));
        SeedRemote("New remote", 7);
        SyncResult result = await Engine.SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Empty(result.Failures);
        Assert.Equal(new SyncCounts(1, 1, 1), result.Outlook);
        Assert.Equal(new SyncCounts(1, 1, 1), result.Host);
        await AssertConvergedAsync(4);
        Assert.Contains(Local.GetAll(User), e => e.Subject == "Remote, renamed" && e.Location == "Room 9");
    }

    [Fact]
    public async Task SyncAsync_NothingChanged_MakesOneGraphRequestAndNoWrites()
    {
        Local.Seed(User, Meeting("Local 1", 1), Meeting("Local 2", 2));
        SeedRemote("Remote", 3);
        await Engine.SyncAsync(User);
        Emulator.ResetRequestLog();

        SyncResult second = await Engine.SyncAsync(User);

        Assert.Equal(0, second.TotalWrites);
        Assert.Equal("GET /me/calendarView/delta", Assert.Single(Emulator.RequestLog).Route);
        Emulator.ResetRequestLog();
        SyncResult third = await Engine.SyncAsync(User);
        Assert.Equal(0, third.TotalWrites);
        Assert.Single(Emulator.RequestLog);
    }

    [Fact]
    public async Task SyncAsync_DeltaLinkExpired_FullListingRematchesWithoutDuplicates()
    {
        Local.Seed(User, Meeting("Local", 1));
        SeedRemote("Remote", 2);
        await Engine.SyncAsync(User);
        Emulator.ExpireDeltaTokens(User);
        SeedRemote("After expiry", 3);

        SyncResult result = await Engine.SyncAsync(User);

        Assert.True(result.WasFullResync);
        Assert.Empty(result.Failures);
        Assert.Equal(0, result.Outlook.Total);
        Assert.Equal(new SyncCounts(1, 0, 0), result.Host);
        await AssertConvergedAsync(3);
    }

    [Fact]
    public async Task SyncAsync_ThrottlingStormEveryThirdRequest_SyncsEverything()
    {
        for (int i = 0; i < 45; i++)
        {
            Local.AddByUser(User, Meeting($"Local {i}", 1 + (i % 28), 8 + (i % 9)));
        }

        for (int i = 0; i < 12; i++)
        {
            SeedRemote($"Remote {i}", 1 + i);
        }

        using IDisposable storm = Emulator.InjectFault(GraphFault.Throttle(TimeSpan.Zero) with { EveryNth = 3 });
        SyncResult result = await Engine.SyncAsync(User);
        SyncResult again = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(45, result.Outlook.Created);
        Assert.Equal(12, result.Host.Created);
        Assert.Equal(0, again.TotalWrites);
        Assert.Contains(Emulator.RequestLog, e => e.StatusCode == 429 && e.InBatch);
        Assert.Contains(Emulator.RequestLog, e => e.StatusCode == 429 && !e.InBatch);
        await AssertConvergedAsync(57);
    }

    [Fact]
    public async Task SyncAsync_OutlookEventChangedBetweenReadAndWrite_ConflictRetriedNextRunNeverOverwritten()
    {
        CalendarEvent local = Local.Seed(User, Meeting("Shared", 1))[0];
        await Engine.SyncAsync(User);
        string remoteId = Emulator.GetEvents(User).Single()["id"]!.GetValue<string>();
        Local.UpdateByUser(User, local.Id!, e => e with { Location = "From host" });
        var race = new ChangeBeforeWrite(_host.Calendar, () => Emulator.UpdateEvent(User, remoteId, """{"subject":"Renamed in Outlook"}"""));
        ISyncEngine racing = BuildEngine(race);

        SyncResult raced = await racing.SyncAsync(User);

        SyncFailure failure = Assert.Single(raced.Failures);
        Assert.Equal("ErrorIrresolvableConflict", failure.ErrorCode);
        Assert.True(failure.WillRetry);
        Assert.Equal("Renamed in Outlook", Emulator.GetEvent(User, remoteId)!["subject"]!.GetValue<string>());
        Assert.Equal(string.Empty, Emulator.GetEvent(User, remoteId)!["location"]!["displayName"]!.GetValue<string>());

        SyncResult next = await BuildEngine(calendar: null).SyncAsync(User);

        Assert.Empty(next.Failures);
        CalendarEvent merged = (await _host.Calendar.GetAsync(User, remoteId, _host.ReadWindow, default))!;
        Assert.Equal("Renamed in Outlook", merged.Subject);
        Assert.Equal("From host", merged.Location);
        await AssertConvergedAsync(1);
    }

    [Fact]
    public async Task SyncAsync_CrashAfterRemoteWritesThenRerun_NoDuplicates()
    {
        for (int i = 0; i < 95; i++)
        {
            Local.AddByUser(User, Meeting($"Local {i}", 1 + (i % 28), 8 + (i % 9)));
        }

        // The engine hands the adapter four batches of 20 per call: the crash comes after the first 80 creates reached Outlook.
        ISyncEngine crashing = BuildEngine(new CrashAfterBatches(_host.Calendar, batches: 1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashing.SyncAsync(User));
        Assert.Equal(80, Emulator.GetEvents(User).Count);

        SyncResult rerun = await BuildEngine(calendar: null).SyncAsync(User);

        Assert.Empty(rerun.Failures);
        Assert.Equal(95, Emulator.GetEvents(User).Count);
        Assert.Equal(95, Local.GetAll(User).Count);
        await AssertConvergedAsync(95);
        Assert.Equal(0, (await Engine.SyncAsync(User)).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_OutlookEventMovedOutOfWindow_IsNotDeletedLocally()
    {
        Local.Seed(User, Meeting("Local", 1));
        string remoteId = SeedRemote("Moving away", 2);
        await Engine.SyncAsync(User);

        Emulator.UpdateEvent(User, remoteId, """{"start":{"dateTime":"2030-06-01T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2030-06-01T10:00:00","timeZone":"UTC"}}""");
        SyncResult result = await Engine.SyncAsync(User);

        Assert.Equal(0, result.Host.Deleted);
        Assert.Equal(0, result.Outlook.Deleted);
        Assert.Equal(2, Local.GetAll(User).Count);
        Assert.Contains(Local.GetAll(User), e => e.Subject == "Moving away");
        Assert.NotNull(Emulator.GetEvent(User, remoteId));
    }

    [Fact]
    public async Task SyncAsync_FirstSyncWithPastMeetings_SendsNoInvitation()
    {
        Local.Seed(
            User,
            Meeting("Past review", -20) with { Attendees = [Attendee.Create("ann@example.com"), Attendee.Create("bob@example.com")] },
            Meeting("Past 1:1", -3) with { Attendees = [Attendee.Create("carl@example.com")] },
            Meeting("Future, alone", 4));

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(Emulator.Outbox);
        Assert.Equal(1, result.Outlook.Created);
        Assert.Single(Emulator.GetEvents(User));
    }

    [Fact]
    public async Task SyncAsync_TokenProviderNeedsReauthorization_ReturnsNeedsReauthorization()
    {
        _host.Tokens.Revoked.Add(User);

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Equal(SyncRunStatus.NeedsReauthorization, result.Status);
        Assert.Empty(Emulator.RequestLog);
    }

    private static CalendarEvent Meeting(string subject, int dayFromNow, int hour = 9) => new()
    {
        Subject = subject,
        Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 24, hour, 0).PlusDays(dayFromNow), new LocalDateTime(2026, 11, 24, hour, 45).PlusDays(dayFromNow), "Europe/Berlin"),
    };

    private static CalendarEvent AllDay(string subject, int dayFromNow) => new()
    {
        Subject = subject,
        Timing = EventTiming.AllDay(new LocalDate(2026, 11, 24).PlusDays(dayFromNow), new LocalDate(2026, 11, 25).PlusDays(dayFromNow)),
    };

    private string SeedRemote(string subject, int dayFromNow)
    {
        string day = new LocalDate(2026, 11, 24).PlusDays(dayFromNow).ToString("uuuu-MM-dd", null);
        return Emulator.AddEvent(User, $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{day}}}T14:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{day}}}T15:00:00","timeZone":"W. Europe Standard Time"}}""")["id"]!.GetValue<string>();
    }

    private async Task AssertConvergedAsync(int expectedCount)
    {
        ChangeFeed remote = await _host.Calendar.GetChangesAsync(User, null, Everything, default);
        var remoteHashes = remote.Changed.Select(e => e.ContentHash).Order().ToList();
        var localHashes = Local.GetAll(User).Select(e => e.ContentHash).Order().ToList();
        Assert.Equal(expectedCount, remoteHashes.Count);
        Assert.Equal(localHashes, remoteHashes);
    }

    private ISyncEngine BuildEngine(IOutlookCalendar? calendar)
    {
        ServiceProvider provider = _host.BuildSyncServices(Local, State, calendar);
        if (_provider is null)
        {
            _provider = provider;
        }
        else
        {
            _others.Add(provider);
        }

        return provider.GetRequiredService<ISyncEngine>();
    }

    private readonly List<ServiceProvider> _others = [];

    private InMemorySyncStateStore State => _state ??= new InMemorySyncStateStore(_host.Clock);

    private InMemorySyncStateStore? _state;

    /// <summary>Lets Outlook change under the sync between its read and its write, as a user editing at that moment would.</summary>
    private sealed class ChangeBeforeWrite(IOutlookCalendar inner, Action change) : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, cancellationToken);

        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, linked, cancellationToken);

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, window, cancellationToken);

        public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken) => inner.GetManyAsync(userId, eventIds, window, cancellationToken);

        public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
        {
            change();
            return inner.WriteAsync(userId, writes, cancellationToken);
        }
    }

    /// <summary>The process dies right after some batches reached Outlook, before their results were recorded.</summary>
    private sealed class CrashAfterBatches(IOutlookCalendar inner, int batches) : IOutlookCalendar
    {
        private int _sent;

        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, cancellationToken);

        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, linked, cancellationToken);

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, window, cancellationToken);

        public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken) => inner.GetManyAsync(userId, eventIds, window, cancellationToken);

        public async Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
        {
            IReadOnlyList<EventWriteResult> results = await inner.WriteAsync(userId, writes, cancellationToken);
            if (++_sent >= batches)
            {
                throw new OperationCanceledException("Simulated crash: the process stopped after the batch reached Outlook.");
            }

            return results;
        }
    }
}
