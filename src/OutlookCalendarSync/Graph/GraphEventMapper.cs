using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;
using OutlookCalendarSync.Model;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// Maps Graph events to the library's model and back. Round trips are stable: an event written and read back has the same
/// <see cref="CalendarEvent.ContentHash"/>, which the engine's echo suppression depends on.
/// </summary>
/// <remarks>
/// Times are read in UTC (<c>Prefer: outlook.timezone="UTC"</c>) and placed in the event's own zone, taken from
/// <c>originalStartTimeZone</c> / <c>originalEndTimeZone</c>. Zones are written as Windows names when the CLDR mapping brings the
/// same IANA zone back, and as IANA ids (which Graph also accepts) otherwise. All-day events are local dates.
/// </remarks>
internal static class GraphEventMapper
{
    /// <summary>The single-value extended property that carries the host event id on events this library creates.</summary>
    public const string HostIdPropertyId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name OutlookCalendarSync.HostId";

    /// <summary>
    /// The single-value extended property that carries a host's online-meeting URL: Graph's <c>onlineMeeting</c> is read-only
    /// (Outlook fills it for Teams meetings), so a URL from the host is kept here and read back when Outlook has no join URL.
    /// </summary>
    public const string OnlineMeetingUrlPropertyId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name OutlookCalendarSync.OnlineMeetingUrl";

    /// <summary>The <c>$expand</c> that returns <see cref="HostIdPropertyId"/> and <see cref="OnlineMeetingUrlPropertyId"/> with events.</summary>
    public const string ExpandHostId = "singleValueExtendedProperties($filter=id eq '" + HostIdPropertyId + "' or id eq '" + OnlineMeetingUrlPropertyId + "')";

    private static readonly LocalDateTimePattern GraphDateTime = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss.FFFFFFF");
    private static readonly LocalDateTimePattern GraphDateTimeOut = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss.fffffff");

    /// <summary>Reads a Graph event: a single event, a series master (with no deleted occurrences) or an exception.</summary>
    /// <param name="source">The event as Graph returned it, with times in UTC.</param>
    /// <param name="problem">Why the event cannot be synced, when the result is null.</param>
    /// <returns>The event, or null when it cannot be synced.</returns>
    public static CalendarEvent? ToModel(G.Event source, out string? problem) => ToModel(source, [], out problem);

    /// <summary>Reads a Graph event; a series master gets the deleted occurrences the caller learned from its instances.</summary>
    /// <param name="source">The event as Graph returned it, with times in UTC.</param>
    /// <param name="deletedOccurrences">For a series master, the original dates of its deleted occurrences.</param>
    /// <param name="problem">Why the event cannot be synced, when the result is null.</param>
    /// <returns>The event, or null when it cannot be synced.</returns>
    public static CalendarEvent? ToModel(G.Event source, IEnumerable<LocalDate> deletedOccurrences, out string? problem)
        => ToModel(source, deletedOccurrences, fallbackZone: null, out problem);

    /// <summary>
    /// Reads a Graph event whose own zone may be one no time-zone database knows (<see cref="NeedsFallbackZone(G.Event)"/>): it is then
    /// placed in <paramref name="fallbackZone"/>, the mailbox's zone. Its instants are Graph's either way.
    /// </summary>
    /// <param name="source">The event as Graph returned it, with times in UTC.</param>
    /// <param name="deletedOccurrences">For a series master, the original dates of its deleted occurrences.</param>
    /// <param name="fallbackZone">The zone for an event created in an unknown zone; null leaves such an event unsynced.</param>
    /// <param name="problem">Why the event cannot be synced, when the result is null.</param>
    /// <returns>The event, or null when it cannot be synced.</returns>
    public static CalendarEvent? ToModel(G.Event source, IEnumerable<LocalDate> deletedOccurrences, DateTimeZone? fallbackZone, out string? problem)
        => ToModel(GraphEventData.From(source), deletedOccurrences, fallbackZone, out problem);

