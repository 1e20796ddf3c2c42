using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// A time zone as an iCalendar file defines it in a VTIMEZONE: STANDARD and DAYLIGHT observances, each an onset (DTSTART) with the
/// offsets before and after it (TZOFFSETFROM, TZOFFSETTO), repeated by a yearly RRULE or listed by RDATE.
/// </summary>
/// <remarks>
/// The rules read are the ones calendar programs write: <c>FREQ=YEARLY</c> with <c>BYMONTH</c> and either <c>BYDAY</c> (such as
/// <c>2SU</c>, <c>-1SU</c>) or <c>BYMONTHDAY</c>, and an optional <c>UNTIL</c>. Outlook writes its onsets as rules starting in 1601;
/// a zone without DAYLIGHT has one fixed offset.
/// </remarks>
internal sealed class DefinedTimeZone
{
    private static readonly LocalDateTimePattern DateTimeText = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss");
    private static readonly LocalDatePattern DateText = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    /// <summary>The first year whose onsets are computed: NodaTime's first.</summary>
    private const int MinYear = -9998;

    /// <summary>The last year whose onsets are computed: NodaTime's last.</summary>
    private const int MaxYear = 9999;

    private readonly IReadOnlyList<Observance> _observances;

    private DefinedTimeZone(string id, IReadOnlyList<Observance> observances)
    {
        Id = id;
        _observances = observances;
    }

    /// <summary>The TZID the file gives the zone.</summary>
    public string Id { get; }

    /// <summary>The zone's one offset when every observance has it (no daylight saving time), else null.</summary>
    public Offset? FixedOffset => _observances.SelectMany(o => new[] { o.From, o.To }).Distinct().ToArray() is [var only] ? only : null;

    /// <summary>Reads a VTIMEZONE from its lines, BEGIN and END included.</summary>
    /// <param name="lines">The component's content lines, with those of its STANDARD and DAYLIGHT sub-components.</param>
    /// <param name="problem">Why the definition cannot be used, when it cannot.</param>
    /// <returns>The zone, or null with <paramref name="problem"/> set.</returns>
    public static DefinedTimeZone? Parse(IReadOnlyList<ContentLine> lines, out string? problem)
    {
        string? id = null;
        var observances = new List<Observance>();
        Dictionary<string, ContentLine>? current = null;
        var dates = new List<LocalDateTime>();
        problem = null;
        foreach (ContentLine line in lines)
        {
            if (line.Name == "BEGIN" && line.Value.Trim().ToUpperInvariant() is "STANDARD" or "DAYLIGHT")
            {
                current = new Dictionary<string, ContentLine>(StringComparer.Ordinal);
                dates.Clear();
            }
            else if (line.Name == "END" && current is not null)
            {
                if (ReadObservance(current, dates, out problem) is not { } observance)
                {
                    return null;
                }

                observances.Add(observance);
                current = null;
            }
            else if (current is not null && line.Name == "RDATE")
            {
                foreach (string value in line.Value.Split(','))
                {
                    if (ReadLocal(value) is not { } date)
                    {
                        problem = $"its RDATE '{value}' is not a date-time";
                        return null;
                    }

                    dates.Add(date);
                }
            }
            else if (current is not null)
            {
                current.TryAdd(line.Name, line);
            }
            else if (line.Name == "TZID")
            {
                id = line.Value.Trim();
            }
        }

        if (id is null || observances.Count == 0)
        {
            problem = id is null ? "it has no TZID" : "it has no STANDARD or DAYLIGHT observance";
            return null;
        }

        return new DefinedTimeZone(id, observances);
    }

    /// <summary>The offset from UTC at an instant: the TZOFFSETTO of the latest onset at or before it.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The offset.</returns>
    public Offset OffsetAt(Instant instant)
    {
        int year = instant.InUtc().Year;
        (Instant At, Offset From, Offset To)? latest = null;
        (Instant At, Offset From, Offset To)? earliest = null;
        foreach ((Instant At, Offset From, Offset To) onset in Onsets(year - 1, year + 1))
        {
            if (onset.At <= instant && (latest is null || onset.At > latest.Value.At))
            {
                latest = onset;
            }

            if (earliest is null || onset.At < earliest.Value.At)
            {
                earliest = onset;
            }
        }

        return latest?.To ?? earliest?.From ?? _observances[0].To;
    }

