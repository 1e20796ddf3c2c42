using System.Globalization;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;
using ICal = Ical.Net;
using Model = OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// Converts between the library's events and iCalendar (RFC 5545) files, recurring series included.
/// </summary>
/// <remarks>
/// <para>
/// A series master is a VEVENT with an RRULE, written and read by the library's <see cref="RRule"/> (so exactly the rules Outlook
/// can hold), and EXDATEs for its deleted occurrences, at the series' start time in its zone (dates for an all-day series). A
/// modified occurrence is a VEVENT with its master's UID and a RECURRENCE-ID, its original start in the series' zone. An all-day
/// series' time zone, which DATE values cannot carry, is written as <c>X-OUTLOOK-CALENDAR-SYNC-TZID</c>; reading, it falls back on
/// the calendar's <c>X-WR-TIMEZONE</c>, then UTC.
/// </para>
/// <para>
/// What Outlook cannot hold is left out, event by event, with the reason (<see cref="SkippedEvent"/>): an RRULE Outlook cannot
/// express, RDATE, EXRULE, several RRULEs, a RECURRENCE-ID with <c>RANGE=THISANDFUTURE</c>, and a RECURRENCE-ID without its series
/// in the file; writing, a modified occurrence whose series is not among the events. So is what cannot be read, without failing
/// the file: no DTSTART, a date that is not one, a time zone that is neither known nor defined in the file, an end before the
/// start (skipped rather than guessed: which of the two is wrong cannot be known).
/// </para>
/// <para>
/// Time zones: writing, a VTIMEZONE for each TZID used (RFC 5545 requires it); reading, TZIDs are resolved through the file's
/// VTIMEZONEs as <see cref="IcsPreparation"/> and <see cref="FileTimeZones"/> describe, and floating times take the calendar's
/// <c>X-WR-TIMEZONE</c>. An HTML body is written as plain text in DESCRIPTION and as HTML in <c>X-ALT-DESC;FMTTYPE=text/html</c>.
/// </para>
/// </remarks>
internal static class IcsConverter
{
    private const string HtmlDescription = "X-ALT-DESC";
    private const string BusyStatus = "X-MICROSOFT-CDO-BUSYSTATUS";
    private const string SeriesTimeZone = "X-OUTLOOK-CALENDAR-SYNC-TZID";

    /// <summary>Writes events as one VCALENDAR: single events, series masters, and modified occurrences under their master's UID.</summary>
    /// <param name="events">The events; a modified occurrence's master (<see cref="Model.CalendarEvent.SeriesMasterId"/>) must be among them.</param>
    /// <param name="skipped">The events left out, with the reason for each.</param>
    /// <returns>The iCalendar text.</returns>
    public static string Write(IEnumerable<Model.CalendarEvent> events, out IReadOnlyList<SkippedEvent> skipped)
    {
        Model.CalendarEvent[] all = events.ToArray();
        var masters = new Dictionary<string, Model.CalendarEvent>(StringComparer.Ordinal);
        foreach (Model.CalendarEvent source in all)
        {
            if (source is { IsSeriesMaster: true, Id: { } id })
            {
                masters.TryAdd(id, source);
            }
        }

        var written = new List<ICal.CalendarComponents.CalendarEvent>();
        var left = new List<SkippedEvent>();
        foreach (Model.CalendarEvent source in all)
        {
            if (!source.IsSeriesException)
            {
                written.Add(ToIcs(source, Uid(source)));
            }
            else if (!masters.TryGetValue(source.SeriesMasterId!, out Model.CalendarEvent? master))
            {
                left.Add(new SkippedEvent(
                    source.Subject,
                    $"it is a modified occurrence of a series (id {source.SeriesMasterId}) that is not in the calendar, and iCalendar names an occurrence by its series' UID: export it together with its series."));
            }
            else if (source.OriginalStart is not { } originalStart)
            {
                left.Add(new SkippedEvent(
                    source.Subject,
                    "it is a modified occurrence without the start it had in the series, which iCalendar needs (RECURRENCE-ID) to say which occurrence it replaces."));
            }
            else
            {
                ICal.CalendarComponents.CalendarEvent target = ToIcs(source, Uid(master));
                target.RecurrenceIdentifier = new RecurrenceIdentifier(OccurrenceId(master, originalStart), null);
                written.Add(target);
            }
        }

        var calendar = new ICal.Calendar { ProductId = "-//OutlookCalendarSync//outlook-calendar-sync//EN" };
        AddTimeZones(calendar, written);
        foreach (ICal.CalendarComponents.CalendarEvent target in written)
        {
            calendar.Events.Add(target);
        }

        skipped = left;
        return new CalendarSerializer(VerbatimRecurrenceRules.SerializationContext()).SerializeToString(calendar) ?? string.Empty;
    }

