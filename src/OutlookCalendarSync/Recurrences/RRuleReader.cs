using System.Globalization;
using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Recurrences;

/// <summary>Reads an RRULE value into a <see cref="Recurrence"/>, rejecting what Outlook cannot hold with a message that says why.</summary>
internal static class RRuleReader
{
    private static readonly string[] PartOrder = ["FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"];

    public static Recurrence Read(string rrule, LocalDate start, DateTimeZone zone, IEnumerable<LocalDate>? exceptionDates)
    {
        Dictionary<string, string> parts = Split(rrule);
        RejectUnsupportedParts(parts);

        string frequency = parts.TryGetValue("FREQ", out string? freq)
            ? freq.ToUpperInvariant()
            : throw new FormatException($"The recurrence rule '{rrule}' has no FREQ: an RRULE starts with FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.");
        int interval = parts.TryGetValue("INTERVAL", out string? intervalText) ? PositiveNumber("INTERVAL", intervalText) : 1;
        int? count = parts.TryGetValue("COUNT", out string? countText) ? PositiveNumber("COUNT", countText) : null;
        LocalDate? until = parts.TryGetValue("UNTIL", out string? untilText) ? RRule.ReadDate(untilText, zone, zone, "UNTIL") : null;
        if (count is not null && until is not null)
        {
            throw Unsupported(
                $"COUNT={countText};UNTIL={untilText}",
                "an Outlook series ends either after a number of occurrences or on a date, and RFC 5545 forbids both as well: keep one of COUNT and UNTIL.");
        }

        if (until < start)
        {
            throw Unsupported(
                $"UNTIL={untilText}",
                $"the series would end ({until:uuuu-MM-dd} in {zone.Id}) before it starts ({start:uuuu-MM-dd}), and Outlook needs an end date on or after the start date: fix UNTIL or the start.");
        }

        IsoDayOfWeek? weekStart = parts.TryGetValue("WKST", out string? wkst) ? Day("WKST", wkst) : null;
        List<(int? Ordinal, IsoDayOfWeek Day)>? byDay = parts.TryGetValue("BYDAY", out string? byDayText) ? ByDay(byDayText) : null;
        int[]? byMonthDay = parts.TryGetValue("BYMONTHDAY", out string? byMonthDayText) ? Numbers("BYMONTHDAY", byMonthDayText, 31, allowNegative: true) : null;
        int[]? byMonth = parts.TryGetValue("BYMONTH", out string? byMonthText) ? Numbers("BYMONTH", byMonthText, 12, allowNegative: false) : null;
        int[]? bySetPos = parts.TryGetValue("BYSETPOS", out string? bySetPosText) ? Numbers("BYSETPOS", bySetPosText, 366, allowNegative: true) : null;

        Recurrence Create(RecurrenceFrequency kind, IEnumerable<IsoDayOfWeek>? days = null, int? dayOfMonth = null, int? month = null, WeekIndex? index = null, IsoDayOfWeek defaultWeekStart = IsoDayOfWeek.Sunday)
            => new(kind, start, zone.Id, interval, days, dayOfMonth, month, index, weekStart ?? defaultWeekStart, until, count, exceptionDates);

        switch (frequency)
        {
            case "SECONDLY" or "MINUTELY" or "HOURLY":
                throw Unsupported(
                    $"FREQ={frequency}",
                    "Outlook repeats a series at most once a day: use one daily series per time of day, or FREQ=DAILY.");

            case "DAILY":
                RejectIfPresent(parts, "DAILY", "BYMONTHDAY", "BYMONTH", "BYSETPOS");
                if (byDay is null)
                {
                    return Create(RecurrenceFrequency.Daily);
                }

                if (interval != 1 || byDay.Any(d => d.Ordinal is not null))
                {
                    throw Unsupported(
                        $"FREQ=DAILY;INTERVAL={interval};BYDAY={byDayText}",
                        "Outlook's daily pattern has no days of the week (only every day, or every weekday as a weekly pattern): use FREQ=WEEKLY with BYDAY.");
                }

                // Outlook's "every weekday" is a weekly pattern; with interval 1 both mean the same dates.
                return Create(RecurrenceFrequency.Weekly, byDay.Select(d => d.Day), defaultWeekStart: IsoDayOfWeek.Monday);

            case "WEEKLY":
                RejectIfPresent(parts, "WEEKLY", "BYMONTHDAY", "BYMONTH", "BYSETPOS");
                if (byDay?.FirstOrDefault(d => d.Ordinal is not null) is { Ordinal: not null } numbered)
                {
                    throw Unsupported(
                        $"BYDAY={byDayText}",
                        $"a numbered weekday ({numbered.Ordinal}{RRule.DayCode(numbered.Day)}) has no meaning in a weekly rule: drop the number.");
                }

                return Create(RecurrenceFrequency.Weekly, byDay?.Select(d => d.Day) ?? [start.DayOfWeek], defaultWeekStart: IsoDayOfWeek.Monday);

            case "MONTHLY":
                RejectIfPresent(parts, "MONTHLY", "BYMONTH");
                return Monthly(
                    byDay, byDayText, byMonthDay, byMonthDayText, bySetPos, bySetPosText, month: null,
                    relative: (days, index) => Create(RecurrenceFrequency.RelativeMonthly, days, index: index),
                    absolute: day => Create(RecurrenceFrequency.AbsoluteMonthly, dayOfMonth: day),
                    startDay: start.Day);

            case "YEARLY":
                if (byMonth is null)
                {
                    if (byDay is not null || byMonthDay is not null || bySetPos is not null)
                    {
                        string part = byDay is not null ? $"BYDAY={byDayText}" : byMonthDay is not null ? $"BYMONTHDAY={byMonthDayText}" : $"BYSETPOS={bySetPosText}";
                        throw Unsupported(
                            part,
                            $"without BYMONTH, a yearly {part.Split('=')[0]} counts through the whole year (or every month), and Outlook's yearly patterns fall in one month: add BYMONTH, or use FREQ=MONTHLY.");
                    }

                    return Create(RecurrenceFrequency.AbsoluteYearly, dayOfMonth: start.Day, month: start.Month);
                }

                if (byMonth.Length > 1)
                {
                    throw Unsupported(
                        $"BYMONTH={byMonthText}",
                        "Outlook's yearly pattern falls in one month: create one yearly series per month.");
                }

                int month = byMonth[0];
                return Monthly(
                    byDay, byDayText, byMonthDay, byMonthDayText, bySetPos, bySetPosText, month,
                    relative: (days, index) => Create(RecurrenceFrequency.RelativeYearly, days, month: month, index: index),
                    absolute: day => Create(RecurrenceFrequency.AbsoluteYearly, dayOfMonth: day, month: month),
                    startDay: start.Day);

            default:
                throw new FormatException($"FREQ={freq} is not an RFC 5545 frequency: use DAILY, WEEKLY, MONTHLY or YEARLY.");
        }
    }