    /// <summary>
    /// The instant of a local time in the zone; an ambiguous time takes the earlier instant, a skipped one is shifted forward by
    /// the gap.
    /// </summary>
    /// <param name="local">The local date and time.</param>
    /// <returns>The instant.</returns>
    public Instant ToInstant(LocalDateTime local)
    {
        Instant asUtc = local.InUtc().ToInstant();
        Offset[] offsets = _observances.SelectMany(o => new[] { o.From, o.To }).Distinct().OrderByDescending(o => o).ToArray();
        foreach (Offset offset in offsets)
        {
            if (OffsetAt(asUtc - NodaTime.Duration.FromSeconds(offset.Seconds)) == offset)
            {
                return asUtc - NodaTime.Duration.FromSeconds(offset.Seconds);
            }
        }

        return asUtc - NodaTime.Duration.FromSeconds(offsets[^1].Seconds);
    }

    /// <summary>
    /// Whether a zone of the time zone database has the same offsets in the given years: at every onset of this definition, just
    /// before it, and at noon UTC on the first of each month.
    /// </summary>
    /// <param name="zone">The zone to compare with.</param>
    /// <param name="years">The years that matter: those of the file's times in this zone.</param>
    /// <returns>True when the offsets agree at every instant compared; false when no year is in the range NodaTime supports.</returns>
    public bool AgreesWith(DateTimeZone zone, IEnumerable<int> years)
    {
        int[] compared = years.Where(year => year is >= MinYear and <= MaxYear).ToArray();
        foreach (int year in compared)
        {
            IEnumerable<Instant> instants = Enumerable.Range(1, 12).Select(month => Instant.FromUtc(year, month, 1, 12, 0))
                .Concat(Onsets(year, year).Where(o => o.At.InUtc().Year == year).SelectMany(o => new[] { o.At, o.At - NodaTime.Duration.FromMinutes(1) }));
            if (instants.Any(instant => zone.GetUtcOffset(instant) != OffsetAt(instant)))
            {
                return false;
            }
        }

        return compared.Length > 0;
    }

    /// <summary>The onsets from the first to the last year, with the fixed ones (DTSTART without a rule, RDATE) of any year.</summary>
    private IEnumerable<(Instant At, Offset From, Offset To)> Onsets(int firstYear, int lastYear)
    {
        foreach (Observance observance in _observances)
        {
            IEnumerable<LocalDateTime> locals = observance.Dates.Prepend(observance.Start);
            if (observance.Rule is { } rule)
            {
                locals = locals.Concat(Enumerable.Range(firstYear, lastYear - firstYear + 1)
                    .Where(year => year > observance.Start.Year && year is >= MinYear and <= MaxYear)
                    .Select(year => rule.OnsetIn(year, observance.Start.TimeOfDay))
                    .OfType<LocalDateTime>());
            }

            foreach (LocalDateTime local in locals)
            {
                yield return (local.InUtc().ToInstant() - NodaTime.Duration.FromSeconds(observance.From.Seconds), observance.From, observance.To);
            }
        }
    }

    private static Observance? ReadObservance(Dictionary<string, ContentLine> properties, List<LocalDateTime> dates, out string? problem)
    {
        problem = null;
        if (!properties.TryGetValue("DTSTART", out ContentLine? start) || ReadLocal(start.Value) is not { } onset)
        {
            problem = "an observance has no readable DTSTART";
            return null;
        }

        if (!properties.TryGetValue("TZOFFSETFROM", out ContentLine? fromLine) || ReadOffset(fromLine.Value) is not { } from
            || !properties.TryGetValue("TZOFFSETTO", out ContentLine? toLine) || ReadOffset(toLine.Value) is not { } to)
        {
            problem = "an observance has no readable TZOFFSETFROM or TZOFFSETTO";
            return null;
        }

        YearlyRule? rule = null;
        if (properties.TryGetValue("RRULE", out ContentLine? rrule))
        {
            rule = YearlyRule.Parse(rrule.Value);
            if (rule is null)
            {
                problem = $"its rule RRULE:{rrule.Value} is not a yearly rule by month and day";
                return null;
            }
        }

        return new Observance(onset, from, to, rule, dates.ToArray());
    }

