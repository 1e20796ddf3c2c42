using NodaTime;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Recurrences;

/// <summary>Expands a recurring series into its occurrences, as Outlook does.</summary>
/// <remarks>
/// <para>
/// Occurrences keep their local time in the series' time zone across daylight-saving changes (a weekly 09:00 Europe/Berlin
/// meeting stays at 09:00 after the March change); all-day occurrences stay on their dates. Deleted occurrences are skipped
/// but still count towards <see cref="Recurrence.NumberOfOccurrences"/>, which counts from the start of the series.
/// Expansion is lazy: a never-ending series yields occurrences for as long as they are read, with no cap.
/// </para>
/// <para>
/// Outlook's rules where RFC 5545 differs: the first occurrence is the first date on or after
/// <see cref="Recurrence.StartDate"/> that fits the pattern (a start date off the pattern is not an occurrence itself); an
/// absolute day a month lacks falls on the month's last day (day 31 of every month is 30 April, where RFC 5545 skips April).
/// </para>
/// </remarks>
/// <threadsafety>Stateless; safe to call from any thread.</threadsafety>
public static class RecurrenceExpander
{
    // NodaTime's ISO calendar ends in 9999; an endless series stops a year before, leaving room for the weeks around it.
    private static readonly LocalDate Limit = new(9998, 12, 31);

    /// <summary>The original dates of a series' occurrences, ascending, without the deleted ones.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The dates, lazily; endless for a never-ending series.</returns>
    public static IEnumerable<LocalDate> OccurrenceDates(Recurrence rule)
    {
        Guard.NotNull(rule);
        return Dates(rule);
    }

    /// <summary>The occurrences of a series that overlap a window.</summary>
    /// <param name="rule">The series' rule.</param>
    /// <param name="firstOccurrence">
    /// The timing of the series master (its first occurrence): a timed master gives the local start time in the series' zone and
    /// the length of every occurrence; an all-day master gives the number of days.
    /// </param>
    /// <param name="window">The half-open window; occurrences overlapping it are returned, in order.</param>
    /// <returns>The occurrences, lazily; an unbounded window over a never-ending series never ends.</returns>
    public static IEnumerable<SeriesOccurrence> Expand(Recurrence rule, EventTiming firstOccurrence, Interval window)
    {
        Guard.NotNull(rule);
        Guard.NotNull(firstOccurrence);
        if (firstOccurrence.IsAllDay)
        {
            int days = Period.DaysBetween(firstOccurrence.StartDate, firstOccurrence.EndDate);
            return InWindow(rule, window, date => EventTiming.AllDay(date, date.PlusDays(days)));
        }

        DateTimeZone zone = TimeZones.Resolve(rule.TimeZoneId, nameof(rule));
        LocalTime startTime = firstOccurrence.Start.WithZone(zone).TimeOfDay;
        Duration length = firstOccurrence.EndInstant - firstOccurrence.StartInstant;
        DateTimeZone endZone = firstOccurrence.End.Zone;
        return InWindow(rule, window, date =>
        {
            ZonedDateTime start = date.At(startTime).InZone(zone, TimeZones.Lenient);
            return EventTiming.Timed(start, start.Plus(length).WithZone(endZone));
        });
    }

    /// <summary>The occurrences of a timed series that overlap a window.</summary>
    /// <param name="rule">The series' rule.</param>
    /// <param name="startTime">The local start time of every occurrence in the series' time zone.</param>
    /// <param name="length">How long every occurrence lasts.</param>
    /// <param name="window">The half-open window; occurrences overlapping it are returned, in order.</param>
    /// <returns>The occurrences, lazily; an unbounded window over a never-ending series never ends.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static IEnumerable<SeriesOccurrence> Expand(Recurrence rule, LocalTime startTime, Duration length, Interval window)
    {
        Guard.NotNull(rule);
        if (length < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "An occurrence cannot end before it starts: pass a length of zero or more.");
        }