    /// <summary>The day-in-month part shared by monthly rules and yearly rules with one BYMONTH.</summary>
    private static Recurrence Monthly(
        List<(int? Ordinal, IsoDayOfWeek Day)>? byDay, string? byDayText, int[]? byMonthDay, string? byMonthDayText, int[]? bySetPos, string? bySetPosText,
        int? month, Func<IEnumerable<IsoDayOfWeek>, WeekIndex, Recurrence> relative, Func<int, Recurrence> absolute, int startDay)
    {
        string period = month is null ? "month" : "year";
        if (byDay is not null && byMonthDay is not null)
        {
            throw Unsupported(
                $"BYDAY={byDayText};BYMONTHDAY={byMonthDayText}",
                "Outlook cannot combine a day of the month with days of the week (such as Friday the 13th): use either a day of the month or a numbered weekday.");
        }

        if (byDay is not null)
        {
            if (bySetPos is not null)
            {
                if (byDay.Any(d => d.Ordinal is not null))
                {
                    throw Unsupported(
                        $"BYDAY={byDayText};BYSETPOS={bySetPosText}",
                        "Outlook cannot combine numbered weekdays with BYSETPOS: use BYDAY=2TU, or BYDAY=TU;BYSETPOS=2.");
                }

                return relative(byDay.Select(d => d.Day), Index(SinglePosition(bySetPos, bySetPosText!), $"BYSETPOS={bySetPosText}"));
            }

            if (byDay.Any(d => d.Ordinal is null))
            {
                throw Unsupported(
                    $"BYDAY={byDayText}",
                    $"a weekday without a number means every such weekday of the {period}, and Outlook's {(month is null ? "monthly" : "yearly")} pattern falls on one day per {period}: number it (BYDAY=2TU for the second Tuesday){(month is null ? ", or use FREQ=WEEKLY" : string.Empty)}.");
            }

            if (byDay.Count > 1)
            {
                throw Unsupported(
                    $"BYDAY={byDayText}",
                    $"Outlook's relative pattern falls on one numbered weekday per {period}: create one series per weekday.");
            }

            return relative([byDay[0].Day], Index(byDay[0].Ordinal!.Value, $"BYDAY={byDayText}"));
        }

        if (byMonthDay is not null)
        {
            int shortest = OutlookMonthDays.ShortestLength(month);
            int longest = OutlookMonthDays.LongestLength(month);
            if (bySetPos is not null)
            {
                // Written by ToRRule for days some months lack: BYMONTHDAY=28,29,30;BYSETPOS=-1 is day 30, or the last day of a shorter month.
                int[] days = byMonthDay.Distinct().Order().ToArray();
                bool clamped = bySetPos is [-1] && days[0] == shortest && days[^1] <= longest
                               && days.Length == days[^1] - shortest + 1 && days.Length > 1;
                return clamped
                    ? absolute(days[^1])
                    : throw Unsupported(
                        $"BYMONTHDAY={byMonthDayText};BYSETPOS={bySetPosText}",
                        $"Outlook's absolute pattern falls on one day of the month: use a single BYMONTHDAY without BYSETPOS.");
            }

            if (byMonthDay.Length > 1)
            {
                throw Unsupported(
                    $"BYMONTHDAY={byMonthDayText}",
                    $"Outlook's absolute pattern falls on one day per {period}: create one series per day of the month.");
            }

            int day = byMonthDay[0];
            if (day == -1)
            {
                return absolute(longest);
            }

            if (day < 0)
            {
                throw Unsupported(
                    $"BYMONTHDAY={day}",
                    "Outlook counts days from the start of the month, or uses the last day (BYMONTHDAY=-1), but cannot count back from the end: use a positive day or -1.");
            }

            return day <= longest
                ? absolute(day)
                : throw Unsupported(
                    $"BYMONTH={month};BYMONTHDAY={day}",
                    $"month {month} never has a day {day}, so the series would have no occurrences: fix the day.");
        }

        return bySetPos is not null
            ? throw Unsupported($"BYSETPOS={bySetPosText}", "BYSETPOS without BYDAY or BYMONTHDAY has no Outlook equivalent: remove it.")
            : absolute(startDay);
    }

