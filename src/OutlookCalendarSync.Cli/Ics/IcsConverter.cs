using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using OutlookCalendarSync.Model;
using ICal = Ical.Net;
using Model = OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// Converts between the library's events and iCalendar (RFC 5545) files. Recurring series and their exceptions are left out
/// (this build does not sync them) and counted, so the command can say so.
/// </summary>
internal static class IcsConverter
{
    private const string HtmlDescription = "X-ALT-DESC";
    private const string BusyStatus = "X-MICROSOFT-CDO-BUSYSTATUS";

    /// <summary>Writes events as one VCALENDAR.</summary>
    public static string Write(IEnumerable<Model.CalendarEvent> events, out int skippedRecurring)
    {
        var calendar = new ICal.Calendar { ProductId = "-//OutlookCalendarSync//outlook-calendar-sync//EN" };
        skippedRecurring = 0;
        foreach (Model.CalendarEvent source in events)
        {
            if (source.IsSeriesMaster || source.IsSeriesException)
            {
                skippedRecurring++;
                continue;
            }

            calendar.Events.Add(ToIcs(source));
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
    }

    /// <summary>Reads the VEVENTs of an iCalendar text.</summary>
    /// <exception cref="FormatException">The text is not iCalendar, or an event cannot be read.</exception>
    public static IReadOnlyList<Model.CalendarEvent> Read(string text, out int skippedRecurring)
    {
        ICal.Calendar? calendar;
        try
        {
            calendar = ICal.Calendar.Load(text);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new FormatException($"This is not an iCalendar file: {error.Message}", error);
        }

        if (calendar is null)
        {
            throw new FormatException("This is not an iCalendar file: it has no VCALENDAR.");
        }

        skippedRecurring = 0;
        var events = new List<Model.CalendarEvent>();
        foreach (ICal.CalendarComponents.CalendarEvent source in calendar.Events)
        {
            if (source.Properties.Any(p => p.Name is "RRULE" or "RDATE" or "RECURRENCE-ID"))
            {
                skippedRecurring++;
                continue;
            }

            events.Add(FromIcs(source));
        }

        return events;
    }

    private static ICal.CalendarComponents.CalendarEvent ToIcs(Model.CalendarEvent source)
    {
        var target = new ICal.CalendarComponents.CalendarEvent
        {
            Uid = source.ICalUId ?? source.Id ?? Guid.NewGuid().ToString(),
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

        if (source.Body is { Content.Length: > 0 } body)
        {
            target.Description = body.Content;
            if (body.ContentType == BodyContentType.Html)
            {
                var html = new ICal.CalendarProperty(HtmlDescription, body.Content);
                html.Parameters.Add("FMTTYPE", "text/html");
                target.Properties.Add(html);
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

    private static Model.CalendarEvent FromIcs(ICal.CalendarComponents.CalendarEvent source)
    {
        string subject = source.Summary ?? string.Empty;
        if (source.DtStart is null)
        {
            throw new FormatException($"The event '{subject}' has no start (DTSTART).");
        }

        EventTiming timing;
        try
        {
            timing = ReadTiming(source.DtStart, source.DtEnd, source.Duration);
        }
        catch (ArgumentException error)
        {
            throw new FormatException($"The event '{subject}' has times that cannot be read: {error.Message}", error);
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

    private static EventTiming ReadTiming(CalDateTime start, CalDateTime? end, ICal.DataTypes.Duration? duration)
    {
        if (!start.HasTime)
        {
            LocalDate first = FromDateOnly(start.Date);
            LocalDate last = end is not null ? FromDateOnly(end.Date)
                : duration is { } d ? first.PlusDays(Math.Max(1, d.Days ?? 0 + ((d.Weeks ?? 0) * 7)))
                : first.PlusDays(1);
            return EventTiming.AllDay(first, last <= first ? first.PlusDays(1) : last);
        }

        ZonedDateTime zonedStart = ToZoned(start);
        ZonedDateTime zonedEnd = end is not null ? ToZoned(end)
            : duration is { } length ? zonedStart.Plus(NodaTime.Duration.FromTimeSpan(length.ToTimeSpanUnspecified()))
            : zonedStart;
        return EventTiming.Timed(zonedStart, zonedEnd.ToInstant() < zonedStart.ToInstant() ? zonedStart : zonedEnd);
    }

    private static ZonedDateTime ToZoned(CalDateTime value)
    {
        var local = new LocalDateTime(value.Year, value.Month, value.Day, value.Hour, value.Minute, value.Second);
        string zone = value.IsUtc || value.IsFloating || string.IsNullOrEmpty(value.TzId) ? "UTC" : value.TzId;
        return EventTiming.Timed(local, local, zone).Start;
    }

    private static CalDateTime ToCalDateTime(ZonedDateTime value)
    {
        LocalDateTime local = value.LocalDateTime;
        return new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, value.Zone.Id == "UTC" ? "UTC" : value.Zone.Id);
    }

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