    /// <summary>
    /// Reads a Graph event from its fields (a delta page's item read without the SDK's models, or a model copied by
    /// <see cref="GraphEventData.From"/>): the rules of every other overload, which all come here.
    /// </summary>
    /// <param name="source">The event's fields, with times in UTC.</param>
    /// <param name="deletedOccurrences">For a series master, the original dates of its deleted occurrences.</param>
    /// <param name="fallbackZone">The zone for an event created in an unknown zone; null leaves such an event unsynced.</param>
    /// <param name="problem">Why the event cannot be synced, when the result is null.</param>
    /// <returns>The event, or null when it cannot be synced.</returns>
    public static CalendarEvent? ToModel(GraphEventData source, IEnumerable<LocalDate> deletedOccurrences, DateTimeZone? fallbackZone, out string? problem)
    {
        problem = null;
        if (source.Type == G.EventType.Occurrence)
        {
            problem = "an unmodified occurrence of a series, which is synced through its series master";
            return null;
        }

        EventTiming? timing = ReadTiming(source, fallbackZone, out problem);
        if (timing is null)
        {
            return null;
        }

        Recurrence? recurrence = null;
        if (source.Type == G.EventType.SeriesMaster || (source.Type is null && source.Recurrence is not null))
        {
            recurrence = GraphRecurrenceMapper.ToModel(source.Recurrence, timing, deletedOccurrences, out problem);
            if (recurrence is null)
            {
                return null;
            }
        }

        string? seriesMasterId = null;
        Instant? originalStart = null;
        if (source.Type == G.EventType.Exception)
        {
            if (source.SeriesMasterId is not { Length: > 0 } masterId || source.OriginalStart is not { } original)
            {
                problem = "a modified occurrence without its series master or original start";
                return null;
            }

            seriesMasterId = masterId;
            originalStart = Instant.FromDateTimeOffset(original);
        }

        var attendees = new List<Attendee>();
        foreach (GraphAttendee attendee in source.Attendees ?? [])
        {
            EmailAddress? address = ReadAddress(attendee.EmailAddress);
            if (address is null)
            {
                problem = $"an attendee has no usable email address ('{attendee.EmailAddress?.Address}')";
                return null;
            }

            attendees.Add(new Attendee(address, ReadAttendeeType(attendee.Type), ReadResponse(attendee.Response)));
        }

        EmailAddress? organizer = null;
        if (source.IsOrganizer == false && source.OrganizerAddress is { Address: { Length: > 0 } } organizerAddress)
        {
            organizer = ReadAddress(organizerAddress);
            if (organizer is null)
            {
                problem = $"the organizer has no usable email address ('{organizerAddress.Address}')";
                return null;
            }
        }

        string? joinUrl = NullIfEmpty(source.OnlineMeetingJoinUrl) ?? NullIfEmpty(source.OnlineMeetingUrl) ?? NullIfEmpty(Property(source, OnlineMeetingUrlPropertyId));
        return new CalendarEvent
        {
            Id = source.Id,
            Version = source.ChangeKey,
            // A blank iCalUId or stamp is no identity: read as none, so it matches nothing.
            ICalUId = NullIfBlank(source.ICalUId),
            CounterpartId = NullIfBlank(Property(source, HostIdPropertyId)),
            LastModified = source.LastModifiedDateTime is { } modified ? Instant.FromDateTimeOffset(modified) : null,
            Subject = string.IsNullOrEmpty(source.Subject) ? null : source.Subject,
            Body = string.IsNullOrEmpty(source.BodyContent)
                ? null
                : new EventBody(source.BodyContent, source.BodyContentType == G.BodyType.Html ? BodyContentType.Html : BodyContentType.Text),
            Timing = timing,
            Location = string.IsNullOrEmpty(source.LocationDisplayName) ? null : source.LocationDisplayName,
            OnlineMeetingUrl = Uri.TryCreate(joinUrl, UriKind.Absolute, out Uri? url) ? url : null,
            Attendees = attendees,
            Organizer = organizer,
            ShowAs = source.ShowAs switch
            {
                G.FreeBusyStatus.Unknown => ShowAs.Unknown,
                G.FreeBusyStatus.Free => ShowAs.Free,
                G.FreeBusyStatus.Tentative => ShowAs.Tentative,
                G.FreeBusyStatus.Oof => ShowAs.OutOfOffice,
                G.FreeBusyStatus.WorkingElsewhere => ShowAs.WorkingElsewhere,
                _ => ShowAs.Busy,
            },
            Sensitivity = source.Sensitivity switch
            {
                G.Sensitivity.Personal => Sensitivity.Personal,
                G.Sensitivity.Private => Sensitivity.Private,
                G.Sensitivity.Confidential => Sensitivity.Confidential,
                _ => Sensitivity.Normal,
            },
            ReminderMinutesBeforeStart = source.IsReminderOn == true ? source.ReminderMinutesBeforeStart ?? 0 : null,
            Categories = source.Categories?.Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToArray() ?? [],
            IsCancelled = source.IsCancelled == true,
            MyResponse = source.IsOrganizer == false ? ReadResponse(source.MyResponse) : ResponseStatus.None,
            Recurrence = recurrence,
            SeriesMasterId = seriesMasterId,
            OriginalStart = originalStart,
        };
    }

