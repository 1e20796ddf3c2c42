using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// Prepares an iCalendar text for Ical.Net, so that one event's fault leaves out that event and not the file.
/// </summary>
/// <remarks>
/// <para>
/// Ical.Net rejects a whole file for one TZID it does not know (Outlook's <c>Customized Time Zone</c>), and silently drops a DTSTART
/// it cannot read. Before it sees the text: the file's VTIMEZONEs are read (<see cref="DefinedTimeZone"/>) and removed; every TZID is
/// replaced by the time zone database id it resolves to (<see cref="FileTimeZones"/>), or its times are converted with the file's own
/// rules; floating times take the calendar's <c>X-WR-TIMEZONE</c>; event RRULEs are kept as text
/// (<see cref="VerbatimRecurrenceRules"/>); an attendee or organizer written as <c>urn:uuid:</c> with an EMAIL parameter (Apple)
/// gets that address as its value.
/// </para>
/// <para>
/// A VEVENT with an unknown TZID or a date Ical.Net cannot read gets an <see cref="ProblemProperty"/> whose value indexes
/// <see cref="PreparedIcs.Problems"/>: the reason it is left out.
/// </para>
/// </remarks>
internal static class IcsPreparation
{
    /// <summary>The property that marks a VEVENT to leave out; its value is an index into <see cref="PreparedIcs.Problems"/>.</summary>
    public const string ProblemProperty = "X-OUTLOOK-CALENDAR-SYNC-PROBLEM";

    private const string CalendarTimeZone = "X-WR-TIMEZONE";