    private static int SinglePosition(int[] bySetPos, string text)
        => bySetPos.Length == 1
            ? bySetPos[0]
            : throw Unsupported(
                $"BYSETPOS={text}",
                "Outlook's relative pattern picks one position per month (first to fourth, or last), not several: create one series per position.");

    private static WeekIndex Index(int position, string part) => position switch
    {
        1 => WeekIndex.First,
        2 => WeekIndex.Second,
        3 => WeekIndex.Third,
        4 => WeekIndex.Fourth,
        -1 => WeekIndex.Last,
        _ => throw Unsupported(
            part,
            $"Outlook's relative pattern is the first, second, third, fourth or last (1 to 4, or -1), not position {position}: "
            + (position == 5 ? "a fifth weekday exists only in some months; use -1 for the last one." : "choose one of those positions.")),
    };

    private static void RejectUnsupportedParts(Dictionary<string, string> parts)
    {
        foreach ((string name, string value) in parts)
        {
            string? why = name switch
            {
                "BYSECOND" or "BYMINUTE" or "BYHOUR" => "every Outlook occurrence starts at the series' start time: remove it and set the event's start time instead (one series per time of day).",
                "BYWEEKNO" => "Outlook has no week-number patterns: use a monthly or yearly pattern.",
                "BYYEARDAY" => "Outlook has no day-of-the-year patterns: use a yearly pattern on a month and day.",
                "RSCALE" or "SKIP" => "Outlook recurs in the Gregorian calendar only and has no RFC 7529 options: remove it.",
                _ when Array.IndexOf(PartOrder, name) < 0 => "it is not an RFC 5545 rule part Outlook knows: remove it.",
                _ => null,
            };

            if (why is not null)
            {
                throw Unsupported($"{name}={value}", why);
            }
        }
    }

