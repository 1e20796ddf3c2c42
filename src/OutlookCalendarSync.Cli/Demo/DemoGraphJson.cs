using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>
/// An event as the JSON Outlook keeps (Graph's <c>event</c> resource), for the mailbox owner's own edits in the emulator; only the
/// fields the demo uses.
/// </summary>
internal static class DemoGraphJson
{
    private static readonly LocalDateTimePattern GraphLocal = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.0000000'");

    public static string Write(CalendarEvent source, EventFields fields)
    {
        var json = new JsonObject();
        if (fields.HasFlag(EventFields.Subject))
        {
            json["subject"] = source.Subject ?? string.Empty;
        }

        if (fields.HasFlag(EventFields.Body))
        {
            json["body"] = new JsonObject
            {
                ["contentType"] = source.Body?.ContentType == BodyContentType.Html ? "html" : "text",
                ["content"] = source.Body?.Content ?? string.Empty,
            };
        }

        if (fields.HasFlag(EventFields.Timing))
        {
            EventTiming timing = source.Timing;
            json["isAllDay"] = timing.IsAllDay;
            json["start"] = timing.IsAllDay ? Time(timing.StartDate.AtMidnight(), "UTC") : Time(timing.Start.LocalDateTime, ZoneName(timing.Start.Zone));
            json["end"] = timing.IsAllDay ? Time(timing.EndDate.AtMidnight(), "UTC") : Time(timing.End.LocalDateTime, ZoneName(timing.End.Zone));
        }

        if (fields.HasFlag(EventFields.Location))
        {
            json["location"] = new JsonObject { ["displayName"] = source.Location ?? string.Empty };
        }

        if (fields.HasFlag(EventFields.Attendees))
        {
            json["attendees"] = new JsonArray(source.Attendees.Select(a => (JsonNode)new JsonObject
            {
                ["type"] = a.Type switch { AttendeeType.Optional => "optional", AttendeeType.Resource => "resource", _ => "required" },
                ["status"] = new JsonObject { ["response"] = Response(a.Response) },
                ["emailAddress"] = new JsonObject { ["address"] = a.Email.Address, ["name"] = a.Email.Name },
            }).ToArray());
        }

        if (fields.HasFlag(EventFields.Organizer) && source.Organizer is { } organizer)
        {
            json["isOrganizer"] = false;
            json["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = organizer.Address, ["name"] = organizer.Name } };
        }

        if (fields.HasFlag(EventFields.ShowAs))
        {
            json["showAs"] = source.ShowAs switch
            {
                ShowAs.Free => "free",
                ShowAs.Tentative => "tentative",
                ShowAs.OutOfOffice => "oof",
                ShowAs.WorkingElsewhere => "workingElsewhere",
                ShowAs.Unknown => "unknown",
                _ => "busy",
            };
        }

        if (fields.HasFlag(EventFields.Sensitivity))
        {
            json["sensitivity"] = source.Sensitivity.ToString().ToLowerInvariant();
        }

        if (fields.HasFlag(EventFields.Reminder))
        {
            json["isReminderOn"] = source.ReminderMinutesBeforeStart is not null;
            json["reminderMinutesBeforeStart"] = source.ReminderMinutesBeforeStart ?? 0;
        }

        if (fields.HasFlag(EventFields.Categories))
        {
            json["categories"] = new JsonArray(source.Categories.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
        }

        return json.ToJsonString();
    }

    private static JsonObject Time(LocalDateTime local, string zone) => new() { ["dateTime"] = GraphLocal.Format(local), ["timeZone"] = zone };

    private static string ZoneName(DateTimeZone zone)
        => TzdbDateTimeZoneSource.Default.TzdbToWindowsIds.TryGetValue(zone.Id, out string? windows) ? windows : zone.Id;

    private static string Response(ResponseStatus response) => response switch
    {
        ResponseStatus.Organizer => "organizer",
        ResponseStatus.Accepted => "accepted",
        ResponseStatus.Declined => "declined",
        ResponseStatus.TentativelyAccepted => "tentativelyAccepted",
        ResponseStatus.NotResponded => "notResponded",
        _ => "none",
    };
}
