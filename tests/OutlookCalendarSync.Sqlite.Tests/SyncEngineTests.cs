using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Sqlite.Tests;

public sealed class SyncEngineTests : IDisposable
{
    private const string User = "alice";
    private readonly TemporaryDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 24, 12, 0));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SyncAsync_SqliteStoresAndInMemoryOutlook_ConvergesThenSecondRunMakesNoWrites()
    {
        var outlook = new InMemoryOutlookCalendar(_clock);
        using ServiceProvider provider = BuildProvider(outlook);
        var local = provider.GetRequiredService<SqliteCalendarStore>();
        var engine = provider.GetRequiredService<ISyncEngine>();
        local.AddByUser(User, Meeting("Host planning", day: 1));
        local.AddByUser(User, SampleEvents.AllDay());
        outlook.AddByUser(User, Meeting("Outlook review", day: 2) with { Attendees = [Attendee.Create("bob@example.com", "Bob")] });

        SyncResult first = await engine.SyncAsync(User);
        _clock.Advance(Duration.FromMinutes(1));
        SyncResult second = await engine.SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, first.Status);
        Assert.Equal(2, first.Outlook.Created);
        Assert.Equal(1, first.Host.Created);
        AssertConverged(local, outlook);
        Assert.Equal(3, (await provider.GetRequiredService<ISyncStateStore>().GetLinksAsync(User, default)).Count);
        Assert.Equal(0, second.TotalWrites);
        Assert.Equal(SyncRunStatus.NothingNew, second.Status);
    }

    [Fact]
    public async Task SyncAsync_EditsOnBothSidesAfterRestart_PropagatesThenSettles()
    {
        var outlook = new InMemoryOutlookCalendar(_clock);
        CalendarEvent hostEvent;
        using (ServiceProvider provider = BuildProvider(outlook))
        {
            hostEvent = provider.GetRequiredService<SqliteCalendarStore>().AddByUser(User, Meeting("Budget", day: 3));
            await provider.GetRequiredService<ISyncEngine>().SyncAsync(User);
        }

        // A new process: everything it knows comes from the database file.
        using ServiceProvider restarted = BuildProvider(outlook);
        var local = restarted.GetRequiredService<SqliteCalendarStore>();
        var engine = restarted.GetRequiredService<ISyncEngine>();
        _clock.Advance(Duration.FromMinutes(5));
        local.UpdateByUser(User, hostEvent.Id!, e => e with { Location = "Room 9" });
        CalendarEvent remote = Assert.Single(outlook.GetAll(User));
        outlook.UpdateByUser(User, remote.Id!, e => e with { Subject = "Budget 2027" });
        CalendarEvent removedLater = local.AddByUser(User, Meeting("Short-lived", day: 4));

        SyncResult edits = await engine.SyncAsync(User);
        local.DeleteByUser(User, removedLater.Id!);
        SyncResult deletion = await engine.SyncAsync(User);
        SyncResult settled = await engine.SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, edits.Status);
        Assert.Equal(1, deletion.Outlook.Deleted);
        AssertConverged(local, outlook);
        CalendarEvent merged = Assert.Single(local.GetAll(User));
        Assert.Equal("Budget 2027", merged.Subject);
        Assert.Equal("Room 9", merged.Location);
        Assert.Equal(0, settled.TotalWrites);
    }

    [Fact]
    public void UseSqliteStores_MissingPath_FailsAtStartWithMessage()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync().UseOutlookCalendar(new InMemoryOutlookCalendar(_clock)).UseSqliteStores();
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value);

        Assert.Contains("SqliteStoreOptions.DatabasePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseSqliteStores_Registered_ReplacesEveryStorePort()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseSyncStateStore(new InMemorySyncStateStore())
            .UseTokenStore(new InMemoryTokenStore())
            .UseSqliteStores(o => o.DatabasePath = _database.Path);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<SqliteCalendarStore>(), provider.GetRequiredService<ICalendarStore>());
        Assert.IsType<SqliteSyncStateStore>(provider.GetRequiredService<ISyncStateStore>());
        Assert.IsType<SqliteTokenStore>(provider.GetRequiredService<ITokenStore>());
        Assert.Single(services, d => d.ServiceType == typeof(ICalendarStore));
    }

    private static CalendarEvent Meeting(string subject, int day)
        => new()
        {
            Subject = subject,
            Timing = EventTiming.Timed(new LocalDateTime(2026, 12, day, 9, 0), new LocalDateTime(2026, 12, day, 10, 0), "Europe/Berlin"),
        };

    private static void AssertConverged(SqliteCalendarStore local, InMemoryOutlookCalendar outlook)
        => Assert.Equal(
            local.GetAll(User).Select(e => e.ContentHash).Order(),
            outlook.GetAll(User).Select(e => e.ContentHash).Order());

    private ServiceProvider BuildProvider(InMemoryOutlookCalendar outlook)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddOutlookCalendarSync().UseOutlookCalendar(outlook).UseSqliteStores(o => o.DatabasePath = _database.Path);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
