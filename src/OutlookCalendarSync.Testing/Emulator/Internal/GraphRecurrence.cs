using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// Reads and validates Graph's <c>patternedRecurrence</c> JSON, renders it back in full as Graph does (every pattern and range
/// property present), and maps it to the library's <see cref="Recurrence"/> for expansion.
/// </summary>
internal static class GraphRecurrence
{
    private const string NoEndDate = "0001-01-01";

    private static readonly string[] PatternTypes = ["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"];

    private static readonly string[] RangeTypes = ["endDate", "noEnd", "numbered"];

    private static readonly string[] Days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly string[] Indexes = ["first", "second", "third", "fourth", "last"];

    /// <summary>
    /// Validates a written recurrence and returns it as Graph renders it, with <c>recurrenceTimeZone</c> defaulting to
    /// <paramref name="startZoneName"/>, and the rule it stands for (without deleted occurrences).
    /// </summary>
    public static (JsonObject Rendered, Recurrence Rule) Parse(JsonNode? value, string startZoneName)
    {
        if (value is not JsonObject recurrence || recurrence["pattern"] is not JsonObject pattern || recurrence["range"] is not JsonObject range)
        {
            throw Invalid("A recurrence needs a 'pattern' object and a 'range' object.");
        }

        var type = Enum(pattern, "type", PatternTypes, "recurrencePattern", required: true)!;
        var interval = Int(pattern, "interval") ?? 0;
        if (interval < 1)
        {
            throw Validation($"The recurrence pattern's interval must be 1 or more; it was {interval}.");
        }

        var weekly = type == "weekly";
        var relative = type is "relativeMonthly" or "relativeYearly";
        var absolute = type is "absoluteMonthly" or "absoluteYearly";
        var yearly = type is "absoluteYearly" or "relativeYearly";

        var days = new List<string>();
        if (pattern["daysOfWeek"] is JsonArray givenDays)
        {
            foreach (var day in givenDays)
            {
                var name = Match((string?)day, Days, "daysOfWeek", "recurrencePattern");
                if (!days.Contains(name))
                {
                    days.Add(name);
                }
            }
        }
        else if (pattern["daysOfWeek"] is not null)
        {
            throw Invalid("The recurrence pattern's 'daysOfWeek' must be an array such as [\"monday\"].");
        }

        if ((weekly || relative) && days.Count == 0)
        {
            throw Validation($"A {type} recurrence pattern needs at least one day in 'daysOfWeek'.");
        }

        var dayOfMonth = Int(pattern, "dayOfMonth") ?? 0;
        if (absolute && dayOfMonth is < 1 or > 31)
        {
            throw Validation($"An {type} recurrence pattern needs a 'dayOfMonth' from 1 to 31; it was {dayOfMonth}.");
        }

        var month = Int(pattern, "month") ?? 0;
        if (yearly && month is < 1 or > 12)
        {
            throw Validation($"A {type} recurrence pattern needs a 'month' from 1 to 12; it was {month}.");
        }

        var firstDayOfWeek = Enum(pattern, "firstDayOfWeek", Days, "recurrencePattern", required: false) ?? "sunday";
        var index = Enum(pattern, "index", Indexes, "recurrencePattern", required: false) ?? "first";

        var rangeType = Enum(range, "type", RangeTypes, "recurrenceRange", required: true)!;
        var startDate = Date(range, "startDate")
            ?? throw Invalid("The recurrence range needs a 'startDate' (yyyy-MM-dd), the date of the series' first occurrence.");
        LocalDate? endDate = null;
        int? count = null;
        if (rangeType == "endDate")
        {
            endDate = Date(range, "endDate") is { } end && end.Year > 1
                ? end
                : throw Validation("An endDate recurrence range needs an 'endDate' (yyyy-MM-dd).");
            if (endDate < startDate)
            {
                throw Validation($"The recurrence range's endDate {Format(endDate.Value)} is before its startDate {Format(startDate)}.");
            }
        }
        else if (rangeType == "numbered")
        {
            count = Int(range, "numberOfOccurrences") ?? 0;
            if (count < 1)
            {
                throw Validation($"A numbered recurrence range needs 'numberOfOccurrences' of 1 or more; it was {count}.");
            }
        }

        var zoneName = (string?)range["recurrenceTimeZone"];
        if (string.IsNullOrWhiteSpace(zoneName))
        {
            zoneName = startZoneName;
        }

        var zone = GraphTime.FindZone(zoneName)
            ?? throw GraphErrorException.BadRequest("TimeZoneNotSupportedException", $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zoneName}'.");

        Recurrence rule;
        try
        {
            rule = new Recurrence(
                Frequency(type),
                startDate,
                zone.Id,
                interval,
                weekly || relative ? days.Select(ToIsoDay) : null,
                absolute ? dayOfMonth : null,
                yearly ? month : null,
                relative ? ToIndex(index) : null,
                ToIsoDay(firstDayOfWeek),
                endDate,
                count);
        }
        catch (ArgumentException error)
        {
            throw Validation("The recurrence is not valid: " + error.Message);
        }

        var rendered = new JsonObject
        {
            ["pattern"] = new JsonObject
            {
                ["type"] = type,
                ["interval"] = interval,
                ["month"] = yearly ? month : 0,
                ["dayOfMonth"] = absolute ? dayOfMonth : 0,
                ["daysOfWeek"] = new JsonArray(weekly || relative ? days.Select(d => (JsonNode?)d).ToArray() : []),
                ["firstDayOfWeek"] = firstDayOfWeek,
                ["index"] = index,
            },
            ["range"] = new JsonObject
            {
                ["type"] = rangeType,
                ["startDate"] = Format(startDate),
                ["endDate"] = endDate is { } last ? Format(last) : NoEndDate,
                ["recurrenceTimeZone"] = zoneName.Trim(),
                ["numberOfOccurrences"] = count ?? 0,
            },
        };
        return (rendered, rule);
    }

