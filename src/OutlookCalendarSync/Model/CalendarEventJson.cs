using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Model;

/// <summary>
/// The JSON document a <see cref="CalendarEvent"/> is stored as. Written by hand so the format is explicit and stable, and every
/// NodaTime value round-trips exactly: instants as extended ISO strings (nanoseconds kept), zoned times as the local date-time with
/// its offset plus the zone id, all-day dates and recurrence dates as ISO dates, enums by name.
/// </summary>
/// <remarks>
/// Readers ignore unknown properties and treat missing ones as their defaults, so a later version can add fields. The engine stores
/// its link payloads in this format; a host may use it to keep events as JSON (the SQLite calendar store does).
/// </remarks>
/// <threadsafety>Stateless; safe to call from any number of threads.</threadsafety>
public static class CalendarEventJson
{
    private static readonly InstantPattern InstantFormat = InstantPattern.ExtendedIso;
    private static readonly OffsetDateTimePattern OffsetDateTimeFormat = OffsetDateTimePattern.ExtendedIso;
    private static readonly LocalDatePattern DateFormat = LocalDatePattern.Iso;

    /// <summary>Writes an event as a JSON document.</summary>
    /// <param name="calendarEvent">The event.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(CalendarEvent calendarEvent)
    {
        ArgumentNullException.ThrowIfNull(calendarEvent);
        return JsonText.Write(calendarEvent, Write);
    }