    private static void RejectIfPresent(Dictionary<string, string> parts, string frequency, params string[] names)
    {
        foreach (string name in names)
        {
            if (parts.TryGetValue(name, out string? value))
            {
                string why = name switch
                {
                    "BYMONTH" => $"Outlook's {frequency.ToLowerInvariant()} pattern covers every month; it cannot be limited to some months: remove BYMONTH, or create a yearly series per month.",
                    "BYSETPOS" => $"Outlook's {frequency.ToLowerInvariant()} pattern has no positions: use FREQ=MONTHLY or YEARLY for 'the second Tuesday' patterns.",
                    _ => $"Outlook's {frequency.ToLowerInvariant()} pattern has no day of the month: use FREQ=MONTHLY.",
                };
                throw Unsupported($"FREQ={frequency};{name}={value}", why);
            }
        }
    }

    private static UnsupportedRecurrenceException Unsupported(string part, string why)
        => new($"Outlook cannot express the recurrence rule part {part}: {why}", part);

    private static Dictionary<string, string> Split(string rrule)
    {
        string text = rrule.Trim();
        if (text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[6..];
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                throw new FormatException($"'{part}' in the recurrence rule '{rrule}' is not NAME=VALUE: write parts such as FREQ=WEEKLY;BYDAY=MO separated by ';'.");
            }

            string name = part[..equals].Trim().ToUpperInvariant();
            if (!parts.TryAdd(name, part[(equals + 1)..].Trim()))
            {
                throw new FormatException($"{name} appears twice in the recurrence rule '{rrule}': RFC 5545 allows each part once.");
            }
        }

        return parts.Count > 0
            ? parts
            : throw new FormatException("The recurrence rule is empty: pass an RRULE such as FREQ=WEEKLY;BYDAY=MO.");
    }

    private static int PositiveNumber(string name, string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new FormatException($"{name}={text} is not a positive whole number.");

    private static int[] Numbers(string name, string text, int maximum, bool allowNegative)
        => text.Split(',').Select(item =>
            int.TryParse(item.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            && value != 0 && Math.Abs(value) <= maximum && (allowNegative || value > 0)
                ? value
                : throw new FormatException($"{name}={text}: '{item}' is not {(allowNegative ? "a number from 1 to " + maximum + " or -" + maximum + " to -1" : "a number from 1 to " + maximum)}.")).ToArray();

    private static List<(int? Ordinal, IsoDayOfWeek Day)> ByDay(string text)
    {
        var days = new List<(int?, IsoDayOfWeek)>();
        foreach (string item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (item.Length < 2)
            {
                throw new FormatException($"BYDAY={text}: '{item}' is not a weekday such as MO or 2TU.");
            }

            string number = item[..^2];
            int? ordinal = null;
            if (number.Length > 0)
            {
                ordinal = int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value != 0 && Math.Abs(value) <= 53
                    ? value
                    : throw new FormatException($"BYDAY={text}: '{number}' in '{item}' is not a position from 1 to 53 or -53 to -1.");
            }

            days.Add((ordinal, Day("BYDAY", item[^2..])));
        }

        return days;
    }

    private static IsoDayOfWeek Day(string name, string code) => code.ToUpperInvariant() switch
    {
        "MO" => IsoDayOfWeek.Monday,
        "TU" => IsoDayOfWeek.Tuesday,
        "WE" => IsoDayOfWeek.Wednesday,
        "TH" => IsoDayOfWeek.Thursday,
        "FR" => IsoDayOfWeek.Friday,
        "SA" => IsoDayOfWeek.Saturday,
        "SU" => IsoDayOfWeek.Sunday,
        _ => throw new FormatException($"{name}: '{code}' is not a weekday: use MO, TU, WE, TH, FR, SA or SU."),
    };
}
