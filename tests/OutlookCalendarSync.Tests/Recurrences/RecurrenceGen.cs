using CsCheck;
using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Tests.Recurrences;

/// <summary>Random valid rules, with only the fields their frequency uses (the form <see cref="RRule.FromRRule"/> produces).</summary>
internal static class RecurrenceGen
{
    private static readonly string[] Zones = ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata", "Australia/Sydney"];

    private static readonly Gen<LocalDate> Date = Gen.Int[0, 3650].Select(days => new LocalDate(2020, 1, 1).PlusDays(days));

    private static readonly Gen<IsoDayOfWeek> Day = Gen.Int[1, 7].Select(day => (IsoDayOfWeek)day);

    private static readonly Gen<(int? Count, int? EndDays)> End = Gen.OneOf(
        Gen.Const<(int?, int?)>((null, null)),
        Gen.Int[1, 60].Select(count => ((int?)count, (int?)null)),
        Gen.Int[0, 2000].Select(days => ((int?)null, (int?)days)));

    private static readonly Gen<(int Month, int Day)> MonthDay = Gen.Int[1, 12].SelectMany(
        month => Gen.Int[1, OutlookMonthDaysLongest(month)].Select(day => (month, day)));

    public static readonly Gen<Recurrence> Rule =
        from frequency in Gen.Int[0, 5].Select(f => (RecurrenceFrequency)f)
        from start in Date
        from zone in Gen.OneOf(Zones)
        from interval in Gen.Frequency((6, Gen.Int[1, 4]), (1, Gen.Int[5, 30]))
        from days in Day.Array[1, 7]
        from dayOfMonth in Gen.Int[1, 31]
        from monthDay in MonthDay
        from index in Gen.Int[0, 4].Select(i => (WeekIndex)i)
        from firstDayOfWeek in Day
        from end in End
        from deleted in Gen.Int[0, 400].Array[0, 3]
        select Create(frequency, start, zone, interval, days, dayOfMonth, monthDay, index, firstDayOfWeek, end, deleted);

    public static Recurrence With(Recurrence rule, LocalDate start, IEnumerable<LocalDate>? deleted = null)
        => new(rule.Frequency, start, rule.TimeZoneId, rule.Interval, rule.DaysOfWeek, rule.DayOfMonth, rule.Month, rule.Index,
            rule.FirstDayOfWeek, rule.EndDate, rule.NumberOfOccurrences, deleted ?? rule.DeletedOccurrences);

    private static Recurrence Create(
        RecurrenceFrequency frequency, LocalDate start, string zone, int interval, IsoDayOfWeek[] days, int dayOfMonth,
        (int Month, int Day) monthDay, WeekIndex index, IsoDayOfWeek firstDayOfWeek, (int? Count, int? EndDays) end, int[] deleted)
    {
        bool weekly = frequency == RecurrenceFrequency.Weekly;
        bool relative = frequency is RecurrenceFrequency.RelativeMonthly or RecurrenceFrequency.RelativeYearly;
        bool yearly = frequency is RecurrenceFrequency.AbsoluteYearly or RecurrenceFrequency.RelativeYearly;
        return new Recurrence(
            frequency,
            start,
            zone,
            interval,
            weekly || relative ? days : null,
            frequency == RecurrenceFrequency.AbsoluteMonthly ? dayOfMonth : frequency == RecurrenceFrequency.AbsoluteYearly ? monthDay.Day : null,
            yearly ? monthDay.Month : null,
            relative ? index : null,
            firstDayOfWeek,
            end.EndDays is { } endDays ? start.PlusDays(endDays) : null,
            end.Count,
            deleted.Select(start.PlusDays));
    }

    private static int OutlookMonthDaysLongest(int month) => month == 2 ? 29 : CalendarSystem.Iso.GetDaysInMonth(2021, month);
}