    private static readonly HashSet<string> DateProperties = new(["DTSTART", "DTEND", "DUE", "EXDATE", "RDATE", "RECURRENCE-ID"], StringComparer.Ordinal);
    private static readonly LocalDateTimePattern DateTimeText = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss");
    private static readonly LocalDatePattern DateText = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    /// <summary>Prepares a text (see the remarks of <see cref="IcsPreparation"/>).</summary>
    /// <param name="text">The iCalendar text as read.</param>
    /// <returns>The text for Ical.Net, the reasons events are to be left out, and the calendar's zone.</returns>
    public static PreparedIcs Prepare(string text)
    {
        string[] lines = VerbatimRecurrenceRules.MarkEventRules(text).Split("\r\n");
        FileTimeZones zones = ReadZones(lines, out string? calendarTzid);
        string? calendarZoneId = calendarTzid is null ? null : zones.Resolve(calendarTzid).ZoneId;

        var problems = new List<string>();
        var prepared = new System.Text.StringBuilder(text.Length + 256);
        var components = new Stack<string>();
        string? eventProblem = null;
        foreach (string raw in lines)
        {
            // The file's own problem markers would point at this run's reasons: only this preparation writes them.
            if (raw.Length == 0 || raw.StartsWith(ProblemProperty, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? begins = raw.StartsWith("BEGIN:", StringComparison.OrdinalIgnoreCase) ? raw[6..].Trim().ToUpperInvariant() : null;
            bool ends = raw.StartsWith("END:", StringComparison.OrdinalIgnoreCase);
            bool inTimeZone = components.Contains("VTIMEZONE") || begins == "VTIMEZONE";
            if (begins is not null)
            {
                components.Push(begins);
                eventProblem = begins == "VEVENT" ? null : eventProblem;
            }
            else if (ends && components.Count > 0)
            {
                if (components.Pop() == "VEVENT" && eventProblem is not null)
                {
                    problems.Add(eventProblem);
                    prepared.Append(ProblemProperty).Append(':').Append(problems.Count - 1).Append("\r\n");
                    eventProblem = null;
                }
            }
            else if (!inTimeZone && ContentLine.Parse(raw) is { } line)
            {
                if (DateProperties.Contains(line.Name))
                {
                    string? problem = PrepareDates(line, zones, calendarZoneId, out bool keep);
                    if (components.Contains("VEVENT"))
                    {
                        eventProblem ??= problem;
                    }

                    if (keep)
                    {
                        prepared.Append(line).Append("\r\n");
                    }

                    continue;
                }

                if (line.Name is "ATTENDEE" or "ORGANIZER" && PersonByEmail(line))
                {
                    prepared.Append(line).Append("\r\n");
                    continue;
                }
            }

            if (!inTimeZone)
            {
                prepared.Append(raw).Append("\r\n");
            }
        }

        return new PreparedIcs(prepared.ToString(), problems, calendarZoneId);
    }

    /// <summary>Reads the VTIMEZONEs, the years of the times in each TZID, and the calendar's X-WR-TIMEZONE.</summary>
    private static FileTimeZones ReadZones(string[] lines, out string? calendarTzid)
    {
        var defined = new Dictionary<string, DefinedTimeZone>(StringComparer.Ordinal);
        var definitionProblems = new Dictionary<string, string>(StringComparer.Ordinal);
        var years = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        List<ContentLine>? timeZone = null;
        int depth = 0;
        calendarTzid = null;
        foreach (string raw in lines)
        {
            if (ContentLine.Parse(raw) is not { } line)
            {
                continue;
            }

            bool begins = line.Name == "BEGIN";
            depth += begins ? 1 : line.Name == "END" ? -1 : 0;
            if (begins && line.Value.Trim().Equals("VTIMEZONE", StringComparison.OrdinalIgnoreCase))
            {
                timeZone = [];
            }

            if (timeZone is not null)
            {
                timeZone.Add(line);
                if (line.Name == "END" && line.Value.Trim().Equals("VTIMEZONE", StringComparison.OrdinalIgnoreCase))
                {
                    string tzid = timeZone.FirstOrDefault(l => l.Name == "TZID")?.Value.Trim() ?? string.Empty;
                    if (DefinedTimeZone.Parse(timeZone, out string? problem) is { } zone)
                    {
                        defined.TryAdd(zone.Id, zone);
                    }
                    else
                    {
                        definitionProblems.TryAdd(tzid, problem!);
                    }

                    timeZone = null;
                }
            }
            else if (line.Name == CalendarTimeZone && depth == 1)
            {
                calendarTzid = line.Value.Trim();
            }
            else if (DateProperties.Contains(line.Name) && line.Parameter("TZID") is { } tzid)
            {
                SortedSet<int> used = years.TryGetValue(tzid.Trim(), out SortedSet<int>? set) ? set : years[tzid.Trim()] = [];
                foreach (string value in line.Value.Split(','))
                {
                    if (value.Length >= 4 && int.TryParse(value.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int year))
                    {
                        used.Add(year);
                        used.Add(year + 1);
                    }
                }
            }
        }

        return new FileTimeZones(defined, definitionProblems, years);
    }

    /// <summary>
    /// Checks a date property's values and resolves its TZID, in place: the reason its event is to be left out, or null.
    /// </summary>
    private static string? PrepareDates(ContentLine line, FileTimeZones zones, string? calendarZoneId, out bool keep)
    {
        keep = true;
        string[] values = line.Value.Split(',', StringSplitOptions.TrimEntries);
        if (line.Parameter("VALUE") is { } type && type.Equals("PERIOD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (values.Any(value => ReadLocal(value) is null))
        {
            keep = false;
            string value = values.First(v => ReadLocal(v) is null);
            return $"its {Describe(line.Name)} ({line.Name}:{value}) cannot be read: write a date as 20260302, a time as 20260302T090000 with a TZID, or 20260302T080000Z in UTC.";
        }

        bool floating = values.All(value => value.Length == 15);
        if (line.Parameter("TZID") is not { } tzid)
        {
            if (floating && calendarZoneId is not null)
            {
                line.SetParameter("TZID", calendarZoneId);
            }

            return null;
        }

        FileTimeZones.Choice choice = zones.Resolve(tzid);
        if (choice.Problem is not null || !floating)
        {
            line.SetParameter("TZID", null);
            return choice.Problem;
        }

        if (choice.ZoneId is not null)
        {
            line.SetParameter("TZID", choice.ZoneId);
            return null;
        }

        Instant[] instants = values.Select(value => choice.Rules!.ToInstant(ReadLocal(value)!.Value)).ToArray();
        Offset offset = choice.Rules!.OffsetAt(instants[0]);
        if (instants.Length == 1 && offset.Seconds % 3600 == 0 && offset.Seconds / 3600 is >= -12 and <= 14)
        {
            // Etc/GMT zones have POSIX signs: Etc/GMT-1 is UTC+01:00.
            int hours = offset.Seconds / 3600;
            string fixedZone = hours == 0 ? "UTC" : $"Etc/GMT{(hours > 0 ? '-' : '+')}{Math.Abs(hours)}";
            line.SetParameter("TZID", fixedZone);
            line.Value = DateTimeText.Format(instants[0].WithOffset(offset).LocalDateTime);
        }
        else
        {
            line.SetParameter("TZID", null);
            line.Value = string.Join(',', instants.Select(i => DateTimeText.Format(i.InUtc().LocalDateTime) + "Z"));
        }

        return null;
    }

    /// <summary>
    /// Gives an attendee or organizer written as <c>urn:uuid:</c> with an EMAIL parameter (RFC 7986, as Apple writes them) the
    /// <c>mailto:</c> value of that address; false when the line is left as it is.
    /// </summary>
    private static bool PersonByEmail(ContentLine person)
    {
        if (person.Value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
            || person.Parameter("EMAIL")?.Trim() is not { } email || !email.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        person.Value = email.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? email : "mailto:" + email;
        return true;
    }

    private static LocalDateTime? ReadLocal(string value)
        => value.Length == 16 && value[15] is 'Z' or 'z' ? Parsed(DateTimeText.Parse(value[..15]))
            : value.Length == 15 ? Parsed(DateTimeText.Parse(value))
            : value.Length == 8 && DateText.Parse(value) is { Success: true } date ? date.Value.AtMidnight()
            : null;

    private static LocalDateTime? Parsed(ParseResult<LocalDateTime> result) => result.Success ? result.Value : null;

    private static string Describe(string property) => property switch
    {
        "DTSTART" => "start",
        "DTEND" => "end",
        "RECURRENCE-ID" => "original start",
        "EXDATE" => "deleted occurrences",
        "RDATE" => "extra dates",
        _ => "date",
    };
}