    /// <summary>Builds the Graph event to send: every writable field for a create, only <paramref name="fields"/> for an update.</summary>
    /// <param name="source">The content to write.</param>
    /// <param name="fields">The fields to write; <see cref="EventFields.All"/> for a create.</param>
    /// <returns>The Graph event.</returns>
    /// <exception cref="GraphMappingException">The content cannot be written to Outlook; the message says why.</exception>
    /// <remarks>
    /// <see cref="CalendarEvent.MyResponse"/> is no field of the PATCH: the adapter sends it as an answer (<see cref="AnswerOf"/>).
    /// A series master's recurrence is written as Graph's pattern and range; its deleted occurrences are not part of it (the
    /// adapter deletes those instances). An exception's series and original start are not written: the adapter patches the
    /// instance that has them.
    /// </remarks>
    public static G.Event ToGraph(CalendarEvent source, EventFields fields)
    {
        var target = new G.Event();
        if (fields.HasFlag(EventFields.Recurrence))
        {
            if (source.Recurrence is { } rule)
            {
                target.Recurrence = GraphRecurrenceMapper.ToGraph(rule);
            }
            else if (fields != EventFields.All)
            {
                throw new GraphMappingException($"'{source.Subject}' stopped recurring, which Outlook cannot do to an existing series: delete the series and create a single event instead.");
            }
        }

        if (fields.HasFlag(EventFields.Subject))
        {
            target.Subject = source.Subject ?? string.Empty;
        }

        if (fields.HasFlag(EventFields.Body))
        {
            target.Body = new G.ItemBody
            {
                ContentType = source.Body?.ContentType == BodyContentType.Html ? G.BodyType.Html : G.BodyType.Text,
                Content = source.Body?.Content ?? string.Empty,
            };
        }

        if (fields.HasFlag(EventFields.Timing))
        {
            WriteTiming(source.Timing, target);
        }

        if (fields.HasFlag(EventFields.Location))
        {
            target.Location = new G.Location { DisplayName = source.Location ?? string.Empty };
        }

        if (fields.HasFlag(EventFields.OnlineMeetingUrl))
        {
            // onlineMeeting is read-only in Graph: the URL goes to an extended property (empty to clear it).
            target.SingleValueExtendedProperties =
            [
                new G.SingleValueLegacyExtendedProperty { Id = OnlineMeetingUrlPropertyId, Value = source.OnlineMeetingUrl?.OriginalString ?? string.Empty },
            ];
        }

        if (fields.HasFlag(EventFields.Attendees))
        {
            target.Attendees = source.Attendees.Select(a => new G.Attendee
            {
                Type = a.Type switch
                {
                    AttendeeType.Optional => G.AttendeeType.Optional,
                    AttendeeType.Resource => G.AttendeeType.Resource,
                    _ => G.AttendeeType.Required,
                },
                Status = new G.ResponseStatus { Response = WriteResponse(a.Response) },
                EmailAddress = new G.EmailAddress { Address = a.Email.Address, Name = a.Email.Name },
            }).ToList();
        }

        if (fields.HasFlag(EventFields.ShowAs))
        {
            target.ShowAs = source.ShowAs switch
            {
                ShowAs.Unknown => G.FreeBusyStatus.Unknown,
                ShowAs.Free => G.FreeBusyStatus.Free,
                ShowAs.Tentative => G.FreeBusyStatus.Tentative,
                ShowAs.OutOfOffice => G.FreeBusyStatus.Oof,
                ShowAs.WorkingElsewhere => G.FreeBusyStatus.WorkingElsewhere,
                _ => G.FreeBusyStatus.Busy,
            };
        }

        if (fields.HasFlag(EventFields.Sensitivity))
        {
            target.Sensitivity = source.Sensitivity switch
            {
                Sensitivity.Personal => G.Sensitivity.Personal,
                Sensitivity.Private => G.Sensitivity.Private,
                Sensitivity.Confidential => G.Sensitivity.Confidential,
                _ => G.Sensitivity.Normal,
            };
        }

        if (fields.HasFlag(EventFields.Reminder))
        {
            target.IsReminderOn = source.ReminderMinutesBeforeStart is not null;
            if (source.ReminderMinutesBeforeStart is { } minutes)
            {
                target.ReminderMinutesBeforeStart = minutes;
            }
        }

        if (fields.HasFlag(EventFields.Categories))
        {
            target.Categories = source.Categories.ToList();
        }

        return target;
    }

