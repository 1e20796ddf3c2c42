using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Issue 10, item 4: Outlook events created in a zone no time-zone database knows (an Outlook client's own definition, or a
/// Windows name CLDR does not map) sync in the mailbox's zone from <c>GET /me/mailboxSettings</c>, or in UTC.
/// </summary>
public sealed class GraphCustomZoneTests : IAsyncLifetime
{
    private const string User = "alice";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 26, 8, 0);

    private readonly List<ServiceProvider> _providers = [];
    private GraphTestHost _host = null!;

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

    [Theory]
    [InlineData("tzone://Microsoft/Custom")]
    [InlineData("Customized Time Zone")]
    [InlineData("Mars Standard Time")]
    public async Task SyncAsync_OutlookEventInUnknownZone_SyncsInTheMailboxZoneAndRoundTrips(string customZone)
    {
        _host.Emulator.SetMailboxTimeZone(User, "W. Europe Standard Time");
        string id = SeedCustom("Custom", customZone, Start);
        SeedCustom("Custom too", customZone, Start + Duration.FromDays(1));

        SyncResult first = await Engine().SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, first.Status);
        Assert.Empty(first.Notes);
        Assert.Equal(2, first.Host.Created);
        Assert.Equal(1, _host.Emulator.CountRequests("GET /me/mailboxSettings"));
        CalendarEvent copy = Local.GetAll(User).Single(e => e.Subject == "Custom");
        Assert.Equal("Europe/Berlin", copy.Timing.Start.Zone.Id);
        Assert.Equal("Europe/Berlin", copy.Timing.End.Zone.Id);
        Assert.Equal(Start, copy.Timing.StartInstant);
        Assert.Equal(Start + Duration.FromHours(1), copy.Timing.EndInstant);

        Local.UpdateByUser(User, copy.Id!, e => e with { Subject = "Custom, renamed" });
        SyncResult renamed = await Engine().SyncAsync(User);
        SyncResult last = await Engine().SyncAsync(User);

        Assert.Empty(renamed.Failures);
        Assert.Equal(1, renamed.Outlook.Updated);
        Assert.Equal(0, last.TotalWrites);
        Assert.Equal("Custom, renamed", _host.Emulator.GetEvent(User, id)!["subject"]!.GetValue<string>());
        Assert.Equal(customZone, _host.Emulator.GetEvent(User, id)!["originalStartTimeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task SyncAsync_OutlookEventInUnknownZoneAndMailboxZoneUnknownToo_SyncsInUtc()
    {
        _host.Emulator.SetMailboxTimeZone(User, "Customized Time Zone");
        SeedCustom("Custom", "tzone://Microsoft/Custom", Start);

        SyncResult result = await Engine().SyncAsync(User);

        Assert.Empty(result.Notes);
        CalendarEvent copy = Assert.Single(Local.GetAll(User));
        Assert.Equal(DateTimeZone.Utc, copy.Timing.Start.Zone);
        Assert.Equal(Start, copy.Timing.StartInstant);
        Assert.Equal(0, (await Engine().SyncAsync(User)).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_NoEventInAnUnknownZone_NeverReadsMailboxSettings()
    {
        _host.Emulator.AddEvent(User, """{"subject":"Known","start":{"dateTime":"2026-11-26T09:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-26T10:00:00","timeZone":"W. Europe Standard Time"}}""");

        await Engine().SyncAsync(User);

        Assert.Equal(0, _host.Emulator.CountRequests("GET /me/mailboxSettings"));
    }

    private string SeedCustom(string subject, string zone, Instant start)
    {
        string from = start.ToString("uuuu-MM-dd'T'HH:mm:ss", null);
        string to = (start + Duration.FromHours(1)).ToString("uuuu-MM-dd'T'HH:mm:ss", null);
        return _host.Emulator.AddEvent(User, $$$"""{"subject":"{{{subject}}}","originalStartTimeZone":"{{{zone}}}","originalEndTimeZone":"{{{zone}}}","start":{"dateTime":"{{{from}}}","timeZone":"UTC"},"end":{"dateTime":"{{{to}}}","timeZone":"UTC"}}""")["id"]!.GetValue<string>();
    }

    private ISyncEngine Engine()
    {
        ServiceProvider provider = _host.BuildSyncServices(Local, State);
        _providers.Add(provider);
        return provider.GetRequiredService<ISyncEngine>();
    }
}
