using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>Builds, validates and renders event JSON the way Graph does.</summary>
internal static partial class EventDocument
{
    private const string NoTime = "0001-01-01T00:00:00Z";

    /// <summary>The order properties are written in, as Graph writes them.</summary>
    private static readonly string[] PropertyOrder =
    [
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "transactionId",
        "originalStartTimeZone", "originalEndTimeZone", "originalStart", "iCalUId", "uid", "reminderMinutesBeforeStart", "isReminderOn",
        "hasAttachments", "subject", "bodyPreview", "importance", "sensitivity", "isAllDay", "isCancelled",
        "isOrganizer", "responseRequested", "seriesMasterId", "showAs", "type", "webLink", "onlineMeetingUrl",
        "isOnlineMeeting", "onlineMeetingProvider", "allowNewTimeProposals", "occurrenceId", "isDraft",
        "hideAttendees", "responseStatus", "body", "start", "end", "location", "locations", "recurrence",
        "attendees", "organizer", "onlineMeeting",
    ];

    /// <summary>Properties a client may write.</summary>
    private static readonly HashSet<string> Writable = new(StringComparer.Ordinal)
    {
        "subject", "body", "start", "end", "location", "locations", "attendees", "categories", "importance",
        "sensitivity", "showAs", "isAllDay", "isReminderOn", "reminderMinutesBeforeStart", "responseRequested",
        "allowNewTimeProposals", "hideAttendees", "isOnlineMeeting", "onlineMeetingProvider",
        "isDraft", "transactionId", "singleValueExtendedProperties", "recurrence",
    };