    /// <summary>Whether two rules place occurrences the same way, whatever their ends and deleted occurrences.</summary>
    public static bool SamePattern(Recurrence a, Recurrence b) =>
        a.Frequency == b.Frequency && a.StartDate == b.StartDate && a.TimeZoneId == b.TimeZoneId && a.Interval == b.Interval
        && a.DaysOfWeek.SequenceEqual(b.DaysOfWeek) && a.DayOfMonth == b.DayOfMonth && a.Month == b.Month && a.Index == b.Index
        && a.FirstDayOfWeek == b.FirstDayOfWeek;

    /// <summary>Returns <paramref name="rule"/> with exactly the given deleted occurrences.</summary>
    public static Recurrence WithDeleted(Recurrence rule, IEnumerable<LocalDate> deleted) =>
        new(rule.Frequency, rule.StartDate, rule.TimeZoneId, rule.Interval, rule.DaysOfWeek, rule.DayOfMonth, rule.Month, rule.Index,
            rule.FirstDayOfWeek, rule.EndDate, rule.NumberOfOccurrences, deleted);

    private static RecurrenceFrequency Frequency(string type) => type switch
    {
        "daily" => RecurrenceFrequency.Daily,
        "weekly" => RecurrenceFrequency.Weekly,
        "absoluteMonthly" => RecurrenceFrequency.AbsoluteMonthly,
        "relativeMonthly" => RecurrenceFrequency.RelativeMonthly,
        "absoluteYearly" => RecurrenceFrequency.AbsoluteYearly,
        _ => RecurrenceFrequency.RelativeYearly,
    };

    private static IsoDayOfWeek ToIsoDay(string day) => day switch
    {
        "sunday" => IsoDayOfWeek.Sunday,
        "monday" => IsoDayOfWeek.Monday,
        "tuesday" => IsoDayOfWeek.Tuesday,
        "wednesday" => IsoDayOfWeek.Wednesday,
        "thursday" => IsoDayOfWeek.Thursday,
        "friday" => IsoDayOfWeek.Friday,
        _ => IsoDayOfWeek.Saturday,
    };

    private static WeekIndex ToIndex(string index) => index switch
    {
        "first" => WeekIndex.First,
        "second" => WeekIndex.Second,
        "third" => WeekIndex.Third,
        "fourth" => WeekIndex.Fourth,
        _ => WeekIndex.Last,
    };

    private static string? Enum(JsonObject owner, string key, string[] allowed, string typeName, bool required)
    {
        var text = (string?)owner[key];
        if (text is null)
        {
            return required ? throw Invalid($"The {typeName} needs a '{key}': one of {string.Join(", ", allowed)}.") : null;
        }

        return Match(text, allowed, key, typeName);
    }

    private static string Match(string? text, string[] allowed, string key, string typeName) =>
        allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase))
        ?? throw Invalid($"Requested value '{text}' was not found for property '{key}' of {typeName}: use one of {string.Join(", ", allowed)}.");

    private static int? Int(JsonObject owner, string key)
    {
        var node = owner[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            if (value.TryGetValue<int>(out var number))
            {
                return number;
            }

            if (value.TryGetValue<long>(out var big))
            {
                return big > int.MaxValue ? int.MaxValue : int.MinValue;
            }
        }

        throw Invalid($"The recurrence property '{key}' must be a whole number.");
    }

    private static LocalDate? Date(JsonObject owner, string key)
    {
        var text = (string?)owner[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Graph's dates are yyyy-MM-dd; old clients send a date-time, whose date part counts.
        var parsed = LocalDatePattern.Iso.Parse(text.Length > 10 ? text[..10] : text);
        return parsed.Success ? parsed.Value : throw Invalid($"The recurrence range's '{key}' must be a date such as 2024-03-04; it was '{text}'.");
    }

    private static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static GraphErrorException Invalid(string message) => GraphErrorException.BadRequest("ErrorInvalidRequest", message);

    private static GraphErrorException Validation(string message) => GraphErrorException.BadRequest("ErrorPropertyValidationFailure", message);
}
