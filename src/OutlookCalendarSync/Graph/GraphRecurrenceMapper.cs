using Microsoft.Kiota.Abstractions;
using NodaTime;
using OutlookCalendarSync.Model;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// Maps Graph's <c>patternedRecurrence</c> to the library's <see cref="Recurrence"/> and back. Deleted occurrences are not part
/// of <c>patternedRecurrence</c>: the adapter learns them from the series' instances and passes them in.
/// </summary>
/// <remarks>
/// Graph fills in every property of a pattern and a range whatever its type (a daily pattern comes back with <c>month: 0</c>,
/// <c>index: "first"</c>, a <c>noEnd</c> range with <c>endDate: "0001-01-01"</c>); only the properties the type uses are read,
/// and only those are written.
/// </remarks>
internal static class GraphRecurrenceMapper
{
    /// <summary>Reads a series master's recurrence.</summary>
    /// <param name="source">The master's <c>recurrence</c>.</param>
    /// <param name="masterTiming">The master's timing, whose zone is the series' zone when the range names none.</param>
    /// <param name="deletedOccurrences">The original dates of the occurrences deleted from the series.</param>
    /// <param name="problem">Why the rule cannot be read, when the result is null.</param>
    /// <returns>The rule, or null.</returns>
    public static Recurrence? ToModel(G.PatternedRecurrence? source, EventTiming masterTiming, IEnumerable<LocalDate> deletedOccurrences, out string? problem)
    {
        problem = null;
        if (source?.Pattern is not { } pattern || source.Range is not { } range)
        {
            problem = "the series master has no recurrence pattern or range";
            return null;
        }

        if (range.StartDate is not { } startDate)
        {
            problem = "the series' recurrence range has no start date";
            return null;
        }

        string zoneId;
        if (!string.IsNullOrWhiteSpace(range.RecurrenceTimeZone))
        {
            DateTimeZone? zone = GraphEventMapper.ReadZone(range.RecurrenceTimeZone);
            if (zone is null)
            {
                problem = $"the series' time zone '{range.RecurrenceTimeZone}' is not a known Windows or IANA time zone";
                return null;
            }

            zoneId = zone.Id;
        }
        else
        {
            zoneId = masterTiming.IsAllDay ? DateTimeZone.Utc.Id : masterTiming.Start.Zone.Id;
        }

        RecurrenceFrequency? frequency = pattern.Type switch
        {
            G.RecurrencePatternType.Daily => RecurrenceFrequency.Daily,
            G.RecurrencePatternType.Weekly => RecurrenceFrequency.Weekly,
            G.RecurrencePatternType.AbsoluteMonthly => RecurrenceFrequency.AbsoluteMonthly,
            G.RecurrencePatternType.RelativeMonthly => RecurrenceFrequency.RelativeMonthly,
            G.RecurrencePatternType.AbsoluteYearly => RecurrenceFrequency.AbsoluteYearly,
            G.RecurrencePatternType.RelativeYearly => RecurrenceFrequency.RelativeYearly,
            _ => null,
        };
        if (frequency is not { } kind)
        {
            problem = $"the recurrence pattern type '{pattern.Type}' is unknown";
            return null;
        }

        bool usesDays = kind is RecurrenceFrequency.Weekly or RecurrenceFrequency.RelativeMonthly or RecurrenceFrequency.RelativeYearly;
        bool usesDayOfMonth = kind is RecurrenceFrequency.AbsoluteMonthly or RecurrenceFrequency.AbsoluteYearly;
        bool usesMonth = kind is RecurrenceFrequency.AbsoluteYearly or RecurrenceFrequency.RelativeYearly;
        bool usesIndex = kind is RecurrenceFrequency.RelativeMonthly or RecurrenceFrequency.RelativeYearly;

        LocalDate? endDate = null;
        int? count = null;
        switch (range.Type)
        {
            case G.RecurrenceRangeType.EndDate:
                if (range.EndDate is not { } end)
                {
                    problem = "the series' range ends on a date but names none";
                    return null;
                }

                endDate = ToLocalDate(end);
                break;
            case G.RecurrenceRangeType.Numbered:
                if (range.NumberOfOccurrences is not > 0)
                {
                    problem = "the series' range is numbered but has no number of occurrences";
                    return null;
                }

                count = range.NumberOfOccurrences;
                break;
            case G.RecurrenceRangeType.NoEnd or null:
                break;
            default:
                problem = $"the recurrence range type '{range.Type}' is unknown";
                return null;
        }

        try
        {
            return new Recurrence(
                kind,
                ToLocalDate(startDate),
                zoneId,
                interval: pattern.Interval is > 0 ? pattern.Interval.Value : 1,
                daysOfWeek: usesDays ? (pattern.DaysOfWeek ?? []).Where(d => d is not null).Select(d => ToIso(d!.Value)) : null,
                dayOfMonth: usesDayOfMonth ? pattern.DayOfMonth : null,
                month: usesMonth ? pattern.Month : null,
                index: usesIndex ? ToModel(pattern.Index) : null,
                firstDayOfWeek: pattern.FirstDayOfWeek is { } first ? ToIso(first) : IsoDayOfWeek.Sunday,
                endDate: endDate,
                numberOfOccurrences: count,
                deletedOccurrences: deletedOccurrences);
        }
        catch (ArgumentException ex)
        {
            problem = "the series' recurrence cannot be read: " + ex.Message;
            return null;
        }
    }