    /// <summary>Reads an event written by <see cref="Serialize(CalendarEvent)"/> (by this or an earlier version).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The text is not such a document.</exception>
    public static CalendarEvent Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        try
        {
            return Read(document.RootElement);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or NodaTime.Text.UnparsableValueException)
        {
            throw new JsonException($"The JSON document is not a calendar event written by {nameof(CalendarEventJson)}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes an event's document (the one <see cref="Serialize(CalendarEvent)"/> returns) to <paramref name="writer"/> as one JSON
    /// value: for a store that keeps documents as UTF-8, with no string in between.
    /// </summary>
    /// <param name="calendarEvent">The event.</param>
    /// <param name="writer">Where to write; not flushed.</param>
    public static void Serialize(CalendarEvent calendarEvent, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(calendarEvent);
        ArgumentNullException.ThrowIfNull(writer);
        Write(writer, calendarEvent);
    }

    internal static void Write(Utf8JsonWriter writer, CalendarEvent e)
    {
        writer.WriteStartObject();
        foreach (EventField field in CalendarEvent.Fields)
        {
            field.WriteJson(writer, e);
        }

        writer.WriteEndObject();
    }

    internal static CalendarEvent Read(JsonElement json)
    {
        CalendarEvent e = CalendarEvent.ForReading();
        foreach (EventField field in CalendarEvent.Fields)
        {
            field.ReadJson(json, e);
        }

        return e;
    }

    // The JSON form of each kind of value, for the entries of CalendarEvent.Fields: a writer leaves out a default value, a reader
    // takes a missing property for the default.
    internal static void WriteString(Utf8JsonWriter writer, string name, string? value) => WriteIfNotNull(writer, name, value);

    internal static string? ReadString(JsonElement json, string name) => OptionalString(json, name);

    internal static void WriteInstant(Utf8JsonWriter writer, string name, Instant? value) => WriteIfNotNull(writer, name, value);

    internal static Instant? ReadInstant(JsonElement json, string name) => OptionalInstant(json, name);

    internal static void WriteEnum<T>(Utf8JsonWriter writer, string name, T value)
        where T : struct, Enum
        => writer.WriteString(name, EnumName<T>.Of(value));

    internal static void WriteEnum<T>(Utf8JsonWriter writer, string name, T value, T omitted)
        where T : struct, Enum
    {
        if (!EqualityComparer<T>.Default.Equals(value, omitted))
        {
            writer.WriteString(name, EnumName<T>.Of(value));
        }
    }

    internal static T ReadEnum<T>(JsonElement json, string name, T missing)
        where T : struct, Enum
        => ParseEnum<T>(json, name) ?? missing;

    internal static void WriteBody(Utf8JsonWriter writer, EventBody? body)
    {
        if (body is not null)
        {
            writer.WriteStartObject("body");
            writer.WriteString("content", body.Content);
            writer.WriteString("contentType", EnumName<BodyContentType>.Of(body.ContentType));
            writer.WriteEndObject();
        }
    }

    internal static EventBody? ReadBody(JsonElement json)
        => json.TryGetProperty("body", out JsonElement body)
            ? new EventBody(body.GetProperty("content").GetString()!, ParseEnum<BodyContentType>(body, "contentType") ?? BodyContentType.Text)
            : null;

    internal static EventTiming ReadTiming(JsonElement json) => ReadTimingObject(json.GetProperty("timing"));

    internal static void WriteUrl(Utf8JsonWriter writer, Uri? url) => WriteIfNotNull(writer, "onlineMeetingUrl", url?.OriginalString);

    internal static Uri? ReadUrl(JsonElement json)
        => OptionalString(json, "onlineMeetingUrl") is { } url ? new Uri(url, UriKind.RelativeOrAbsolute) : null;

    internal static void WriteAttendees(Utf8JsonWriter writer, IReadOnlyList<Attendee> attendees)
    {
        if (attendees.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("attendees");
        foreach (Attendee attendee in attendees)
        {
            writer.WriteStartObject();
            writer.WriteString("address", attendee.Email.Address);
            WriteIfNotNull(writer, "name", attendee.Email.Name);
            writer.WriteString("type", EnumName<AttendeeType>.Of(attendee.Type));
            writer.WriteString("response", EnumName<ResponseStatus>.Of(attendee.Response));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    internal static IReadOnlyList<Attendee> ReadAttendees(JsonElement json)
        => json.TryGetProperty("attendees", out JsonElement attendees)
            ? attendees.EnumerateArray().Select(a => new Attendee(
                new EmailAddress(a.GetProperty("address").GetString()!, OptionalString(a, "name")),
                ParseEnum<AttendeeType>(a, "type") ?? AttendeeType.Required,
                ParseEnum<ResponseStatus>(a, "response") ?? ResponseStatus.None)).ToArray()
            : [];

    internal static void WriteOrganizer(Utf8JsonWriter writer, EmailAddress? organizer)
    {
        if (organizer is not null)
        {
            writer.WriteStartObject("organizer");
            writer.WriteString("address", organizer.Address);
            WriteIfNotNull(writer, "name", organizer.Name);
            writer.WriteEndObject();
        }
    }

    internal static EmailAddress? ReadOrganizer(JsonElement json)
        => json.TryGetProperty("organizer", out JsonElement organizer)
            ? new EmailAddress(organizer.GetProperty("address").GetString()!, OptionalString(organizer, "name"))
            : null;

    internal static void WriteReminder(Utf8JsonWriter writer, int? minutes)
    {
        if (minutes is { } reminder)
        {
            writer.WriteNumber("reminderMinutesBeforeStart", reminder);
        }
    }

    internal static int? ReadReminder(JsonElement json)
        => json.TryGetProperty("reminderMinutesBeforeStart", out JsonElement reminder) ? reminder.GetInt32() : null;

    internal static void WriteCategories(Utf8JsonWriter writer, IReadOnlyList<string> categories)
    {
        if (categories.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("categories");
        foreach (string category in categories)
        {
            writer.WriteStringValue(category);
        }

        writer.WriteEndArray();
    }

    internal static IReadOnlyList<string> ReadCategories(JsonElement json)
        => json.TryGetProperty("categories", out JsonElement categories)
            ? categories.EnumerateArray().Select(c => c.GetString()!).ToArray()
            : [];

    internal static void WriteRecurrence(Utf8JsonWriter writer, Recurrence? recurrence)
    {
        if (recurrence is not null)
        {
            WriteRecurrenceObject(writer, recurrence);
        }
    }

    internal static Recurrence? ReadRecurrence(JsonElement json)
        => json.TryGetProperty("recurrence", out JsonElement recurrence) ? ReadRecurrenceObject(recurrence) : null;

    internal static void WriteCancelled(Utf8JsonWriter writer, bool isCancelled)
    {
        if (isCancelled)
        {
            writer.WriteBoolean("isCancelled", true);
        }
    }

    internal static bool ReadCancelled(JsonElement json) => json.TryGetProperty("isCancelled", out JsonElement cancelled) && cancelled.GetBoolean();

    internal static string FormatInstant(Instant instant) => InstantFormat.Format(instant);

    internal static Instant ParseInstant(string text) => InstantFormat.Parse(text).Value;

    internal static void WriteTiming(Utf8JsonWriter writer, EventTiming timing)
    {
        writer.WriteStartObject("timing");
        if (timing.IsAllDay)
        {
            writer.WriteBoolean("allDay", true);
            IsoText.WriteDate(writer, "startDate", timing.StartDate);
            IsoText.WriteDate(writer, "endDate", timing.EndDate);
        }
        else
        {
            WriteZoned(writer, "start", timing.Start);
            WriteZoned(writer, "end", timing.End);
        }

        writer.WriteEndObject();
    }

    private static void WriteZoned(Utf8JsonWriter writer, string name, ZonedDateTime value)
    {
        writer.WriteStartObject(name);
        IsoText.WriteOffsetDateTime(writer, "dateTime", value.ToOffsetDateTime());
        writer.WriteString("timeZone", value.Zone.Id);
        writer.WriteEndObject();
    }

    private static EventTiming ReadTimingObject(JsonElement json)
    {
        if (json.TryGetProperty("allDay", out JsonElement allDay) && allDay.GetBoolean())
        {
            return EventTiming.AllDay(ParseDate(json, "startDate"), ParseDate(json, "endDate"));
        }

        return EventTiming.Timed(ReadZoned(json.GetProperty("start")), ReadZoned(json.GetProperty("end")));
    }

    private static ZonedDateTime ReadZoned(JsonElement json)
    {
        // The offset pins the instant, so an ambiguous local time (the hour repeated when clocks go back) reads back unchanged.
        OffsetDateTime dateTime = OffsetDateTimeFormat.Parse(json.GetProperty("dateTime").GetString()!).Value;
        string zoneId = json.GetProperty("timeZone").GetString()!;
        DateTimeZone zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
            ?? throw new FormatException($"The stored event names the time zone '{zoneId}', which this machine's time zone database does not know: update NodaTime.");
        return dateTime.ToInstant().InZone(zone);
    }

    private static void WriteRecurrenceObject(Utf8JsonWriter writer, Recurrence recurrence)
    {
        writer.WriteStartObject("recurrence");
        writer.WriteString("frequency", EnumName<RecurrenceFrequency>.Of(recurrence.Frequency));
        IsoText.WriteDate(writer, "startDate", recurrence.StartDate);
        writer.WriteString("timeZone", recurrence.TimeZoneId);
        writer.WriteNumber("interval", recurrence.Interval);
        writer.WriteStartArray("daysOfWeek");
        foreach (IsoDayOfWeek day in recurrence.DaysOfWeek)
        {
            writer.WriteStringValue(EnumName<IsoDayOfWeek>.Of(day));
        }

        writer.WriteEndArray();
        if (recurrence.DayOfMonth is { } dayOfMonth)
        {
            writer.WriteNumber("dayOfMonth", dayOfMonth);
        }

        if (recurrence.Month is { } month)
        {
            writer.WriteNumber("month", month);
        }

        if (recurrence.Index is { } index)
        {
            writer.WriteString("index", EnumName<WeekIndex>.Of(index));
        }

        writer.WriteString("firstDayOfWeek", EnumName<IsoDayOfWeek>.Of(recurrence.FirstDayOfWeek));
        if (recurrence.EndDate is { } endDate)
        {
            IsoText.WriteDate(writer, "endDate", endDate);
        }

        if (recurrence.NumberOfOccurrences is { } count)
        {
            writer.WriteNumber("numberOfOccurrences", count);
        }

        writer.WriteStartArray("deletedOccurrences");
        foreach (LocalDate deleted in recurrence.DeletedOccurrences)
        {
            IsoText.WriteDateValue(writer, deleted);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static Recurrence ReadRecurrenceObject(JsonElement json)
        => new(
            ParseEnum<RecurrenceFrequency>(json, "frequency") ?? throw new FormatException("A stored recurrence has no frequency."),
            ParseDate(json, "startDate"),
            json.GetProperty("timeZone").GetString()!,
            json.TryGetProperty("interval", out JsonElement interval) ? interval.GetInt32() : 1,
            json.TryGetProperty("daysOfWeek", out JsonElement days) ? days.EnumerateArray().Select(d => Enum.Parse<IsoDayOfWeek>(d.GetString()!)).ToArray() : null,
            json.TryGetProperty("dayOfMonth", out JsonElement dayOfMonth) ? dayOfMonth.GetInt32() : null,
            json.TryGetProperty("month", out JsonElement month) ? month.GetInt32() : null,
            ParseEnum<WeekIndex>(json, "index"),
            ParseEnum<IsoDayOfWeek>(json, "firstDayOfWeek") ?? IsoDayOfWeek.Sunday,
            json.TryGetProperty("endDate", out _) ? ParseDate(json, "endDate") : null,
            json.TryGetProperty("numberOfOccurrences", out JsonElement count) ? count.GetInt32() : null,
            json.TryGetProperty("deletedOccurrences", out JsonElement deleted) ? deleted.EnumerateArray().Select(d => DateFormat.Parse(d.GetString()!).Value).ToArray() : null);

    private static void WriteIfNotNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, string name, Instant? value)
    {
        if (value is { } instant)
        {
            IsoText.WriteInstant(writer, name, instant);
        }
    }

    private static string? OptionalString(JsonElement json, string name)
        => json.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Instant? OptionalInstant(JsonElement json, string name)
        => OptionalString(json, name) is { } text ? InstantFormat.Parse(text).Value : null;

    private static LocalDate ParseDate(JsonElement json, string name) => DateFormat.Parse(json.GetProperty(name).GetString()!).Value;

    private static T? ParseEnum<T>(JsonElement json, string name)
        where T : struct, Enum
        => OptionalString(json, name) is { } text ? Enum.Parse<T>(text, ignoreCase: true) : null;

    /// <summary>
    /// The names of an enum's values, encoded once: an event's enums are written without boxing them (a constrained
    /// <c>ToString</c> on a generic enum boxes) or escaping their names again.
    /// </summary>
    private static class EnumName<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<T, JsonEncodedText> Names = Enum.GetValues<T>()
            .Distinct()
            .ToDictionary(v => v, v => JsonEncodedText.Encode(v.ToString()));

        /// <summary>The value's name as <see cref="Enum.ToString()"/> writes it (a value with no name of its own is encoded when written).</summary>
        public static JsonEncodedText Of(T value)
            => Names.TryGetValue(value, out JsonEncodedText name) ? name : JsonEncodedText.Encode(value.ToString());
    }
}
