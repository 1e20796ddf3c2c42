using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Sqlite;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>
/// A realistic week of Ada, who works in London with colleagues in New York and Tokyo: what each calendar holds before the
/// first sync, and the edits made on both sides between runs.
/// </summary>
internal sealed class DemoWeek
{
    public const string HomeZone = "Europe/London";
    public const string NewYork = "America/New_York";
    public const string Tokyo = "Asia/Tokyo";
    public const string Mailbox = "ada@contoso.example";

    private readonly string _userId;
    private readonly SqliteCalendarStore _local;
    private readonly IDemoOutlook _outlook;
    private readonly LocalDate _monday;
    private readonly Dictionary<string, string> _localIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _outlookIds = new(StringComparer.Ordinal);

    public DemoWeek(string userId, SqliteCalendarStore local, IDemoOutlook outlook, Instant now)
    {
        _userId = userId;
        _local = local;
        _outlook = outlook;
        LocalDate today = now.InZone(DateTimeZoneProviders.Tzdb[HomeZone]).Date;
        _monday = today.Next(IsoDayOfWeek.Monday);
    }

    /// <summary>The Monday the demo week starts on (the next one).</summary>
    public LocalDate Monday => _monday;

    /// <summary>Fills both calendars before the first sync; Ada's own meetings have no organizer (the mailbox owner).</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        AddLocal(new CalendarEvent
        {
            Subject = "Sprint planning",
            Timing = At(0, 9, 30, 11, 0),
            Location = "Room 2.14",
            Body = EventBody.Html("<p>Agenda: goals, capacity, <b>commitments</b>.</p>"),
            Attendees = [Attendee.Create("grace@contoso.example", "Grace Hopper"), Attendee.Create("alan@contoso.example", "Alan Turing", AttendeeType.Optional)],
            ReminderMinutesBeforeStart = 15,
        });
        AddLocal(new CalendarEvent
        {
            Subject = "Design review with the Tokyo team",
            Timing = EventTiming.Timed(_monday.PlusDays(1).At(new LocalTime(17, 0)), _monday.PlusDays(1).At(new LocalTime(18, 0)), Tokyo),
            OnlineMeetingUrl = new Uri("https://teams.example/l/meetup-join/design-review"),
            Attendees = [Attendee.Create("kenji@contoso.example", "Kenji Sato")],
        });
        AddLocal(new CalendarEvent
        {
            Subject = "Company offsite",
            Timing = EventTiming.AllDay(_monday.PlusDays(2), _monday.PlusDays(4)),
            Location = "Brighton",
            ShowAs = ShowAs.OutOfOffice,
        });
        AddLocal(new CalendarEvent
        {
            Subject = "1:1 with Dana",
            Timing = At(4, 14, 0, 14, 30),
            Attendees = [Attendee.Create("dana@contoso.example", "Dana Scully")],
        });
        AddLocal(new CalendarEvent
        {
            Subject = "Budget review",
            Timing = At(3, 15, 0, 16, 0),
            Location = "Room 1.02",
        });
        // A recurring series with one moved occurrence: weekdays at 09:15, Wednesday's pushed to 10:00.
        AddLocal(new CalendarEvent
        {
            Subject = "Daily stand-up",
            Timing = At(0, 9, 15, 9, 30),
            Attendees = [Attendee.Create("grace@contoso.example", "Grace Hopper"), Attendee.Create("alan@contoso.example", "Alan Turing")],
            Recurrence = new Recurrence(
                RecurrenceFrequency.Weekly,
                _monday,
                HomeZone,
                daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday],
                firstDayOfWeek: IsoDayOfWeek.Monday),
        });
        AddLocal(new CalendarEvent
        {
            Subject = "Daily stand-up (moved for the offsite)",
            Timing = At(2, 10, 0, 10, 15),
            Attendees = [Attendee.Create("grace@contoso.example", "Grace Hopper"), Attendee.Create("alan@contoso.example", "Alan Turing")],
            SeriesMasterId = LocalId("Daily stand-up"),
            OriginalStart = At(2, 9, 15, 9, 30).StartInstant,
        });
        AddLocal(new CalendarEvent
        {
            Subject = "Quarterly business review (already over)",
            Timing = At(-11, 10, 0, 12, 0),
            Attendees = [Attendee.Create("board@contoso.example", "The board"), Attendee.Create("grace@contoso.example", "Grace Hopper")],
        });

        await AddOutlookAsync(new CalendarEvent
        {
            Subject = "Customer call: Acme (New York)",
            Timing = EventTiming.Timed(_monday.PlusDays(1).At(new LocalTime(11, 0)), _monday.PlusDays(1).At(new LocalTime(11, 30)), NewYork),
            Organizer = new EmailAddress("buyer@acme.example", "Wile E. Coyote"),
            Attendees = [Attendee.Create(Mailbox, "Ada Lovelace", response: ResponseStatus.Accepted)],
        }, cancellationToken).ConfigureAwait(false);
        await AddOutlookAsync(new CalendarEvent
        {
            Subject = "Dentist",
            Timing = At(3, 8, 0, 8, 45),
            Sensitivity = Sensitivity.Private,
            ReminderMinutesBeforeStart = 60,
        }, cancellationToken).ConfigureAwait(false);
        await AddOutlookAsync(new CalendarEvent
        {
            Subject = "Lunch with Sam",
            Timing = At(2, 12, 30, 13, 30),
            Location = "The Ivy",
        }, cancellationToken).ConfigureAwait(false);

        // The same meeting typed into both calendars, each with its own location: the first sync matches the two by
        // subject, start and end, and must decide between their differing fields.
        await AddOutlookAsync(new CalendarEvent
        {
            Subject = "Budget review",
            Timing = At(3, 15, 0, 16, 0),
            Location = "Microsoft Teams",
            Body = EventBody.Text("Bring the Q3 forecast."),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The edits made between the first and the second run, each described for the demo to print.</summary>
    public async Task<IReadOnlyList<string>> EditBothSidesAsync(CancellationToken cancellationToken)
    {
        var done = new List<string>();

        _local.UpdateByUser(_userId, LocalId("Sprint planning"), e => e with { Location = "Room 4.01" });
        done.Add("local: Sprint planning moved to Room 4.01");
        _local.UpdateByUser(_userId, LocalId("1:1 with Dana"), e => e with { Timing = At(4, 15, 0, 15, 30) });
        done.Add("local: 1:1 with Dana moved to 15:00");
        _local.DeleteByUser(_userId, FindLocal("Lunch with Sam"));
        done.Add("local: Lunch with Sam deleted");
        AddLocal(new CalendarEvent
        {
            Subject = "Team retro",
            Timing = At(4, 16, 0, 17, 0),
            Attendees = [Attendee.Create("grace@contoso.example", "Grace Hopper"), Attendee.Create("alan@contoso.example", "Alan Turing")],
        });
        done.Add("local: Team retro added (Friday 16:00, two attendees)");

        string dana = await FindOutlookAsync("1:1 with Dana", cancellationToken).ConfigureAwait(false);
        await _outlook.UpdateAsync(dana, e => e with { Subject = "1:1 with Dana (career chat)", Timing = At(4, 16, 0, 16, 30) }, cancellationToken).ConfigureAwait(false);
        done.Add("Outlook: 1:1 with Dana renamed and moved to 16:00 (a conflict: both sides moved it)");
        await _outlook.DeleteAsync(await FindOutlookAsync("Design review with the Tokyo team", cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        done.Add("Outlook: Design review with the Tokyo team deleted");
        await AddOutlookAsync(new CalendarEvent
        {
            Subject = "Vendor demo (New York)",
            Timing = EventTiming.Timed(_monday.PlusDays(4).At(new LocalTime(9, 0)), _monday.PlusDays(4).At(new LocalTime(10, 0)), NewYork),
            Organizer = new EmailAddress("sales@vendor.example", "Vendor sales"),
            Attendees = [Attendee.Create(Mailbox, "Ada Lovelace", response: ResponseStatus.TentativelyAccepted)],
        }, cancellationToken).ConfigureAwait(false);
        done.Add("Outlook: Vendor demo added (Friday 09:00 New York time)");
        string standUp = await FindOutlookAsync("Daily stand-up", cancellationToken).ConfigureAwait(false);
        await _outlook.DeleteOccurrenceAsync(standUp, At(4, 9, 15, 9, 30).StartInstant, cancellationToken).ConfigureAwait(false);
        done.Add("Outlook: Friday's stand-up deleted (one occurrence of the series)");
        return done;
    }

    private EventTiming At(int day, int startHour, int startMinute, int endHour, int endMinute)
        => EventTiming.Timed(_monday.PlusDays(day).At(new LocalTime(startHour, startMinute)), _monday.PlusDays(day).At(new LocalTime(endHour, endMinute)), HomeZone);

    private void AddLocal(CalendarEvent newEvent) => _localIds[newEvent.Subject!] = _local.AddByUser(_userId, newEvent).Id!;

    private async Task AddOutlookAsync(CalendarEvent newEvent, CancellationToken cancellationToken)
        => _outlookIds[newEvent.Subject!] = (await _outlook.AddAsync(newEvent, cancellationToken).ConfigureAwait(false)).Id!;

    private string LocalId(string subject) => _localIds[subject];

    private string FindLocal(string subject) => _local.GetAll(_userId).First(e => e.Subject == subject).Id!;

    private async Task<string> FindOutlookAsync(string subject, CancellationToken cancellationToken)
        => (await _outlook.GetAllAsync(cancellationToken).ConfigureAwait(false)).First(e => e.Subject == subject).Id!;
}