    /// <summary>
    /// The answer to send for the owner's response to an invitation: null for an event the owner organizes (no organizer)
    /// and for a response that cannot be sent (none, not responded, organizer).
    /// </summary>
    /// <param name="source">The event with the owner's response.</param>
    /// <returns>The answer, or null when there is nothing to send.</returns>
    public static InvitationAnswer? AnswerOf(CalendarEvent source) => source.Organizer is null
        ? null
        : source.MyResponse switch
        {
            ResponseStatus.Accepted => InvitationAnswer.Accept,
            ResponseStatus.TentativelyAccepted => InvitationAnswer.TentativelyAccept,
            ResponseStatus.Declined => InvitationAnswer.Decline,
            _ => null,
        };

    /// <summary>The Graph name of a zone: its Windows name when that maps back to the same IANA zone, else the IANA id.</summary>
    /// <param name="zone">The zone.</param>
    /// <returns>The name to write.</returns>
    public static string ZoneName(DateTimeZone zone)
    {
        if (TzdbDateTimeZoneSource.Default.TzdbToWindowsIds.TryGetValue(zone.Id, out string? windowsId) && ReadZone(windowsId)?.Id == zone.Id)
        {
            return windowsId;
        }

        return zone.Id;
    }

    /// <summary>Reads a zone Graph names by its IANA id or its Windows name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The zone, or null when it is unknown.</returns>
    public static DateTimeZone? ReadZone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        DateTimeZone? zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(name);
        if (zone is null && TzdbDateTimeZoneSource.Default.WindowsToTzdbIds.TryGetValue(name, out string? ianaId))
        {
            zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(ianaId);
        }

