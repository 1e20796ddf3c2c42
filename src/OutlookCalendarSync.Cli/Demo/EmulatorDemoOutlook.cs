using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>
/// The demo's Outlook: the <see cref="GraphEmulator"/> of <c>OutlookCalendarSync.Testing</c> on a loopback port, reached through
/// the library's real Microsoft Graph adapter (the Graph SDK, <c>$batch</c>, delta links) with a token that names the mailbox.
/// The mailbox owner's own edits go straight into the emulator, as Outlook's own apps would make them.
/// </summary>
internal sealed class EmulatorDemoOutlook : IDemoOutlook
{
    private readonly GraphEmulator _emulator;
    private readonly string _userId;
    private readonly IClock _clock;
    private readonly ServiceProvider _reader;

    private EmulatorDemoOutlook(GraphEmulator emulator, string userId, IClock clock)
    {
        _emulator = emulator;
        _userId = userId;
        _clock = clock;

        // A Graph adapter of its own to look at the mailbox, so that looking never touches what the engine's adapter does.
        var services = new ServiceCollection();
        Register(services.AddOutlookCalendarSync());
        _reader = services.BuildServiceProvider();
    }

    public string Description => $"the OutlookCalendarSync.Testing Graph emulator at {_emulator.GraphBaseUrl}, reached through the Microsoft Graph adapter (mailbox {MailboxAddress})";

    public static string MailboxAddress => DemoWeek.Mailbox;

    public OutboxSummary? Outbox
    {
        get
        {
            IReadOnlyList<OutboxMessage> messages = _emulator.Outbox;
            Instant now = _clock.GetCurrentInstant();
            int past = messages.Count(m => EndOf(m.EventId) is { } end && end <= now);
            return new OutboxSummary(
                messages.Count(m => m.Kind == OutboxMessageKind.Invitation),
                messages.Count(m => m.Kind == OutboxMessageKind.Update),
                messages.Count(m => m.Kind == OutboxMessageKind.Cancellation),
                messages.Count(m => m.Kind == OutboxMessageKind.Response),
                past);
        }
    }

    public static async Task<EmulatorDemoOutlook> StartAsync(string userId, IClock clock, CancellationToken cancellationToken)
    {
        string domain = MailboxAddress[(MailboxAddress.IndexOf('@', StringComparison.Ordinal) + 1)..];
        GraphEmulator emulator = await GraphEmulator.StartAsync(
            new GraphEmulatorOptions { Clock = clock, MailboxDomain = domain, ResolveMailbox = token => token },
            cancellationToken).ConfigureAwait(false);
        return new EmulatorDemoOutlook(emulator, userId, clock);
    }

    public void Register(OutlookCalendarSyncBuilder builder)
        => builder
            .UseMicrosoftGraph(o => o.GraphBaseUrl = _emulator.GraphBaseUrl)
            .UseAccessTokenProvider(new MailboxTokenProvider());

    public async Task<CalendarEvent> AddAsync(CalendarEvent newEvent, CancellationToken cancellationToken)
    {
        var added = _emulator.AddEvent(_userId, DemoGraphJson.Write(newEvent, EventFields.All));
        return await GetAsync(added["id"]!.GetValue<string>(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CalendarEvent> UpdateAsync(string eventId, Func<CalendarEvent, CalendarEvent> change, CancellationToken cancellationToken)
    {
        CalendarEvent current = await GetAsync(eventId, cancellationToken).ConfigureAwait(false);
        CalendarEvent changed = change(current);
        _emulator.UpdateEvent(_userId, eventId, DemoGraphJson.Write(changed, changed.DiffersFrom(current)));
        return await GetAsync(eventId, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAsync(string eventId, CancellationToken cancellationToken)
    {
        _emulator.DeleteEvent(_userId, eventId);
        return Task.CompletedTask;
    }

    public Task DeleteOccurrenceAsync(string seriesMasterId, Instant originalStart, CancellationToken cancellationToken)
    {
        DateTimeOffset at = originalStart.ToDateTimeOffset();
        var occurrence = _emulator.GetInstances(_userId, seriesMasterId, at.AddDays(-1), at.AddDays(1))
            .FirstOrDefault(i => i["originalStart"]?.GetValue<string>() is { } original && DateTimeOffset.Parse(original, System.Globalization.CultureInfo.InvariantCulture) == at)
            ?? throw new InvalidOperationException($"The series '{seriesMasterId}' has no occurrence at {originalStart}.");
        _emulator.DeleteEvent(_userId, occurrence["id"]!.GetValue<string>());
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<CalendarEvent>> GetAllAsync(CancellationToken cancellationToken)
    {
        ChangeFeed all = await Reader.GetChangesAsync(_userId, cursor: null, Window(), cancellationToken).ConfigureAwait(false);
        return all.Changed;
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _emulator.DisposeAsync().ConfigureAwait(false);
    }

    private IOutlookCalendar Reader => _reader.GetRequiredService<IOutlookCalendar>();

    private async Task<CalendarEvent> GetAsync(string eventId, CancellationToken cancellationToken)
        => await Reader.GetAsync(_userId, eventId, Window(), cancellationToken).ConfigureAwait(false)
           ?? throw new InvalidOperationException($"The emulator lost the event '{eventId}'.");

    /// <summary>The window the demo reads over: the library's default sync window around now.</summary>
    private Interval Window()
    {
        Instant now = _clock.GetCurrentInstant();
        return new Interval(now - Duration.FromDays(365), now + Duration.FromDays(730));
    }

    private Instant? EndOf(string eventId)
    {
        var stored = _emulator.GetEvent(_userId, eventId);
        if (stored?["end"] is not { } end || end["dateTime"]?.GetValue<string>() is not { } dateTime || end["timeZone"]?.GetValue<string>() is not { } zone)
        {
            return null;
        }

        LocalDateTime local = LocalDateTime.FromDateTime(DateTime.Parse(dateTime, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None));
        return EventTiming.Timed(local, local, zone).StartInstant;
    }

    /// <summary>The emulator takes the bearer token as the mailbox name: the token of a user is their id.</summary>
    private sealed class MailboxTokenProvider : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }
}
