using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Invitations someone else organized: the owner's answer syncs both ways, and an answer made in the host reaches the organizer
/// through Graph's <c>accept</c> / <c>tentativelyAccept</c> / <c>decline</c> (real SDK, emulator).
/// </summary>
public sealed class GraphInvitationSyncTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Organizer = "bob@example.com";
    private const string AcceptRoute = "POST /me/events/{id}/accept";
    private const string DeclineRoute = "POST /me/events/{id}/decline";
    private const string TentativeRoute = "POST /me/events/{id}/tentativelyAccept";
    private const string PatchRoute = "PATCH /me/events/{id}";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private GraphTestHost _host = null!;
    private ServiceProvider _provider = null!;

    private GraphEmulator Emulator => _host.Emulator;

    private InMemoryCalendarStore Local { get; set; } = null!;

    private ISyncEngine Engine { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await GraphTestHost.StartAsync(Now);
        Local = new InMemoryCalendarStore(_host.Clock);
        _provider = _host.BuildSyncServices(Local, new InMemorySyncStateStore(_host.Clock));
        Engine = _provider.GetRequiredService<ISyncEngine>();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task SyncAsync_UnansweredInvitation_ReachesTheHostWithNoAnswer()
    {
        SeedInvitation("Budget review");

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        CalendarEvent local = Assert.Single(Local.GetAll(User));
        Assert.Equal(ResponseStatus.None, local.MyResponse);
        Assert.Equal(Organizer, local.Organizer?.Address);
    }

    [Fact]
    public async Task SyncAsync_HostAccepts_SendsOneAcceptAndTheOrganizerGetsOneResponse()
    {
        string remoteId = SeedInvitation("Budget review");
        await Engine.SyncAsync(User);
        CalendarEvent local = Assert.Single(Local.GetAll(User));
        _host.Clock.Advance(Duration.FromMinutes(5));
        Local.UpdateByUser(User, local.Id!, e => e with { MyResponse = ResponseStatus.Accepted });
        Emulator.ResetRequestLog();
        Emulator.ClearOutbox();

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(1, result.Outlook.Updated);
        Assert.Equal(1, Emulator.CountRequests(AcceptRoute));
        Assert.Equal(0, Emulator.CountRequests(PatchRoute));
        Assert.Equal("accepted", Emulator.GetEvent(User, remoteId)!["responseStatus"]!["response"]!.GetValue<string>());
        OutboxMessage message = Assert.Single(Emulator.Outbox);
        Assert.Equal(OutboxMessageKind.Response, message.Kind);
        Assert.Equal(Organizer, message.Recipient);

        Emulator.ResetRequestLog();
        SyncResult next = await Engine.SyncAsync(User);

        Assert.Equal(0, next.TotalWrites);
        Assert.Empty(next.Failures);
        Assert.Equal(0, Emulator.CountRequests(AcceptRoute));
        Assert.Equal(ResponseStatus.Accepted, Assert.Single(Local.GetAll(User)).MyResponse);
    }

    [Fact]
    public async Task SyncAsync_HostDeclinesAndMovesANote_PatchesAndDeclines()
    {
        string remoteId = SeedInvitation("Budget review");
        await Engine.SyncAsync(User);
        CalendarEvent local = Assert.Single(Local.GetAll(User));
        _host.Clock.Advance(Duration.FromMinutes(5));
        Local.UpdateByUser(User, local.Id!, e => e with { MyResponse = ResponseStatus.Declined, Categories = ["Skipped"] });
        Emulator.ResetRequestLog();

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(1, Emulator.CountRequests(PatchRoute));
        Assert.Equal(1, Emulator.CountRequests(DeclineRoute));
        Assert.Equal(0, Emulator.CountRequests(AcceptRoute) + Emulator.CountRequests(TentativeRoute));
        Assert.Equal("declined", Emulator.GetEvent(User, remoteId)!["responseStatus"]!["response"]!.GetValue<string>());
        Assert.Equal(0, (await Engine.SyncAsync(User)).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_OutlookUserDeclines_HostGetsDeclined()
    {
        string remoteId = SeedInvitation("Budget review");
        await Engine.SyncAsync(User);
        _host.Clock.Advance(Duration.FromMinutes(5));
        Emulator.UpdateEvent(User, remoteId, """{"responseStatus":{"response":"declined","time":"2026-11-24T08:05:00Z"}}""");

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(ResponseStatus.Declined, Assert.Single(Local.GetAll(User)).MyResponse);
        Assert.Equal(0, result.Outlook.Updated);
    }

    [Fact]
    public async Task SyncAsync_HostAnswersAnEventTheOwnerOrganizes_SendsNothing()
    {
        CalendarEvent local = Local.Seed(User, new CalendarEvent
        {
            Subject = "Own meeting",
            Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 26, 9, 0), new LocalDateTime(2026, 11, 26, 10, 0), "Europe/Berlin"),
            Attendees = [Attendee.Create("carol@example.com")],
        })[0];
        await Engine.SyncAsync(User);
        _host.Clock.Advance(Duration.FromMinutes(5));
        Local.UpdateByUser(User, local.Id!, e => e with { MyResponse = ResponseStatus.Accepted });
        Emulator.ResetRequestLog();

        SyncResult result = await Engine.SyncAsync(User);

        Assert.Empty(result.Failures);
        Assert.Equal(0, Emulator.CountRequests(AcceptRoute) + Emulator.CountRequests(DeclineRoute) + Emulator.CountRequests(TentativeRoute));
        Assert.Equal(0, Emulator.CountRequests(PatchRoute));
        Assert.Equal(0, (await Engine.SyncAsync(User)).TotalWrites);
    }

    private string SeedInvitation(string subject) =>
        Emulator.AddEvent(User, $$$"""
            {"subject":"{{{subject}}}",
             "start":{"dateTime":"2026-11-26T14:00:00","timeZone":"W. Europe Standard Time"},
             "end":{"dateTime":"2026-11-26T15:00:00","timeZone":"W. Europe Standard Time"},
             "isOrganizer":false,
             "organizer":{"emailAddress":{"address":"{{{Organizer}}}","name":"Bob"}},
             "responseStatus":{"response":"none","time":"0001-01-01T00:00:00Z"},
             "attendees":[{"type":"required","status":{"response":"none"},"emailAddress":{"address":"alice@emulator.test","name":"Alice"}}]}
            """)["id"]!.GetValue<string>();
}