    /// <summary>Properties Graph computes: ignored on API writes; the seeding API may set those in <see cref="SeedOnly"/>.</summary>
    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "id", "changeKey", "createdDateTime", "lastModifiedDateTime", "iCalUId", "uid", "isOrganizer", "organizer",
        "responseStatus", "seriesMasterId", "type", "webLink", "onlineMeetingUrl", "isCancelled", "occurrenceId",
        "originalStart", "originalStartTimeZone", "originalEndTimeZone", "hasAttachments", "bodyPreview",
        "onlineMeeting",
    };

    private static readonly HashSet<string> SeedOnly = new(StringComparer.Ordinal)
    {
        "isOrganizer", "organizer", "responseStatus", "isCancelled", "iCalUId", "onlineMeeting",
    };

    /// <summary>
    /// Where a seeded <c>originalStartTimeZone</c> / <c>originalEndTimeZone</c> is kept (never rendered): the zone an Outlook client
    /// created the event in, such as <c>tzone://Microsoft/Custom</c> or <c>Customized Time Zone</c>, which no API client can
    /// write. A write of the start or end replaces it with the written zone, as in Graph.
    /// </summary>
    private static readonly Dictionary<string, string> SeededOriginalZones = new(StringComparer.Ordinal)
    {
        ["originalStartTimeZone"] = "@seededOriginalStartTimeZone",
        ["originalEndTimeZone"] = "@seededOriginalEndTimeZone",
    };

    private static readonly Dictionary<string, string[]> EnumValues = new(StringComparer.Ordinal)
    {
        ["showAs"] = ["unknown", "free", "tentative", "busy", "oof", "workingElsewhere"],
        ["sensitivity"] = ["normal", "personal", "private", "confidential"],
        ["importance"] = ["low", "normal", "high"],
    };

    private static readonly string[] AttendeeTypes = ["required", "optional", "resource"];

    public static JsonObject ParseObject(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw GraphErrorException.BadRequest("BadRequest", "Empty Payload, JSON content expected.");
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject
                ?? throw GraphErrorException.BadRequest("BadRequest", "The request body must be a JSON object.");
        }
        catch (JsonException exception)
        {
            throw GraphErrorException.BadRequest("BadRequest", "Unable to read JSON request payload. " + exception.Message);
        }
    }

    /// <summary>Builds a new event from a POST body (or a seeded body).</summary>
    public static StoredEvent Create(JsonObject input, MailboxState mailbox, Instant now, bool seeding)
    {
        var data = new JsonObject
        {
            ["id"] = NewId(),
            ["createdDateTime"] = GraphTime.FormatInstant(now),
            ["lastModifiedDateTime"] = GraphTime.FormatInstant(now),
            ["changeKey"] = NewChangeKey(),
            ["categories"] = new JsonArray(),
            ["transactionId"] = null,
            ["iCalUId"] = "040000008200E00074C5B7101A82E00800000000" + Guid.NewGuid().ToString("N").ToUpperInvariant(),
            ["reminderMinutesBeforeStart"] = 15,
            ["isReminderOn"] = true,
            ["hasAttachments"] = false,
            ["subject"] = string.Empty,
            ["importance"] = "normal",
            ["sensitivity"] = "normal",
            ["isAllDay"] = false,
            ["isCancelled"] = false,
            ["isOrganizer"] = true,
            ["responseRequested"] = true,
            ["seriesMasterId"] = null,
            ["showAs"] = "busy",
            ["type"] = Series.SingleInstance,
            ["onlineMeetingUrl"] = null,
            ["isOnlineMeeting"] = false,
            ["onlineMeetingProvider"] = "unknown",
            ["allowNewTimeProposals"] = true,
            ["isDraft"] = false,
            ["hideAttendees"] = false,
            ["responseStatus"] = new JsonObject { ["response"] = "organizer", ["time"] = NoTime },
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = string.Empty },
            ["location"] = EmptyLocation(),
            ["locations"] = new JsonArray(),
            ["recurrence"] = null,
            ["attendees"] = new JsonArray(),
            ["organizer"] = new JsonObject
            {
                ["emailAddress"] = new JsonObject { ["name"] = mailbox.Name, ["address"] = mailbox.Address },
            },
            ["onlineMeeting"] = null,
            ["singleValueExtendedProperties"] = new JsonArray(),
        };
        if (!input.ContainsKey("start") || !input.ContainsKey("end"))
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "An event needs both start and end.");
        }

        if (seeding && input["id"] is JsonValue seededId && seededId.TryGetValue<string>(out var id) && !string.IsNullOrEmpty(id))
        {
            data["id"] = id;
        }

        data["webLink"] = WebLink((string)data["id"]!);
        Apply(data, input, creating: true, seeding);
        return Complete(data, mailbox, deleted: []);
    }

    /// <summary>
    /// Applies a PATCH body to a copy of an event. A series master keeps its deleted occurrences; whether a change of its
    /// pattern or time restores them is the caller's decision.
    /// </summary>
    public static StoredEvent Patch(StoredEvent existing, JsonObject input, MailboxState mailbox, Instant now, bool seeding)
    {
        var data = (JsonObject)existing.Data.DeepClone();
        Apply(data, input, creating: false, seeding);
        data["changeKey"] = NewChangeKey();
        data["lastModifiedDateTime"] = GraphTime.FormatInstant(now);
        return Complete(data, mailbox, existing.Rule?.DeletedOccurrences ?? []);
    }

    /// <summary>
    /// Gives an event a new change key, as every write does; a series master may get a new rule at the same time (an occurrence
    /// deleted, or deleted occurrences restored).
    /// </summary>
    public static StoredEvent Touch(StoredEvent existing, Instant now, Recurrence? rule = null)
    {
        var data = (JsonObject)existing.Data.DeepClone();
        data["changeKey"] = NewChangeKey();
        data["lastModifiedDateTime"] = GraphTime.FormatInstant(now);
        return new StoredEvent(data, existing.Start, existing.End, rule ?? existing.Rule);
    }

    /// <summary>Gives a copy of an event another type, before it is patched: an occurrence becoming an exception.</summary>
    public static StoredEvent WithType(StoredEvent existing, string type)
    {
        var data = (JsonObject)existing.Data.DeepClone();
        data["type"] = type;
        return new StoredEvent(data, existing.Start, existing.End, existing.Rule);
    }

    public static string WebLink(string id) =>
        "https://outlook.office365.com/owa/?itemid=" + Uri.EscapeDataString(id) + "&exvsurl=1&path=/calendar/item";

    /// <summary>Renders an event as Graph returns it.</summary>
    public static JsonObject Render(StoredEvent stored, RenderOptions options)
    {
        var result = new JsonObject { ["@odata.etag"] = stored.ETag };
        foreach (var key in PropertyOrder)
        {
            if (!stored.Data.TryGetPropertyValue(key, out var value))
            {
                continue;
            }

            switch (key)
            {
                case "transactionId" when value is null:
                    break;
                case "start":
                    result[key] = RenderTime(stored, stored.Start, (JsonObject)value!, options);
                    break;
                case "end":
                    result[key] = RenderTime(stored, stored.End, (JsonObject)value!, options);
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }

        if (options.ExtendedProperties is { } selection && stored.Data["singleValueExtendedProperties"] is JsonArray properties)
        {
            var selected = new JsonArray();
            foreach (var property in properties.OfType<JsonObject>())
            {
                if (selection.Includes((string?)property["id"]))
                {
                    selected.Add(property.DeepClone());
                }
            }

            if (selected.Count > 0)
            {
                result["singleValueExtendedProperties"] = selected;
            }
        }

        return result;
    }

    /// <summary>An occurrence as calendar-view delta sends it: only what identifies it and its span; read the rest from the master.</summary>
    public static JsonObject RenderStripped(StoredEvent occurrence, RenderOptions options) => new()
    {
        ["@odata.type"] = "#microsoft.graph.event",
        ["@odata.etag"] = occurrence.ETag,
        ["id"] = occurrence.Id,
        ["type"] = occurrence.Type,
        ["seriesMasterId"] = occurrence.SeriesMasterId,
        ["start"] = RenderTime(occurrence, occurrence.Start, (JsonObject)occurrence.Data["start"]!, options),
        ["end"] = RenderTime(occurrence, occurrence.End, (JsonObject)occurrence.Data["end"]!, options),
    };

    /// <summary>The email addresses of the attendees, lower case, with their type.</summary>
    public static Dictionary<string, string> Attendees(StoredEvent stored)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (stored.Data["attendees"] is JsonArray attendees)
        {
            foreach (var attendee in attendees.OfType<JsonObject>())
            {
                var address = (string?)attendee["emailAddress"]?["address"];
                if (!string.IsNullOrEmpty(address))
                {
                    result[address] = (string?)attendee["type"] ?? "required";
                }
            }
        }

        return result;
    }

    public static string NewChangeKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    private static string NewId() => "AAMkAGVtdWxhdG9yAGQ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '-').Replace('+', '_');

    private static JsonObject EmptyLocation() => new()
    {
        ["displayName"] = string.Empty,
        ["locationType"] = "default",
        ["uniqueIdType"] = "unknown",
        ["address"] = new JsonObject(),
        ["coordinates"] = new JsonObject(),
    };

    private static JsonObject RenderTime(StoredEvent stored, Instant instant, JsonObject written, RenderOptions options)
    {
        if (stored.IsAllDay)
        {
            return (JsonObject)written.DeepClone();
        }

        return new JsonObject
        {
            ["dateTime"] = GraphTime.FormatLocal(instant.InZone(options.Zone).LocalDateTime),
            ["timeZone"] = options.ZoneLabel,
        };
    }

    private static void Apply(JsonObject data, JsonObject input, bool creating, bool seeding)
    {
        foreach (var (key, value) in input)
        {
            if (key.StartsWith('@') || key.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (ReadOnly.Contains(key))
            {
                if (seeding && SeedOnly.Contains(key))
                {
                    data[key] = value?.DeepClone();
                }
                else if (seeding && SeededOriginalZones.TryGetValue(key, out var kept))
                {
                    data[kept] = value?.DeepClone();
                }

                continue;
            }

            if (!Writable.Contains(key))
            {
                throw GraphErrorException.BadRequest("RequestBodyRead", $"The property '{key}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.");
            }

            switch (key)
            {
                case "recurrence":
                    // Validated by Complete, which knows the start's time zone (the default recurrence time zone).
                    data[key] = value?.DeepClone();
                    break;
                case "transactionId":
                    if (creating)
                    {
                        data[key] = value?.DeepClone();
                    }

                    break;
                case "singleValueExtendedProperties":
                    MergeExtendedProperties(data, value);
                    break;
                case "attendees":
                    data[key] = NormalizeAttendees(value);
                    break;
                case "body":
                    data[key] = NormalizeBody(value);
                    break;
                case "location":
                    data[key] = NormalizeLocation(value);
                    break;
                case "start" or "end":
                    if (value is not JsonObject)
                    {
                        throw GraphErrorException.BadRequest("ErrorInvalidRequest", $"'{key}' must be an object with dateTime and timeZone.");
                    }

                    data[key] = value.DeepClone();
                    if (!input.ContainsKey(key == "start" ? "originalStartTimeZone" : "originalEndTimeZone"))
                    {
                        data.Remove(SeededOriginalZones[key == "start" ? "originalStartTimeZone" : "originalEndTimeZone"]);
                    }

                    break;
                default:
                    if (EnumValues.TryGetValue(key, out var allowed) && !allowed.Contains((string?)value))
                    {
                        throw GraphErrorException.BadRequest("RequestBodyRead", $"Requested value '{value?.ToJsonString()}' was not found for property '{key}'.");
                    }

                    data[key] = value?.DeepClone();
                    break;
            }
        }
    }

    private static StoredEvent Complete(JsonObject data, MailboxState mailbox, IReadOnlyList<LocalDate> deleted)
    {
        var isAllDay = data["isAllDay"]?.GetValue<bool>() ?? false;
        var (startLocal, startZone, startZoneName) = ReadTime(data, "start");
        var (endLocal, endZone, endZoneName) = ReadTime(data, "end");
        if (isAllDay && (startLocal.TimeOfDay != LocalTime.Midnight || endLocal.TimeOfDay != LocalTime.Midnight || startZoneName != endZoneName))
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "Your request can't be completed. If the event is an all-day event, the start and end times must be set to midnight and be in the same time zone.");
        }

        var start = GraphTime.ToInstant(startLocal, startZone);
        var end = GraphTime.ToInstant(endLocal, endZone);
        if (end < start)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "The end of an event must not be before its start.");
        }

        data["start"] = new JsonObject { ["dateTime"] = GraphTime.FormatLocal(startLocal), ["timeZone"] = startZoneName };
        data["end"] = new JsonObject { ["dateTime"] = GraphTime.FormatLocal(endLocal), ["timeZone"] = endZoneName };
        data["originalStartTimeZone"] = (string?)data[SeededOriginalZones["originalStartTimeZone"]] ?? startZoneName;
        data["originalEndTimeZone"] = (string?)data[SeededOriginalZones["originalEndTimeZone"]] ?? endZoneName;
        data["bodyPreview"] = Preview((string?)data["body"]?["content"]);
        if (data["organizer"] is null)
        {
            data["organizer"] = new JsonObject
            {
                ["emailAddress"] = new JsonObject { ["name"] = mailbox.Name, ["address"] = mailbox.Address },
            };
        }

        if (data["recurrence"] is null)
        {
            if ((string?)data["type"] == Series.SeriesMaster)
            {
                // "recurrence": null turns a series back into one event, at the time of its first occurrence.
                data["type"] = Series.SingleInstance;
            }

            return new StoredEvent(data, start, end);
        }

        if ((string?)data["type"] is Series.Occurrence or Series.Exception)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "An occurrence or exception of a series cannot have a recurrence of its own: change the recurrence of the series master.");
        }

        var (recurrence, rule) = GraphRecurrence.Parse(data["recurrence"], startZoneName);
        if (isAllDay && endLocal.Date <= startLocal.Date)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "An all-day series needs occurrences of at least one day: set end to a later midnight than start.");
        }

        data["recurrence"] = recurrence;
        data["type"] = Series.SeriesMaster;

        // The master stands for the first occurrence: a start off the pattern moves to the first date the pattern gives.
        var first = Series.Occurrences(new StoredEvent(data, start, end, rule), null, null).Select(o => (OccurrenceSlot?)o).FirstOrDefault()
            ?? throw GraphErrorException.BadRequest("ErrorPropertyValidationFailure", "The recurrence has no occurrence between its start date and its end: widen the range or change the pattern.");
        if (first.Start != start || first.End != end)
        {
            data["start"] = new JsonObject { ["dateTime"] = GraphTime.FormatLocal(first.StartLocal), ["timeZone"] = startZoneName };
            data["end"] = new JsonObject { ["dateTime"] = GraphTime.FormatLocal(first.EndLocal), ["timeZone"] = endZoneName };
        }

        return new StoredEvent(data, first.Start, first.End, deleted.Count > 0 ? GraphRecurrence.WithDeleted(rule, deleted) : rule);
    }

    private static (LocalDateTime Local, DateTimeZone Zone, string ZoneName) ReadTime(JsonObject data, string key)
    {
        var node = data[key] as JsonObject;
        var zoneName = (string?)node?["timeZone"];
        var zone = GraphTime.FindZone(zoneName)
            ?? throw GraphErrorException.BadRequest("TimeZoneNotSupportedException", $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zoneName}'.");
        var local = GraphTime.ParseLocal((string?)node?["dateTime"], zone)
            ?? throw GraphErrorException.BadRequest("ErrorInvalidRequest", $"'{key}.dateTime' must be a date and time such as 2024-05-01T09:00:00.0000000.");
        return (local, zone, zoneName!);
    }

    private static JsonArray NormalizeAttendees(JsonNode? value)
    {
        var result = new JsonArray();
        if (value is null)
        {
            return result;
        }

        if (value is not JsonArray attendees)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "'attendees' must be an array.");
        }

        foreach (var item in attendees)
        {
            if (item is not JsonObject attendee || attendee["emailAddress"] is not JsonObject email || string.IsNullOrWhiteSpace((string?)email["address"]))
            {
                throw GraphErrorException.BadRequest("ErrorInvalidRecipients", "At least one recipient isn't valid: every attendee needs emailAddress.address.");
            }

            var type = (string?)attendee["type"] ?? "required";
            if (!AttendeeTypes.Contains(type))
            {
                throw GraphErrorException.BadRequest("RequestBodyRead", $"Requested value '{type}' was not found for property 'type'.");
            }

            var status = attendee["status"] as JsonObject;
            result.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = new JsonObject
                {
                    ["response"] = (string?)status?["response"] ?? "none",
                    ["time"] = (string?)status?["time"] ?? NoTime,
                },
                ["emailAddress"] = new JsonObject
                {
                    ["name"] = (string?)email["name"] ?? (string?)email["address"],
                    ["address"] = (string?)email["address"],
                },
            });
        }

        return result;
    }

    private static JsonObject NormalizeBody(JsonNode? value)
    {
        var body = value as JsonObject;
        var contentType = (string?)body?["contentType"] ?? "text";
        if (contentType is not ("text" or "html"))
        {
            throw GraphErrorException.BadRequest("RequestBodyRead", $"Requested value '{contentType}' was not found for property 'contentType'.");
        }

        return new JsonObject { ["contentType"] = contentType, ["content"] = (string?)body?["content"] ?? string.Empty };
    }

    private static JsonObject NormalizeLocation(JsonNode? value)
    {
        var location = EmptyLocation();
        if (value is JsonObject given)
        {
            foreach (var (key, item) in given)
            {
                if (!key.StartsWith('@'))
                {
                    location[key] = item?.DeepClone();
                }
            }

            location["displayName"] ??= string.Empty;
        }

        return location;
    }

    private static void MergeExtendedProperties(JsonObject data, JsonNode? value)
    {
        if (value is not JsonArray given)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "'singleValueExtendedProperties' must be an array of {id, value}.");
        }

        var existing = (JsonArray)data["singleValueExtendedProperties"]!;
        foreach (var item in given)
        {
            var id = (string?)item?["id"];
            if (string.IsNullOrWhiteSpace(id))
            {
                throw GraphErrorException.BadRequest("ErrorInvalidExtendedPropertyValue", "Every single-value extended property needs an id.");
            }

            var previous = existing.OfType<JsonObject>().FirstOrDefault(p => string.Equals((string?)p["id"], id, StringComparison.OrdinalIgnoreCase));
            if (previous is not null)
            {
                existing.Remove(previous);
            }

            existing.Add(new JsonObject { ["id"] = id, ["value"] = (string?)item!["value"] });
        }
    }

    private static string Preview(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return string.Empty;
        }

        var text = WhiteSpace().Replace(Tags().Replace(content, " "), " ").Trim();
        return text.Length <= 255 ? text : text[..255];
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\s+")]
    private static partial Regex WhiteSpace();
}