    /// <summary>
    /// Adds a VTIMEZONE for each TZID the events use, as RFC 5545 requires: the zone's current STANDARD and DAYLIGHT rules, from
    /// a year before the earliest event.
    /// </summary>
    private static void AddTimeZones(ICal.Calendar calendar, IReadOnlyList<ICal.CalendarComponents.CalendarEvent> events)
    {
        IEnumerable<CalDateTime?> times = events.SelectMany(e => new[] { e.DtStart, e.DtEnd, e.RecurrenceIdentifier?.StartTime }
            .Concat(e.ExceptionDates.GetAllDates()));
        var earliest = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (CalDateTime time in times.OfType<CalDateTime>())
        {
            if (time is { HasTime: true, IsUtc: false, TzId: { Length: > 0 } zoneId } && zoneId != "UTC")
            {
                DateTime local = new(time.Year, time.Month, time.Day, 0, 0, 0, DateTimeKind.Unspecified);
                earliest[zoneId] = earliest.TryGetValue(zoneId, out DateTime known) && known < local ? known : local;
            }
        }

        foreach ((string zoneId, DateTime from) in earliest.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            calendar.TimeZones.Add(DateTimeZoneProviders.Tzdb[zoneId] is { } zone && zone.MinOffset == zone.MaxOffset
                ? FixedTimeZone(zoneId, zone.MinOffset)
                : VTimeZone.FromDateTimeZone(zoneId, from, includeHistoricalData: false));
        }
    }

    /// <summary>The VTIMEZONE of a zone with one offset (<c>Etc/GMT-3</c>): a STANDARD observance without a rule.</summary>
    private static VTimeZone FixedTimeZone(string zoneId, Offset offset)
    {
        var zone = new VTimeZone(zoneId);
        zone.TimeZoneInfos.Add(new ICal.VTimeZoneInfo
        {
            Name = ICal.Components.Standard,
            Start = new CalDateTime(1970, 1, 1, 0, 0, 0),
            OffsetFrom = new UtcOffset(offset.ToTimeSpan()),
            OffsetTo = new UtcOffset(offset.ToTimeSpan()),
        });
        return zone;
    }