        DateTimeZone zone = TimeZones.Resolve(rule.TimeZoneId, nameof(rule));
        return InWindow(rule, window, date =>
        {
            ZonedDateTime start = date.At(startTime).InZone(zone, TimeZones.Lenient);
            return EventTiming.Timed(start, start.Plus(length));
        });
    }

    private static IEnumerable<SeriesOccurrence> InWindow(Recurrence rule, Interval window, Func<LocalDate, EventTiming> timing)
    {
        foreach (LocalDate date in Dates(rule))
        {
            EventTiming occurrence = timing(date);
            if (window.HasEnd && occurrence.StartInstant >= window.End)
            {
                // Occurrences start in order: none later can overlap.
                yield break;
            }

            if (occurrence.Overlaps(window))
            {
                yield return new SeriesOccurrence(date, occurrence);
            }
        }
    }

    private static IEnumerable<LocalDate> Dates(Recurrence rule)
    {
        int remaining = rule.NumberOfOccurrences ?? int.MaxValue;
        IReadOnlyList<LocalDate> deleted = rule.DeletedOccurrences;
        int nextDeleted = 0;
        foreach (LocalDate date in PatternDates(rule))
        {
            if (remaining-- == 0 || date > rule.EndDate)
            {
                yield break;
            }

            while (nextDeleted < deleted.Count && deleted[nextDeleted] < date)
            {
                nextDeleted++;
            }

            if (nextDeleted < deleted.Count && deleted[nextDeleted] == date)
            {
                continue;
            }

            yield return date;
        }
    }

    /// <summary>Every date the pattern puts an occurrence on, from the start date on, ignoring the end and deletions.</summary>
    /// <remarks>Offsets are long so that a huge interval ends the series at the calendar's limit instead of overflowing.</remarks>
    private static IEnumerable<LocalDate> PatternDates(Recurrence rule)
    {
        LocalDate start = rule.StartDate;
        int interval = rule.Interval;
        switch (rule.Frequency)
        {
            case RecurrenceFrequency.Daily:
                int daysLeft = Period.DaysBetween(start, Limit);
                for (long offset = 0; offset <= daysLeft; offset += interval)
                {
                    yield return start.PlusDays((int)offset);
                }

                break;

            case RecurrenceFrequency.Weekly:
                LocalDate firstWeek = start.With(DateAdjusters.PreviousOrSame(rule.FirstDayOfWeek));
                int weekDaysLeft = Period.DaysBetween(firstWeek, Limit);
                for (long offset = 0; offset <= weekDaysLeft; offset += 7L * interval)
                {
                    LocalDate weekStart = firstWeek.PlusDays((int)offset);
                    for (int day = 0; day < 7; day++)
                    {
                        LocalDate date = weekStart.PlusDays(day);
                        if (date >= start && Contains(rule.DaysOfWeek, date.DayOfWeek))
                        {
                            yield return date;
                        }
                    }
                }

                break;

            case RecurrenceFrequency.AbsoluteMonthly or RecurrenceFrequency.RelativeMonthly:
                var firstMonth = new LocalDate(start.Year, start.Month, 1);
                int monthsLeft = ((Limit.Year - start.Year) * 12) + Limit.Month - start.Month;
                for (long offset = 0; offset <= monthsLeft; offset += interval)
                {
                    LocalDate month = firstMonth.PlusMonths((int)offset);
                    LocalDate date = rule.Frequency == RecurrenceFrequency.AbsoluteMonthly
                        ? OutlookMonthDays.Absolute(month.Year, month.Month, rule.DayOfMonth!.Value)
                        : OutlookMonthDays.Relative(month.Year, month.Month, rule.DaysOfWeek, rule.Index!.Value);
                    if (date >= start)
                    {
                        yield return date;
                    }
                }

                break;

            default:
                for (long year = start.Year; year <= Limit.Year; year += interval)
                {
                    LocalDate date = rule.Frequency == RecurrenceFrequency.AbsoluteYearly
                        ? OutlookMonthDays.Absolute((int)year, rule.Month!.Value, rule.DayOfMonth!.Value)
                        : OutlookMonthDays.Relative((int)year, rule.Month!.Value, rule.DaysOfWeek, rule.Index!.Value);
                    if (date >= start)
                    {
                        yield return date;
                    }
                }

                break;
        }
    }

    private static bool Contains(IReadOnlyList<IsoDayOfWeek> days, IsoDayOfWeek day)
    {
        for (int i = 0; i < days.Count; i++)
        {
            if (days[i] == day)
            {
                return true;
            }
        }

        return false;
    }
}