        return zone;
    }

    /// <summary>
    /// Whether a timed event was created in a zone no time-zone database knows: Outlook's <c>tzone://Microsoft/Custom</c> or
    /// <c>Customized Time Zone</c> (a zone an Outlook client defined itself), or a Windows name CLDR does not map. Graph still gives
    /// its start and end in the <c>Prefer</c> zone (UTC), so only the zone to show it in is missing.
    /// </summary>
    /// <param name="source">The event as Graph returned it.</param>
    /// <returns>True when the event needs a fallback zone to be read.</returns>
    public static bool NeedsFallbackZone(G.Event source) => NeedsFallbackZone(GraphEventData.From(source));

    /// <summary>Whether a timed event was created in a zone no time-zone database knows (see the other overload).</summary>
    /// <param name="source">The event's fields.</param>
    /// <returns>True when the event needs a fallback zone to be read.</returns>
    public static bool NeedsFallbackZone(GraphEventData source)
        => source.IsAllDay != true
           && source.Start is not null && source.End is not null
           && ReadZone(source.Start.TimeZone) is not null && ReadZone(source.End.TimeZone) is not null
           && (ReadZone(source.OriginalStartTimeZone ?? source.Start.TimeZone) is null
               || ReadZone(source.OriginalEndTimeZone ?? source.OriginalStartTimeZone ?? source.End.TimeZone) is null);

    private static EventTiming? ReadTiming(GraphEventData source, DateTimeZone? fallbackZone, out string? problem)
    {
        problem = null;
        if (source.Start is null || source.End is null)
        {
            problem = "the event has no start or end";
            return null;
        }

        LocalDateTime? startLocal = ParseLocal(source.Start.DateTime);
        LocalDateTime? endLocal = ParseLocal(source.End.DateTime);
        if (startLocal is null || endLocal is null)
        {
            problem = $"the start '{source.Start.DateTime}' or end '{source.End.DateTime}' is not a date and time";
            return null;
        }

        if (source.IsAllDay == true)
        {
            if (endLocal.Value.Date <= startLocal.Value.Date)
            {
                problem = "the all-day event ends before its first day";
                return null;
            }

            return EventTiming.AllDay(startLocal.Value.Date, endLocal.Value.Date);
        }

        DateTimeZone? startReadZone = ReadZone(source.Start.TimeZone);
        DateTimeZone? endReadZone = ReadZone(source.End.TimeZone);
        DateTimeZone? startZone = ReadZone(source.OriginalStartTimeZone ?? source.Start.TimeZone) ?? fallbackZone;
        DateTimeZone? endZone = ReadZone(source.OriginalEndTimeZone ?? source.OriginalStartTimeZone ?? source.End.TimeZone) ?? fallbackZone;
        if (startReadZone is null || endReadZone is null || startZone is null || endZone is null)
        {
            string? unknown = new[] { source.Start.TimeZone, source.End.TimeZone, source.OriginalStartTimeZone, source.OriginalEndTimeZone }
                .FirstOrDefault(name => name is not null && ReadZone(name) is null);
            problem = $"the time zone '{unknown}' is not a known Windows or IANA time zone, and the mailbox's time zone could not be read";
            return null;
        }

        ZonedDateTime start = startLocal.Value.InZoneLeniently(startReadZone).WithZone(startZone);
        ZonedDateTime end = endLocal.Value.InZoneLeniently(endReadZone).WithZone(endZone);
        if (end.ToInstant() < start.ToInstant())
        {
            problem = "the event ends before it starts";
            return null;
        }

        return EventTiming.Timed(start, end);
    }

    private static void WriteTiming(EventTiming timing, G.Event target)
    {
        target.IsAllDay = timing.IsAllDay;
        if (timing.IsAllDay)
        {
            target.Start = new G.DateTimeTimeZone { DateTime = GraphDateTimeOut.Format(timing.StartDate.AtMidnight()), TimeZone = "UTC" };
            target.End = new G.DateTimeTimeZone { DateTime = GraphDateTimeOut.Format(timing.EndDate.AtMidnight()), TimeZone = "UTC" };
            return;
        }

        target.Start = new G.DateTimeTimeZone { DateTime = GraphDateTimeOut.Format(timing.Start.LocalDateTime), TimeZone = ZoneName(timing.Start.Zone) };
        target.End = new G.DateTimeTimeZone { DateTime = GraphDateTimeOut.Format(timing.End.LocalDateTime), TimeZone = ZoneName(timing.End.Zone) };
    }

    /// <summary>The instant of a Graph date and time in a zone (a delta occurrence's start), or null when it cannot be read.</summary>
    public static Instant? ReadInstant(GraphTime? value)
        => value is not null && ParseLocal(value.DateTime) is { } local && ReadZone(value.TimeZone) is { } zone
            ? local.InZoneLeniently(zone).ToInstant()
            : null;

    private static LocalDateTime? ParseLocal(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        ParseResult<LocalDateTime> parsed = GraphDateTime.Parse(text);
        if (parsed.Success)
        {
            return parsed.Value;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime value) ? LocalDateTime.FromDateTime(value) : null;
    }

    private static string? Property(GraphEventData source, string id) =>
        source.SingleValueExtendedProperties?.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))?.Value;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static EmailAddress? ReadAddress(GraphAddress? address)
    {
        string? text = address?.Address?.Trim();
        if (string.IsNullOrEmpty(text) || text.IndexOf('@', StringComparison.Ordinal) <= 0 || text.EndsWith('@'))
        {
            return null;
        }

        // Outlook fills in the address as the name when none was given; that is not a name.
        string? name = string.Equals(address!.Name?.Trim(), text, StringComparison.OrdinalIgnoreCase) ? null : address.Name;
        return new EmailAddress(text, name);
    }

    private static AttendeeType ReadAttendeeType(G.AttendeeType? type) => type switch
    {
        G.AttendeeType.Optional => AttendeeType.Optional,
        G.AttendeeType.Resource => AttendeeType.Resource,
        _ => AttendeeType.Required,
    };

    private static ResponseStatus ReadResponse(G.ResponseType? response) => response switch
    {
        G.ResponseType.Organizer => ResponseStatus.Organizer,
        G.ResponseType.TentativelyAccepted => ResponseStatus.TentativelyAccepted,
        G.ResponseType.Accepted => ResponseStatus.Accepted,
        G.ResponseType.Declined => ResponseStatus.Declined,
        G.ResponseType.NotResponded => ResponseStatus.NotResponded,
        _ => ResponseStatus.None,
    };

    private static G.ResponseType WriteResponse(ResponseStatus response) => response switch
    {
        ResponseStatus.Organizer => G.ResponseType.Organizer,
        ResponseStatus.TentativelyAccepted => G.ResponseType.TentativelyAccepted,
        ResponseStatus.Accepted => G.ResponseType.Accepted,
        ResponseStatus.Declined => G.ResponseType.Declined,
        ResponseStatus.NotResponded => G.ResponseType.NotResponded,
        _ => G.ResponseType.None,
    };
}