    /// <summary>Reads the VEVENTs of an iCalendar text: single events and series masters, each series with its modified occurrences.</summary>
    /// <param name="text">The iCalendar text.</param>
    /// <returns>The events, and the VEVENTs left out with the reason for each.</returns>
    /// <exception cref="FormatException">The text is not iCalendar.</exception>
    /// <remarks>
    /// An event that cannot be read (no DTSTART, a date that cannot be read, a time zone that is neither known nor defined in the
    /// file, an end before its start) is left out with the reason, and the others are read (see <see cref="IcsPreparation"/>).
    /// </remarks>
    public static IcsImport Read(string text)
    {
        PreparedIcs prepared = IcsPreparation.Prepare(text);
        ICal.Calendar? calendar;
        try
        {
            calendar = ICal.Calendar.Load(prepared.Text);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new FormatException($"This is not an iCalendar file: {error.Message}", error);
        }

        if (calendar is null)
        {
            throw new FormatException("This is not an iCalendar file: it has no VCALENDAR.");
        }

        var events = new List<(Model.CalendarEvent Event, List<Model.CalendarEvent> Exceptions)>();
        var seriesByUid = new Dictionary<string, List<Model.CalendarEvent>>(StringComparer.Ordinal);
        var skippedSeries = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new List<SkippedEvent>();
        foreach (ICal.CalendarComponents.CalendarEvent source in calendar.Events.Where(e => e.RecurrenceIdentifier is null))
        {
            Model.CalendarEvent? read = FromIcs(source, prepared, out string? whyNot);
            Recurrence? rule = null;
            whyNot ??= ReadRecurrence(source, read!.Timing, prepared.CalendarZoneId, out rule);
            if (whyNot is not null)
            {
                skipped.Add(new SkippedEvent(source.Summary, whyNot));
                if (!string.IsNullOrWhiteSpace(source.Uid))
                {
                    skippedSeries.Add(source.Uid);
                }

                continue;
            }

            var exceptions = new List<Model.CalendarEvent>();
            if (rule is not null && read!.ICalUId is { } uid)
            {
                seriesByUid.TryAdd(uid, exceptions);
            }

            events.Add((read! with { Recurrence = rule }, exceptions));
        }

        foreach (ICal.CalendarComponents.CalendarEvent source in calendar.Events.Where(e => e.RecurrenceIdentifier is not null))
        {
            string uid = source.Uid ?? string.Empty;
            RecurrenceIdentifier occurrence = source.RecurrenceIdentifier!;
            string? whyNot = occurrence.Range == RecurrenceRange.ThisAndFuture
                ? "it changes an occurrence and all later ones (RECURRENCE-ID;RANGE=THISANDFUTURE), and Outlook changes occurrences one by one: end the series there and start a new one."
                : skippedSeries.Contains(uid)
                    ? $"it is a modified occurrence of the series with UID '{uid}', which was left out."
                    : !seriesByUid.ContainsKey(uid)
                        ? $"it is a modified occurrence (RECURRENCE-ID) of the series with UID '{uid}', which is not in the file (no VEVENT with that UID and an RRULE): add the series to the file."
                        : null;
            Model.CalendarEvent? read = whyNot is null ? FromIcs(source, prepared, out whyNot) : null;
            Instant? originalStart = whyNot is null ? OriginalStart(occurrence.StartTime, out whyNot) : null;
            if (whyNot is not null)
            {
                skipped.Add(new SkippedEvent(source.Summary, whyNot));
                continue;
            }

            // Graph gives each occurrence its own iCalUId: the store assigns one, the series is found through SeriesMasterId.
            seriesByUid[uid].Add(read! with { ICalUId = null, SeriesMasterId = uid, OriginalStart = originalStart });
        }

        return new IcsImport(events.Select(e => new ImportedEvent(e.Event, e.Exceptions)).ToArray(), skipped);
    }

    /// <summary>The UID of an event's VEVENT: its iCalUId, else its id.</summary>
    private static string Uid(Model.CalendarEvent source) => source.ICalUId ?? source.Id ?? Guid.NewGuid().ToString();

    /// <summary>
    /// Reads a VEVENT's recurrence: null for a single event, the reason it is left out when Outlook cannot hold it.
    /// </summary>
    private static string? ReadRecurrence(ICal.CalendarComponents.CalendarEvent source, EventTiming timing, string? calendarZone, out Recurrence? rule)
    {
        rule = null;
        if (source.Properties.Any(p => p.Name == "RDATE"))
        {
            return "it has extra dates (RDATE), and an Outlook series has only the dates of its pattern: add those dates as separate events and remove RDATE.";
        }

        if (source.Properties.Any(p => p.Name == "EXRULE"))
        {
            return "it removes occurrences by a rule (EXRULE), and an Outlook series removes single dates only: list the dates as EXDATE.";
        }

        IReadOnlyList<string> rules = VerbatimRecurrenceRules.EventRules(source);
        if (rules.Count == 0)
        {
            return null;
        }

        if (rules.Count > 1)
        {
            return $"it has {rules.Count} RRULEs, and an Outlook series has one pattern: create one series per rule.";
        }

        string zoneId = timing.IsAllDay
            ? source.Properties.FirstOrDefault(p => p.Name == SeriesTimeZone)?.Value as string ?? calendarZone ?? "UTC"
            : timing.Start.Zone.Id;
        try
        {
            Recurrence read = RRule.FromRRule(rules[0], timing.StartDate, zoneId);
            DateTimeZone zone = DateTimeZoneProviders.Tzdb[read.TimeZoneId];
            LocalDate[] deleted = source.ExceptionDates.GetAllDates()
                .Select(date => date.HasTime ? ToZoned(date).WithZone(zone).Date : FromDateOnly(date.Date))
                .ToArray();
            rule = deleted.Length == 0 ? read : RRule.FromRRule(rules[0], timing.StartDate, read.TimeZoneId, deleted);
            return null;
        }
        catch (UnsupportedRecurrenceException error)
        {
            return error.Message;
        }
        catch (FormatException error)
        {
            return $"its RRULE cannot be read: {error.Message}";
        }
        catch (ArgumentException error)
        {
            return $"its recurrence cannot be read: {error.Message}";
        }
    }

