using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Support;

/// <summary>The engine wired through <c>AddOutlookCalendarSync</c> to the in-memory doubles and a fake clock.</summary>
internal sealed class SyncHarness : IDisposable
{
    public const string User = "alice";

    private readonly ServiceProvider _provider;

    public SyncHarness(Action<OutlookCalendarSyncOptions>? configure = null, IOutlookCalendar? remoteOverride = null, Func<InMemoryOutlookCalendar, IOutlookCalendar>? wrapRemote = null)
    {
        Clock = new FakeClock(TestEvents.Now);
        Local = new InMemoryCalendarStore(Clock);
        Remote = new InMemoryOutlookCalendar(Clock);
        State = new InMemorySyncStateStore(Clock);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(Clock);
        services.AddOutlookCalendarSync(o => configure?.Invoke(o))
            .UseCalendarStore(Local)
            .UseOutlookCalendar(remoteOverride ?? wrapRemote?.Invoke(Remote) ?? Remote)
            .UseSyncStateStore(State);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Engine = _provider.GetRequiredService<ISyncEngine>();
    }

    public FakeClock Clock { get; }

    public InMemoryCalendarStore Local { get; }

    public InMemoryOutlookCalendar Remote { get; }

    public InMemorySyncStateStore State { get; }

    public ISyncEngine Engine { get; }

    public Task<SyncResult> SyncAsync(string user = User) => Engine.SyncAsync(user);

    /// <summary>Advances the clock a little, as between two user actions.</summary>
    public void Tick() => Clock.Advance(Duration.FromMinutes(1));

    public static CalendarEvent Meeting(string subject, int day = 1, int hour = 9)
        => new()
        {
            Subject = subject,
            Timing = EventTiming.Timed(new LocalDateTime(2026, 12, day, hour, 0), new LocalDateTime(2026, 12, day, hour + 1, 0), "Europe/Berlin"),
        };

    /// <summary>Both sides hold the same events (by content), each once.</summary>
    public void AssertConverged(string user = User)
    {
        var local = Local.GetAll(user).Select(e => e.ContentHash).Order().ToList();
        var remote = Remote.GetAll(user).Select(e => e.ContentHash).Order().ToList();
        Assert.Equal(local, remote);
    }

    public void Dispose() => _provider.Dispose();
}