    /// <summary>Builds the <c>recurrence</c> to write for a series master.</summary>
    /// <param name="rule">The rule; its deleted occurrences are written separately, as deletions of instances.</param>
    /// <returns>The Graph recurrence.</returns>
    public static G.PatternedRecurrence ToGraph(Recurrence rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var pattern = new G.RecurrencePattern
        {
            Type = rule.Frequency switch
            {
                RecurrenceFrequency.Daily => G.RecurrencePatternType.Daily,
                RecurrenceFrequency.Weekly => G.RecurrencePatternType.Weekly,
                RecurrenceFrequency.AbsoluteMonthly => G.RecurrencePatternType.AbsoluteMonthly,
                RecurrenceFrequency.RelativeMonthly => G.RecurrencePatternType.RelativeMonthly,
                RecurrenceFrequency.AbsoluteYearly => G.RecurrencePatternType.AbsoluteYearly,
                _ => G.RecurrencePatternType.RelativeYearly,
            },
            Interval = rule.Interval,
            FirstDayOfWeek = ToGraph(rule.FirstDayOfWeek),
        };
        if (rule.DaysOfWeek.Count > 0)
        {
            pattern.DaysOfWeek = rule.DaysOfWeek.Select(d => (G.DayOfWeekObject?)ToGraph(d)).ToList();
        }

        if (rule.DayOfMonth is { } day)
        {
            pattern.DayOfMonth = day;
        }

        if (rule.Month is { } month)
        {
            pattern.Month = month;
        }

        if (rule.Index is { } index)
        {
            pattern.Index = index switch
            {
                WeekIndex.First => G.WeekIndex.First,
                WeekIndex.Second => G.WeekIndex.Second,
                WeekIndex.Third => G.WeekIndex.Third,
                WeekIndex.Fourth => G.WeekIndex.Fourth,
                _ => G.WeekIndex.Last,
            };
        }

        var range = new G.RecurrenceRange
        {
            StartDate = ToDate(rule.StartDate),
            RecurrenceTimeZone = GraphEventMapper.ZoneName(DateTimeZoneProviders.Tzdb[rule.TimeZoneId]),
        };
        if (rule.EndDate is { } end)
        {
            range.Type = G.RecurrenceRangeType.EndDate;
            range.EndDate = ToDate(end);
        }
        else if (rule.NumberOfOccurrences is { } count)
        {
            range.Type = G.RecurrenceRangeType.Numbered;
            range.NumberOfOccurrences = count;
        }
        else
        {
            range.Type = G.RecurrenceRangeType.NoEnd;
        }

        return new G.PatternedRecurrence { Pattern = pattern, Range = range };
    }

    private static LocalDate ToLocalDate(Date date) => new(date.Year, date.Month, date.Day);

    private static Date ToDate(LocalDate date) => new(date.Year, date.Month, date.Day);

    private static WeekIndex ToModel(G.WeekIndex? index) => index switch
    {
        G.WeekIndex.Second => WeekIndex.Second,
        G.WeekIndex.Third => WeekIndex.Third,
        G.WeekIndex.Fourth => WeekIndex.Fourth,
        G.WeekIndex.Last => WeekIndex.Last,
        _ => WeekIndex.First,
    };

    private static IsoDayOfWeek ToIso(G.DayOfWeekObject day) => day switch
    {
        G.DayOfWeekObject.Monday => IsoDayOfWeek.Monday,
        G.DayOfWeekObject.Tuesday => IsoDayOfWeek.Tuesday,
        G.DayOfWeekObject.Wednesday => IsoDayOfWeek.Wednesday,
        G.DayOfWeekObject.Thursday => IsoDayOfWeek.Thursday,
        G.DayOfWeekObject.Friday => IsoDayOfWeek.Friday,
        G.DayOfWeekObject.Saturday => IsoDayOfWeek.Saturday,
        _ => IsoDayOfWeek.Sunday,
    };

    private static G.DayOfWeekObject ToGraph(IsoDayOfWeek day) => day switch
    {
        IsoDayOfWeek.Monday => G.DayOfWeekObject.Monday,
        IsoDayOfWeek.Tuesday => G.DayOfWeekObject.Tuesday,
        IsoDayOfWeek.Wednesday => G.DayOfWeekObject.Wednesday,
        IsoDayOfWeek.Thursday => G.DayOfWeekObject.Thursday,
        IsoDayOfWeek.Friday => G.DayOfWeekObject.Friday,
        IsoDayOfWeek.Saturday => G.DayOfWeekObject.Saturday,
        _ => G.DayOfWeekObject.Sunday,
    };
}
