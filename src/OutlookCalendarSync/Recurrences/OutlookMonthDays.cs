using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Recurrences;

/// <summary>Outlook's rules for which day of a month an absolute or relative pattern falls on.</summary>
internal static class OutlookMonthDays
{
    /// <summary>
    /// The day <paramref name="dayOfMonth"/> of a month, or the month's last day when the month is shorter: Outlook puts
    /// "day 31 of every month" on 30 April, where RFC 5545's <c>BYMONTHDAY=31</c> would skip April.
    /// </summary>
    public static LocalDate Absolute(int year, int month, int dayOfMonth)
        => new(year, month, Math.Min(dayOfMonth, CalendarSystem.Iso.GetDaysInMonth(year, month)));

    /// <summary>The first to fourth or last day in the month whose weekday is one of <paramref name="days"/>.</summary>
    public static LocalDate Relative(int year, int month, IReadOnlyList<IsoDayOfWeek> days, WeekIndex index)
    {
        int length = CalendarSystem.Iso.GetDaysInMonth(year, month);
        if (index == WeekIndex.Last)
        {
            for (int day = length; ; day--)
            {
                var date = new LocalDate(year, month, day);
                if (Contains(days, date.DayOfWeek))
                {
                    return date;
                }
            }
        }

        int wanted = (int)index;
        for (int day = 1; ; day++)
        {
            var date = new LocalDate(year, month, day);
            if (Contains(days, date.DayOfWeek) && wanted-- == 0)
            {
                return date;
            }
        }
    }

    /// <summary>The shortest length a month can have: 28 for any month or February, the fixed length otherwise.</summary>
    public static int ShortestLength(int? month) => month switch
    {
        null or 2 => 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>The longest length a month can have: 31 for any month, 29 for February, the fixed length otherwise.</summary>
    public static int LongestLength(int? month) => month switch
    {
        null => 31,
        2 => 29,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

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
