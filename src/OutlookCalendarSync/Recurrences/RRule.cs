using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Recurrences;

/// <summary>
/// Converts a <see cref="Recurrence"/> to and from RFC 5545 <c>RRULE</c> and <c>EXDATE</c> values, the form hosts commonly
/// store recurring events in.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="FromRRule"/> accepts every rule Outlook can hold and throws <see cref="UnsupportedRecurrenceException"/>, naming
/// the construct, for the others. <see cref="ToRRule"/> writes a rule that an RFC 5545 expander turns into exactly the dates
/// Outlook shows, and <see cref="FromRRule"/> reads it back into an equal <see cref="Recurrence"/>.
/// </para>
/// <para>
/// Outlook's semantics where they differ from RFC 5545:
/// an absolute monthly or yearly day that a month lacks falls on the month's last day (day 31 of every month is 30 April;
/// 29 February of every year is 28 February in common years), so a day some months lack is written as "the last day"
/// (<c>BYMONTHDAY=-1</c> for day 31 of every month or 29 February) or as "the last of the days up to it"
/// (<c>BYMONTHDAY=28,29,30;BYSETPOS=-1</c> for day 30 of every month); a plain <c>BYMONTHDAY=29</c> to <c>31</c> is read with
/// Outlook's meaning.
/// <c>BYMONTHDAY=-1</c> is read as the last day of the month; other negative days (<c>-2</c>, the day before last) have no
/// Outlook equivalent and are rejected.
/// An <c>UNTIL</c> is reduced to its date in the series' time zone (a UTC date-time is converted first), because an Outlook
/// series ends on a date, inclusive.
/// Without <c>WKST</c>, a weekly rule starts its weeks on Monday as RFC 5545 says; other rules take Outlook's default, Sunday.
/// <c>FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR</c> (interval 1) is read as Outlook's "every weekday", a weekly rule on those days.
/// </para>
/// </remarks>
/// <threadsafety>Stateless; safe to call from any thread.</threadsafety>
public static class RRule
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");
    private static readonly LocalDateTimePattern LocalDateTimeFormat = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss");
    private static readonly InstantPattern UtcPattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    /// <summary>Writes the RFC 5545 <c>RRULE</c> value of a rule, without the <c>RRULE:</c> prefix.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="startTime">
    /// The local start time of a timed series: <c>UNTIL</c> is then the UTC date-time of the last allowed start, as RFC 5545
    /// requires when <c>DTSTART</c> has a time. Null (the default) for an all-day series writes <c>UNTIL</c> as a date.
    /// </param>
    /// <returns>For example <c>FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU;UNTIL=20270101</c>.</returns>
    /// <remarks>Fields the frequency does not use (days of the week of a daily rule, for example) are not written.</remarks>
    public static string ToRRule(Recurrence rule, LocalTime? startTime = null)
    {
        Guard.NotNull(rule);
        var text = new StringBuilder("FREQ=");
        text.Append(rule.Frequency switch
        {
            RecurrenceFrequency.Daily => "DAILY",
            RecurrenceFrequency.Weekly => "WEEKLY",
            RecurrenceFrequency.AbsoluteMonthly or RecurrenceFrequency.RelativeMonthly => "MONTHLY",
            _ => "YEARLY",
        });

        if (rule.Interval != 1)
        {
            text.Append(CultureInfo.InvariantCulture, $";INTERVAL={rule.Interval}");
        }

        bool yearly = rule.Frequency is RecurrenceFrequency.AbsoluteYearly or RecurrenceFrequency.RelativeYearly;
        if (yearly)
        {
            text.Append(CultureInfo.InvariantCulture, $";BYMONTH={rule.Month}");
        }

        switch (rule.Frequency)
        {
            case RecurrenceFrequency.Weekly:
                text.Append(";BYDAY=").AppendJoin(',', rule.DaysOfWeek.Select(DayCode));
                break;
            case RecurrenceFrequency.AbsoluteMonthly or RecurrenceFrequency.AbsoluteYearly:
                AppendMonthDay(text, rule.DayOfMonth!.Value, yearly ? rule.Month : null);
                break;
            case RecurrenceFrequency.RelativeMonthly or RecurrenceFrequency.RelativeYearly:
                int position = rule.Index == WeekIndex.Last ? -1 : (int)rule.Index!.Value + 1;
                if (rule.DaysOfWeek.Count == 1)
                {
                    text.Append(CultureInfo.InvariantCulture, $";BYDAY={position}{DayCode(rule.DaysOfWeek[0])}");
                }
                else
                {
                    text.Append(";BYDAY=").AppendJoin(',', rule.DaysOfWeek.Select(DayCode));
                    text.Append(CultureInfo.InvariantCulture, $";BYSETPOS={position}");
                }

                break;
        }

        if (rule.Frequency == RecurrenceFrequency.Weekly || rule.FirstDayOfWeek != IsoDayOfWeek.Sunday)
        {
            text.Append(";WKST=").Append(DayCode(rule.FirstDayOfWeek));
        }

        if (rule.NumberOfOccurrences is { } count)
        {
            text.Append(CultureInfo.InvariantCulture, $";COUNT={count}");
        }
        else if (rule.EndDate is { } until)
        {
            text.Append(";UNTIL=").Append(startTime is { } time
                ? UtcPattern.Format(until.At(time).InZone(TimeZones.Resolve(rule.TimeZoneId, nameof(rule)), TimeZones.Lenient).ToInstant())
                : DatePattern.Format(until));
        }

        return text.ToString();
    }

    /// <summary>Writes the RFC 5545 <c>EXDATE</c> property of a rule's deleted occurrences.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="startTime">
    /// The local start time of a timed series, written with the series' <c>TZID</c>; null (the default) for an all-day series
    /// writes dates.
    /// </param>
    /// <returns>
    /// The whole property line, such as <c>EXDATE;VALUE=DATE:20260105,20260112</c> or
    /// <c>EXDATE;TZID=Europe/Berlin:20260105T090000</c>, or null when no occurrence is deleted.
    /// </returns>
    public static string? ToExDate(Recurrence rule, LocalTime? startTime = null)
    {
        Guard.NotNull(rule);
        if (rule.DeletedOccurrences.Count == 0)
        {
            return null;
        }

        return startTime is { } time
            ? $"EXDATE;TZID={rule.TimeZoneId}:{string.Join(',', rule.DeletedOccurrences.Select(date => LocalDateTimeFormat.Format(date.At(time))))}"
            : $"EXDATE;VALUE=DATE:{string.Join(',', rule.DeletedOccurrences.Select(DatePattern.Format))}";
    }

    /// <summary>Reads an RFC 5545 <c>RRULE</c> value into a rule Outlook can hold.</summary>
    /// <param name="rrule">The rule, with or without the <c>RRULE:</c> prefix, in any letter case.</param>
    /// <param name="start">The date of the series' first occurrence (the date of <c>DTSTART</c>).</param>
    /// <param name="timeZoneId">The series' time zone (the <c>TZID</c> of <c>DTSTART</c>), an IANA or Windows id.</param>
    /// <param name="exceptionDates">The original dates of deleted occurrences (the dates of <c>EXDATE</c>), or null.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="UnsupportedRecurrenceException">
    /// The rule is valid but Outlook cannot express it; the message names the construct and what to do.
    /// </exception>
    /// <exception cref="FormatException">The text is not an RFC 5545 recurrence rule.</exception>
    /// <exception cref="ArgumentException">The time zone is unknown.</exception>
    public static Recurrence FromRRule(string rrule, LocalDate start, string timeZoneId, IEnumerable<LocalDate>? exceptionDates = null)
    {
        Guard.NotNull(rrule);
        DateTimeZone zone = TimeZones.Resolve(timeZoneId, nameof(timeZoneId));
        return RRuleReader.Read(rrule, start, zone, exceptionDates);
    }

    /// <summary>Reads the dates of an RFC 5545 <c>EXDATE</c> property in the series' time zone.</summary>
    /// <param name="exdate">
    /// The property line (<c>EXDATE;TZID=Europe/Berlin:20260105T090000</c>, <c>EXDATE;VALUE=DATE:20260105</c>,
    /// <c>EXDATE:20260105T080000Z</c>) or just its comma-separated values.
    /// </param>
    /// <param name="timeZoneId">The series' time zone: UTC date-times and date-times of another <c>TZID</c> are converted to it.</param>
    /// <returns>The dates, ascending, without repeats; pass them to <see cref="FromRRule"/>.</returns>
    /// <exception cref="FormatException">A value is not an RFC 5545 date or date-time.</exception>
    /// <exception cref="ArgumentException">A time zone is unknown.</exception>
    public static IReadOnlyList<LocalDate> ParseExDate(string exdate, string timeZoneId)
    {
        Guard.NotNull(exdate);
        DateTimeZone seriesZone = TimeZones.Resolve(timeZoneId, nameof(timeZoneId));
        DateTimeZone valueZone = seriesZone;
        string values = exdate.Trim();
        int colon = values.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            foreach (string parameter in values[..colon].Split(';').Skip(1))
            {
                if (parameter.StartsWith("TZID=", StringComparison.OrdinalIgnoreCase))
                {
                    valueZone = TimeZones.Resolve(parameter[5..].Trim('"'), nameof(exdate));
                }
            }

            values = values[(colon + 1)..];
        }

        return values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(value => ReadDate(value, valueZone, seriesZone, "EXDATE"))
            .Distinct().Order().ToArray();
    }

    /// <summary>Reads an RFC 5545 DATE or DATE-TIME as a date in the series' zone.</summary>
    internal static LocalDate ReadDate(string text, DateTimeZone valueZone, DateTimeZone seriesZone, string property)
    {
        string value = text.ToUpperInvariant();
        if (value.Length == 8 && DatePattern.Parse(value) is { Success: true } date)
        {
            return date.Value;
        }

        if (value.EndsWith('Z') && UtcPattern.Parse(value) is { Success: true } utc)
        {
            return utc.Value.InZone(seriesZone).Date;
        }

        if (LocalDateTimeFormat.Parse(value) is { Success: true } local)
        {
            return local.Value.InZone(valueZone, TimeZones.Lenient).WithZone(seriesZone).Date;
        }

        throw new FormatException(
            $"{property} value '{text}' is not an RFC 5545 date (20270131) or date-time (20270131T090000 or 20270131T080000Z).");
    }

    /// <summary>The two-letter RFC 5545 code of a weekday.</summary>
    internal static string DayCode(IsoDayOfWeek day) => day switch
    {
        IsoDayOfWeek.Monday => "MO",
        IsoDayOfWeek.Tuesday => "TU",
        IsoDayOfWeek.Wednesday => "WE",
        IsoDayOfWeek.Thursday => "TH",
        IsoDayOfWeek.Friday => "FR",
        IsoDayOfWeek.Saturday => "SA",
        _ => "SU",
    };

    private static void AppendMonthDay(StringBuilder text, int dayOfMonth, int? month)
    {
        int shortest = OutlookMonthDays.ShortestLength(month);
        if (dayOfMonth <= shortest)
        {
            text.Append(CultureInfo.InvariantCulture, $";BYMONTHDAY={dayOfMonth}");
        }
        else if (dayOfMonth >= OutlookMonthDays.LongestLength(month))
        {
            // Always the month's last day.
            text.Append(";BYMONTHDAY=-1");
        }
        else
        {
            // The day itself, or the last day of a shorter month: the last of the days from the shortest length up to it.
            text.Append(";BYMONTHDAY=").AppendJoin(',', Enumerable.Range(shortest, dayOfMonth - shortest + 1)).Append(";BYSETPOS=-1");
        }
    }
}