    private static LocalDateTime? ReadLocal(string value)
    {
        string text = value.Trim().TrimEnd('Z', 'z');
        return DateTimeText.Parse(text) is { Success: true } dateTime ? dateTime.Value
            : DateText.Parse(text) is { Success: true } date ? date.Value.AtMidnight()
            : null;
    }

    private static Offset? ReadOffset(string value)
    {
        string text = value.Trim();
        if (text.Length is not (5 or 7) || text[0] is not ('+' or '-')
            || !int.TryParse(text.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int minutes))
        {
            return null;
        }

        int seconds = text.Length == 7 && int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 0;
        int total = (hours * 3600) + (minutes * 60) + seconds;
        return Offset.FromSeconds(text[0] == '-' ? -total : total);
    }

    private sealed record Observance(LocalDateTime Start, Offset From, Offset To, YearlyRule? Rule, IReadOnlyList<LocalDateTime> Dates);

    /// <summary>A yearly onset rule: a month, and a weekday of a week (<c>BYDAY=2SU</c>, <c>-1SU</c>) or a day of the month.</summary>
    private sealed record YearlyRule(int Month, int Week, IsoDayOfWeek Day, int DayOfMonth, LocalDateTime? Until)
    {
        public static YearlyRule? Parse(string rrule)
        {
            var parts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string[] pair in rrule.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split('=', 2)))
            {
                if (pair.Length != 2 || !parts.TryAdd(pair[0].Trim().ToUpperInvariant(), pair[1].Trim().ToUpperInvariant()))
                {
                    return null;
                }
            }

            if (!parts.TryGetValue("FREQ", out string? frequency) || frequency != "YEARLY"
                || (parts.TryGetValue("INTERVAL", out string? interval) && interval != "1")
                || !parts.TryGetValue("BYMONTH", out string? monthText)
                || !int.TryParse(monthText, NumberStyles.None, CultureInfo.InvariantCulture, out int month) || month is < 1 or > 12)
            {
                return null;
            }

            LocalDateTime? until = parts.TryGetValue("UNTIL", out string? untilText) ? ReadLocal(untilText) : null;
            if (parts.TryGetValue("BYMONTHDAY", out string? dayText))
            {
                return int.TryParse(dayText, NumberStyles.None, CultureInfo.InvariantCulture, out int dayOfMonth) && dayOfMonth is >= 1 and <= 31
                    ? new YearlyRule(month, 0, IsoDayOfWeek.None, dayOfMonth, until)
                    : null;
            }

            if (!parts.TryGetValue("BYDAY", out string? byDay) || byDay.Length < 3)
            {
                return null;
            }

            IsoDayOfWeek day = byDay[^2..] switch
            {
                "MO" => IsoDayOfWeek.Monday,
                "TU" => IsoDayOfWeek.Tuesday,
                "WE" => IsoDayOfWeek.Wednesday,
                "TH" => IsoDayOfWeek.Thursday,
                "FR" => IsoDayOfWeek.Friday,
                "SA" => IsoDayOfWeek.Saturday,
                "SU" => IsoDayOfWeek.Sunday,
                _ => IsoDayOfWeek.None,
            };
            return day != IsoDayOfWeek.None
                && int.TryParse(byDay[..^2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int week) && week is >= -5 and <= 5 and not 0
                ? new YearlyRule(month, week, day, 0, until)
                : null;
        }

        public LocalDateTime? OnsetIn(int year, LocalTime time)
        {
            LocalDate date;
            if (DayOfMonth > 0)
            {
                date = new LocalDate(year, Month, Math.Min(DayOfMonth, CalendarSystem.Iso.GetDaysInMonth(year, Month)));
            }
            else if (Week > 0)
            {
                date = new LocalDate(year, Month, 1).With(DateAdjusters.NextOrSame(Day)).PlusWeeks(Week - 1);
                if (date.Month != Month)
                {
                    date = date.PlusWeeks(-1);
                }
            }
            else
            {
                date = new LocalDate(year, Month, 1).With(DateAdjusters.EndOfMonth).With(DateAdjusters.PreviousOrSame(Day)).PlusWeeks(Week + 1);
            }

            LocalDateTime onset = date.At(time);
            return Until is { } until && onset > until ? null : onset;
        }
    }
}
