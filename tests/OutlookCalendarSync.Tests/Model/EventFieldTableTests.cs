using System.Reflection;
using NodaTime;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Tests.Model;

/// <summary>The one table of <see cref="CalendarEvent"/>'s fields (<c>CalendarEvent.Fields</c>) and what is driven from it.</summary>
public sealed class EventFieldTableTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static TheoryData<string> PropertyNames()
    {
        var names = new TheoryData<string>();
        foreach (PropertyInfo property in SettableProperties())
        {
            names.Add(property.Name);
        }

        return names;
    }

    [Fact]
    public void Fields_NameEveryPublicSettablePropertyOfCalendarEvent_Once()
    {
        string[] inTable = CalendarEvent.Fields.Select(f => f.Name).ToArray();

        Assert.Equal(inTable.Length, inTable.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(SettableProperties().Select(p => p.Name).Order(StringComparer.Ordinal), inTable.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SyncedFields_HaveOneEntryPerEventFieldsFlag()
    {
        EventFields[] flags = CalendarEvent.SyncedFields.Select(f => f.Flag).ToArray();
        EventFields[] declared = Enum.GetValues<EventFields>().Where(f => f is not EventFields.None and not EventFields.All).ToArray();

        Assert.Equal(declared.Order(), flags.Order());
        Assert.Equal(EventFields.All, flags.Aggregate(EventFields.None, (all, flag) => all | flag));
    }

    [Theory]
    [MemberData(nameof(PropertyNames))]
    public void With_OneProperty_KeepsEveryOtherProperty(string name)
    {
        CalendarEvent a = Full();
        CalendarEvent b = OtherFull();
        PropertyInfo property = typeof(CalendarEvent).GetProperty(name)!;

        // `with { P = value }` is the record's clone followed by P's init accessor.
        CalendarEvent copy = Clone(a);
        property.SetValue(copy, property.GetValue(b));

        foreach (EventField field in CalendarEvent.Fields)
        {
            Assert.True(field.SameExactly(copy, field.Name == name ? b : a), $"{field.Name} after setting {name}");
        }
    }

    [Theory]
    [MemberData(nameof(PropertyNames))]
    public void With_OneProperty_HashesTheCopysContent(string name)
    {
        CalendarEvent a = Full();
        _ = a.ContentHash;
        PropertyInfo property = typeof(CalendarEvent).GetProperty(name)!;

        CalendarEvent copy = Clone(a);
        property.SetValue(copy, property.GetValue(OtherFull()));

        Assert.Equal(Uncached(copy), copy.ContentHash);
    }

    [Fact]
    public void DiffersFrom_EachSyncedField_ReportsExactlyThatField()
    {
        CalendarEvent a = Full();
        CalendarEvent b = OtherFull();
        Assert.Equal(EventFields.All, a.DiffersFrom(b));

        foreach (EventField field in CalendarEvent.SyncedFields)
        {
            CalendarEvent changed = a.WithFieldsFrom(b, field.Flag);

            Assert.Equal(field.Flag, a.DiffersFrom(changed));
            Assert.Equal(EventFields.All & ~field.Flag, changed.DiffersFrom(b));
            Assert.Equal(Uncached(changed), changed.ContentHash);
            Assert.Equal((a.Id, a.Version, a.ICalUId, a.CounterpartId, a.LastModified, a.SeriesMasterId), (changed.Id, changed.Version, changed.ICalUId, changed.CounterpartId, changed.LastModified, changed.SeriesMasterId));
        }
    }

    [Fact]
    public void Json_RoundTripsEveryField()
    {
        foreach (CalendarEvent e in new[] { Full(), OtherFull() })
        {
            CalendarEvent read = CalendarEventJson.Deserialize(CalendarEventJson.Serialize(e));

            Assert.All(CalendarEvent.Fields, field => Assert.True(field.SameExactly(e, read), field.Name));
        }
    }

    [Fact]
    public void Json_Document_KeepsTheStoredFormat()
    {
        // Property names, order and omitted defaults of the stored document: events stored by earlier versions read and write alike.
        // Written by the serializer before the field table (main at c795726, 2026-11-30), byte for byte.
        const string Stored = """{"id":"L1","version":"7","iCalUId":"uid-1","counterpartId":"AAMk-1","lastModified":"2026-11-30T08:00:00Z","subject":"Planning","body":{"content":"Agenda","contentType":"Html"},"timing":{"start":{"dateTime":"2026-12-01T09:00:00\u002B01","timeZone":"Europe/Berlin"},"end":{"dateTime":"2026-12-01T10:00:00\u002B01","timeZone":"Europe/Berlin"}},"location":"Room 1","onlineMeetingUrl":"https://meet.example.com/a","attendees":[{"address":"ann@example.com","name":"Ann","type":"Required","response":"Accepted"},{"address":"bob@example.com","type":"Optional","response":"None"}],"organizer":{"address":"org@example.com","name":"Org"},"showAs":"Tentative","sensitivity":"Private","reminderMinutesBeforeStart":15,"categories":["Blue","Red"],"recurrence":{"frequency":"Weekly","startDate":"2026-12-01","timeZone":"Europe/Berlin","interval":2,"daysOfWeek":["Tuesday"],"firstDayOfWeek":"Monday","numberOfOccurrences":10,"deletedOccurrences":["2026-12-15"]},"seriesMasterId":"L0","originalStart":"2026-12-01T08:00:00Z","isCancelled":true,"myResponse":"Accepted"}""";

        Assert.Equal(Stored, CalendarEventJson.Serialize(CalendarEventJson.Deserialize(Stored)));
        Assert.Equal(Stored, CalendarEventJson.Serialize(Full()));
    }

    [Fact]
    public void ContentHash_IsTheHashOfContentHashVersion1()
    {
        CalendarEvent full = Full();
        CalendarEvent[] events =
        [
            full,
            OtherFull(),
            full with { MyResponse = ResponseStatus.None, Body = new EventBody(string.Empty, BodyContentType.Html), Recurrence = null, OriginalStart = null },
            new() { Timing = EventTiming.AllDay(new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 27)) },
            full with { Attendees = [.. full.Attendees.Reverse()], Categories = ["Red", "Blue"] },
        ];

        Assert.All(events, e => Assert.Equal(HashVersion1(e), e.ContentHash));
        Assert.Equal(1, CalendarEvent.ContentHashVersion);
    }

    private static IEnumerable<PropertyInfo> SettableProperties()
        => typeof(CalendarEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null && p.Name != "EqualityContract");

    private static CalendarEvent Clone(CalendarEvent e)
        => (CalendarEvent)typeof(CalendarEvent).GetMethod("<Clone>$")!.Invoke(e, null)!;

    /// <summary>The hash of an event that never computed one: the same content read back from JSON.</summary>
    private static ulong Uncached(CalendarEvent e) => CalendarEventJson.Deserialize(CalendarEventJson.Serialize(e)).ContentHash;

    private static CalendarEvent Full() => new()
    {
        Id = "L1",
        Version = "7",
        ICalUId = "uid-1",
        CounterpartId = "AAMk-1",
        LastModified = Instant.FromUtc(2026, 11, 30, 8, 0),
        Subject = "Planning",
        Body = new EventBody("Agenda", BodyContentType.Html),
        Timing = EventTiming.Timed(new LocalDateTime(2026, 12, 1, 9, 0), new LocalDateTime(2026, 12, 1, 10, 0), "Europe/Berlin"),
        Location = "Room 1",
        OnlineMeetingUrl = new Uri("https://meet.example.com/a"),
        Attendees =
        [
            new Attendee(new EmailAddress("ann@example.com", "Ann"), AttendeeType.Required, ResponseStatus.Accepted),
            new Attendee(new EmailAddress("bob@example.com"), AttendeeType.Optional, ResponseStatus.None),
        ],
        Organizer = new EmailAddress("org@example.com", "Org"),
        ShowAs = ShowAs.Tentative,
        Sensitivity = Sensitivity.Private,
        ReminderMinutesBeforeStart = 15,
        Categories = ["Blue", "Red"],
        Recurrence = new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 12, 1), "Europe/Berlin", interval: 2, daysOfWeek: [IsoDayOfWeek.Tuesday], firstDayOfWeek: IsoDayOfWeek.Monday, numberOfOccurrences: 10, deletedOccurrences: [new LocalDate(2026, 12, 15)]),
        SeriesMasterId = "L0",
        OriginalStart = new LocalDateTime(2026, 12, 1, 9, 0).InZoneLeniently(Berlin).ToInstant(),
        IsCancelled = true,
        MyResponse = ResponseStatus.Accepted,
    };

    /// <summary>An event that differs from <see cref="Full"/> in every property.</summary>
    private static CalendarEvent OtherFull() => new()
    {
        Id = "L2",
        Version = "8",
        ICalUId = "uid-2",
        CounterpartId = "AAMk-2",
        LastModified = Instant.FromUtc(2026, 11, 30, 9, 0),
        Subject = "Review",
        Body = new EventBody("Notes", BodyContentType.Text),
        Timing = EventTiming.AllDay(new LocalDate(2026, 12, 2), new LocalDate(2026, 12, 3)),
        Location = "Room 2",
        OnlineMeetingUrl = new Uri("https://meet.example.com/b"),
        Attendees = [new Attendee(new EmailAddress("cy@example.com", "Cy"), AttendeeType.Resource, ResponseStatus.Declined)],
        Organizer = new EmailAddress("other@example.com"),
        ShowAs = ShowAs.Free,
        Sensitivity = Sensitivity.Confidential,
        ReminderMinutesBeforeStart = null,
        Categories = ["Green"],
        Recurrence = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 12, 2), "Europe/Berlin"),
        SeriesMasterId = "L9",
        OriginalStart = Instant.FromUtc(2026, 12, 2, 0, 0),
        IsCancelled = false,
        MyResponse = ResponseStatus.Declined,
    };

    /// <summary>The content hash as version 1 computed it, field by field, before the field table existed (kept verbatim).</summary>
    private static ulong HashVersion1(CalendarEvent e)
    {
        var hash = default(StableHash);
        hash.Add(e.Subject ?? string.Empty);
        bool hasBody = !string.IsNullOrEmpty(e.Body?.Content);
        hash.Add(hasBody ? e.Body!.Content : string.Empty);
        hash.Add(hasBody ? (long)e.Body!.ContentType : -1);
        e.Timing.AddTo(ref hash);
        hash.Add(e.Location ?? string.Empty);
        hash.Add(e.OnlineMeetingUrl?.OriginalString);
        hash.Add(e.Attendees.Count);
        foreach (Attendee attendee in e.Attendees.OrderBy(a => a.Email.NormalizedAddress, StringComparer.Ordinal).ThenBy(a => a.Type).ThenBy(a => a.Response))
        {
            hash.Add(attendee.Email.NormalizedAddress);
            hash.Add(attendee.Email.Name);
            hash.Add((long)attendee.Type);
            hash.Add((long)attendee.Response);
        }

        hash.Add(e.Organizer?.NormalizedAddress);
        hash.Add((long)e.ShowAs);
        hash.Add((long)e.Sensitivity);
        hash.Add(e.ReminderMinutesBeforeStart ?? -1);
        hash.Add(e.Categories.Count);
        foreach (string category in e.Categories.Order(StringComparer.Ordinal))
        {
            hash.Add(category);
        }

        hash.Add(e.Recurrence is not null);
        e.Recurrence?.AddTo(ref hash);
        hash.Add(e.OriginalStart?.ToUnixTimeTicks() ?? long.MinValue);
        hash.Add(e.IsCancelled);
        if (e.MyResponse != ResponseStatus.None)
        {
            hash.Add((long)e.MyResponse);
        }

        return hash.Value;
    }
}