    /// <summary>The instant a RECURRENCE-ID names: a date is the start of that day in UTC, as for all-day occurrences.</summary>
    private static Instant? OriginalStart(CalDateTime recurrenceId, out string? whyNot)
    {
        whyNot = null;
        if (!recurrenceId.HasTime)
        {
            return FromDateOnly(recurrenceId.Date).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        }

        try
        {
            return ToZoned(recurrenceId).ToInstant();
        }
        catch (ArgumentException error)
        {
            whyNot = $"its RECURRENCE-ID cannot be read: {error.Message}";
            return null;
        }
    }

    /// <summary>The RECURRENCE-ID of an occurrence: its original start in the series' zone, or its date for an all-day series.</summary>
    private static CalDateTime OccurrenceId(Model.CalendarEvent master, Instant originalStart)
        => master.Timing.IsAllDay
            ? new CalDateTime(ToDateOnly(originalStart.InUtc().Date))
            : ToCalDateTime(originalStart.InZone(DateTimeZoneProviders.Tzdb[master.Recurrence!.TimeZoneId]));

    /// <summary>Adds a master's RRULE and EXDATEs; a timed DTSTART is said in the series' zone, whose local time the rule repeats.</summary>
    private static void AddRecurrence(ICal.CalendarComponents.CalendarEvent target, EventTiming timing, Recurrence rule)
    {
        LocalTime? startTime = null;
        if (timing.IsAllDay)
        {
            target.Properties.Add(new ICal.CalendarProperty(SeriesTimeZone, rule.TimeZoneId));
        }
        else
        {
            ZonedDateTime start = timing.Start.WithZone(DateTimeZoneProviders.Tzdb[rule.TimeZoneId]);
            target.DtStart = ToCalDateTime(start);
            startTime = start.TimeOfDay;
        }

        target.Properties.Add(VerbatimRecurrenceRules.Property(RRule.ToRRule(rule, startTime)));
        foreach (LocalDate deleted in rule.DeletedOccurrences)
        {
            target.ExceptionDates.Add(startTime is { } time
                ? ToCalDateTime(deleted.At(time), rule.TimeZoneId)
                : new CalDateTime(ToDateOnly(deleted)));
        }
    }

    private static ICal.CalendarComponents.CalendarEvent ToIcs(Model.CalendarEvent source, string uid)
    {
        var target = new ICal.CalendarComponents.CalendarEvent
        {
            Uid = uid,
            Summary = source.Subject,
            Location = source.Location,
            Url = source.OnlineMeetingUrl,
            Class = source.Sensitivity switch
            {
                Sensitivity.Private => "PRIVATE",
                Sensitivity.Confidential => "CONFIDENTIAL",
                Sensitivity.Personal => "X-PERSONAL",
                _ => "PUBLIC",
            },
            Transparency = source.ShowAs == ShowAs.Free ? "TRANSPARENT" : "OPAQUE",
            Status = source.IsCancelled ? "CANCELLED" : "CONFIRMED",
        };

        if (source.Timing.IsAllDay)
        {
            target.DtStart = new CalDateTime(ToDateOnly(source.Timing.StartDate));
            target.DtEnd = new CalDateTime(ToDateOnly(source.Timing.EndDate));
        }
        else
        {
            target.DtStart = ToCalDateTime(source.Timing.Start);
            target.DtEnd = ToCalDateTime(source.Timing.End);
        }

        if (source.Recurrence is { } rule)
        {
            AddRecurrence(target, source.Timing, rule);
        }

        if (source.Body is { Content.Length: > 0 } body)
        {
            if (body.ContentType == BodyContentType.Html)
            {
                target.Description = HtmlText.ToPlainText(body.Content);
                var html = new ICal.CalendarProperty(HtmlDescription, body.Content);
                html.Parameters.Add("FMTTYPE", "text/html");
                target.Properties.Add(html);
            }
            else
            {
                target.Description = body.Content;
            }
        }

        target.Properties.Add(new ICal.CalendarProperty(BusyStatus, source.ShowAs switch
        {
            ShowAs.Free => "FREE",
            ShowAs.Tentative => "TENTATIVE",
            ShowAs.OutOfOffice => "OOF",
            ShowAs.WorkingElsewhere => "WORKINGELSEWHERE",
            ShowAs.Unknown => "UNKNOWN",
            _ => "BUSY",
        }));

        if (source.Organizer is { } organizer)
        {
            target.Organizer = new Organizer("mailto:" + organizer.Address) { CommonName = organizer.Name };
        }

        foreach (Model.Attendee attendee in source.Attendees)
        {
            target.Attendees.Add(new ICal.DataTypes.Attendee("mailto:" + attendee.Email.Address)
            {
                CommonName = attendee.Email.Name,
                Role = attendee.Type switch
                {
                    AttendeeType.Optional => "OPT-PARTICIPANT",
                    AttendeeType.Resource => "NON-PARTICIPANT",
                    _ => "REQ-PARTICIPANT",
                },
                Type = attendee.Type == AttendeeType.Resource ? "RESOURCE" : "INDIVIDUAL",
                ParticipationStatus = attendee.Response switch
                {
                    ResponseStatus.Accepted => "ACCEPTED",
                    ResponseStatus.Declined => "DECLINED",
                    ResponseStatus.TentativelyAccepted => "TENTATIVE",
                    _ => "NEEDS-ACTION",
                },
            });
        }

        foreach (string category in source.Categories)
        {
            target.Categories.Add(category);
        }

        if (source.ReminderMinutesBeforeStart is int minutes)
        {
            target.Alarms.Add(new Alarm
            {
                Action = "DISPLAY",
                Description = source.Subject ?? "Reminder",
                Trigger = new Trigger(ICal.DataTypes.Duration.FromMinutes(-minutes)),
            });
        }

        return target;
    }

    /// <summary>Reads a VEVENT's fields; null with the reason when the event is to be left out.</summary>
    private static Model.CalendarEvent? FromIcs(ICal.CalendarComponents.CalendarEvent source, PreparedIcs prepared, out string? whyNot)
    {
        if (source.Properties.FirstOrDefault(p => p.Name == IcsPreparation.ProblemProperty)?.Value is string marker
            && int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out int problem) && problem < prepared.Problems.Count)
        {
            whyNot = prepared.Problems[problem];
            return null;
        }

        if (source.DtStart is null)
        {
            whyNot = "it has no start (DTSTART): add one, such as DTSTART;TZID=Europe/Berlin:20260302T090000.";
            return null;
        }

        EventTiming? timing;
        try
        {
            timing = ReadTiming(source.DtStart, source.DtEnd, source.Duration, out whyNot);
        }
        catch (ArgumentException error)
        {
            whyNot = $"its times cannot be read: {error.Message}";
            return null;
        }

        if (timing is null)
        {
            return null;
        }

        ICal.ICalendarProperty? html = source.Properties.FirstOrDefault(p => p.Name == HtmlDescription
            && string.Equals(p.Parameters.Get("FMTTYPE"), "text/html", StringComparison.OrdinalIgnoreCase));
        EventBody? body = html?.Value is string htmlText && htmlText.Length > 0
            ? EventBody.Html(htmlText)
            : string.IsNullOrEmpty(source.Description) ? null : EventBody.Text(source.Description);
        string? busy = source.Properties.FirstOrDefault(p => p.Name == BusyStatus)?.Value as string;

        return new Model.CalendarEvent
        {
            ICalUId = string.IsNullOrWhiteSpace(source.Uid) ? null : source.Uid,
            Subject = source.Summary,
            Body = body,
            Timing = timing,
            Location = string.IsNullOrEmpty(source.Location) ? null : source.Location,
            OnlineMeetingUrl = source.Url,
            Organizer = Address(source.Organizer?.Value, source.Organizer?.CommonName),
            Attendees = source.Attendees.Select(ReadAttendee).OfType<Model.Attendee>().ToList(),
            Categories = source.Categories.ToList(),
            Sensitivity = source.Class?.ToUpperInvariant() switch
            {
                "PRIVATE" => Sensitivity.Private,
                "CONFIDENTIAL" => Sensitivity.Confidential,
                "X-PERSONAL" => Sensitivity.Personal,
                _ => Sensitivity.Normal,
            },
            ShowAs = busy?.ToUpperInvariant() switch
            {
                "FREE" => ShowAs.Free,
                "TENTATIVE" => ShowAs.Tentative,
                "OOF" => ShowAs.OutOfOffice,
                "WORKINGELSEWHERE" => ShowAs.WorkingElsewhere,
                "UNKNOWN" => ShowAs.Unknown,
                "BUSY" => ShowAs.Busy,
                _ => string.Equals(source.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase) ? ShowAs.Free : ShowAs.Busy,
            },
            ReminderMinutesBeforeStart = source.Alarms.Select(a => a.Trigger?.Duration).OfType<ICal.DataTypes.Duration>()
                .Select(d => (int?)Math.Max(0, -(int)d.ToTimeSpanUnspecified().TotalMinutes)).FirstOrDefault(),
            IsCancelled = string.Equals(source.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>An event's timing; null with the reason when its end is before its start, which iCalendar does not allow.</summary>
    private static EventTiming? ReadTiming(CalDateTime start, CalDateTime? end, ICal.DataTypes.Duration? duration, out string? whyNot)
    {
        whyNot = null;
        if (!start.HasTime)
        {
            LocalDate first = FromDateOnly(start.Date);
            LocalDate last = end is not null ? FromDateOnly(end.Date)
                : duration is { } d ? first.PlusDays(Math.Max(1, (d.Days ?? 0) + ((d.Weeks ?? 0) * 7)))
                : first.PlusDays(1);
            if (last < first)
            {
                whyNot = $"its end (DTEND {last:uuuu-MM-dd}) is before its start (DTSTART {first:uuuu-MM-dd}): fix the end and import the file again.";
                return null;
            }

            return EventTiming.AllDay(first, last == first ? first.PlusDays(1) : last);
        }

        ZonedDateTime zonedStart = ToZoned(start);
        ZonedDateTime zonedEnd = end is not null ? ToZoned(end)
            : duration is { } length ? zonedStart.Plus(NodaTime.Duration.FromTimeSpan(length.ToTimeSpanUnspecified()))
            : zonedStart;
        if (zonedEnd.ToInstant() < zonedStart.ToInstant())
        {
            whyNot = $"its end ({(end is null ? "DURATION" : "DTEND")} {zonedEnd.LocalDateTime:uuuu-MM-dd HH:mm} {zonedEnd.Zone.Id}) is before its start (DTSTART {zonedStart.LocalDateTime:uuuu-MM-dd HH:mm} {zonedStart.Zone.Id}): fix the end and import the file again.";
            return null;
        }

        return EventTiming.Timed(zonedStart, zonedEnd);
    }

    private static ZonedDateTime ToZoned(CalDateTime value)
    {
        var local = new LocalDateTime(value.Year, value.Month, value.Day, value.Hour, value.Minute, value.Second);
        string zone = value.IsUtc || value.IsFloating || string.IsNullOrEmpty(value.TzId) ? "UTC" : value.TzId;
        return EventTiming.Timed(local, local, zone).Start;
    }

    private static CalDateTime ToCalDateTime(ZonedDateTime value) => ToCalDateTime(value.LocalDateTime, value.Zone.Id);

    private static CalDateTime ToCalDateTime(LocalDateTime local, string zoneId)
        => new(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zoneId == "UTC" ? "UTC" : zoneId);

    private static Model.Attendee? ReadAttendee(ICal.DataTypes.Attendee source)
    {
        EmailAddress? email = Address(source.Value, source.CommonName);
        if (email is null)
        {
            return null;
        }

        AttendeeType type = string.Equals(source.Type, "RESOURCE", StringComparison.OrdinalIgnoreCase) || string.Equals(source.Type, "ROOM", StringComparison.OrdinalIgnoreCase)
            ? AttendeeType.Resource
            : string.Equals(source.Role, "OPT-PARTICIPANT", StringComparison.OrdinalIgnoreCase) ? AttendeeType.Optional : AttendeeType.Required;
        ResponseStatus response = source.ParticipationStatus?.ToUpperInvariant() switch
        {
            "ACCEPTED" => ResponseStatus.Accepted,
            "DECLINED" => ResponseStatus.Declined,
            "TENTATIVE" => ResponseStatus.TentativelyAccepted,
            _ => ResponseStatus.None,
        };
        return new Model.Attendee(email, type, response);
    }

    private static EmailAddress? Address(Uri? value, string? name)
    {
        if (value is null)
        {
            return null;
        }

        string text = value.OriginalString;
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["mailto:".Length..];
        }

        return text.Contains('@', StringComparison.Ordinal) ? new EmailAddress(Uri.UnescapeDataString(text), name) : null;
    }

    private static DateOnly ToDateOnly(LocalDate date) => new(date.Year, date.Month, date.Day);

    private static LocalDate FromDateOnly(DateOnly date) => new(date.Year, date.Month, date.Day);
}
