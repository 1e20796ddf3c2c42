using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Tests.Recurrences;

/// <summary>Examples of <see cref="RRule"/> in both directions: the written form, and what hosts' rules read as.</summary>
public sealed class RRuleConversionTests
{
    private const string Berlin = "Europe/Berlin";
    private static readonly LocalDate Start = new(2026, 1, 5);

    [Fact]
    public void ToRRule_EveryOtherWeekUntilDate_WritesTheIssueExample()
    {
        var rule = new Recurrence(RecurrenceFrequency.Weekly, Start, Berlin, interval: 2, daysOfWeek: [IsoDayOfWeek.Wednesday, IsoDayOfWeek.Monday], endDate: new LocalDate(2027, 1, 1));

        Assert.Equal("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU;UNTIL=20270101", RRule.ToRRule(rule));
    }

    [Fact]
    public void ToRRule_TimedSeriesWithEndDate_WritesUntilAsUtcDateTimeOfTheLastStart()
    {
        var rule = new Recurrence(RecurrenceFrequency.Daily, Start, Berlin, endDate: new LocalDate(2026, 7, 1));

        Assert.Equal("FREQ=DAILY;UNTIL=20260701T070000Z", RRule.ToRRule(rule, new LocalTime(9, 0)));
    }

    [Theory]
    [InlineData(RecurrenceFrequency.RelativeMonthly, WeekIndex.Second, null, "FREQ=MONTHLY;BYDAY=2TU")]
    [InlineData(RecurrenceFrequency.RelativeMonthly, WeekIndex.Last, null, "FREQ=MONTHLY;BYDAY=-1TU")]
    [InlineData(RecurrenceFrequency.RelativeYearly, WeekIndex.Fourth, 11, "FREQ=YEARLY;BYMONTH=11;BYDAY=4TU")]
    public void ToRRule_RelativeRuleOnOneDay_WritesNumberedWeekday(RecurrenceFrequency frequency, WeekIndex index, int? month, string expected)
    {
        var rule = new Recurrence(frequency, Start, Berlin, daysOfWeek: [IsoDayOfWeek.Tuesday], month: month, index: index);

        Assert.Equal(expected, RRule.ToRRule(rule));
    }

    [Fact]
    public void ToRRule_RelativeRuleOnSeveralDays_WritesBySetPos()
    {
        IsoDayOfWeek[] weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];
        var rule = new Recurrence(RecurrenceFrequency.RelativeMonthly, Start, Berlin, daysOfWeek: weekdays, index: WeekIndex.Last);

        Assert.Equal("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", RRule.ToRRule(rule));
    }

    [Theory]
    [InlineData(15, null, "FREQ=MONTHLY;BYMONTHDAY=15")]
    [InlineData(28, null, "FREQ=MONTHLY;BYMONTHDAY=28")]
    [InlineData(29, null, "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1")]
    [InlineData(30, null, "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1")]
    [InlineData(31, null, "FREQ=MONTHLY;BYMONTHDAY=-1")]
    [InlineData(29, 2, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1")]
    [InlineData(28, 2, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28")]
    [InlineData(30, 4, "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=30")]
    [InlineData(31, 1, "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31")]
    public void ToRRule_DayMissingFromSomeMonths_WritesOutlooksLastDayFallback(int day, int? month, string expected)
    {
        var rule = new Recurrence(month is null ? RecurrenceFrequency.AbsoluteMonthly : RecurrenceFrequency.AbsoluteYearly, Start, Berlin, dayOfMonth: day, month: month);

        Assert.Equal(expected, RRule.ToRRule(rule));
    }

    [Theory]
    [InlineData("FREQ=WEEKLY;BYDAY=MO", IsoDayOfWeek.Monday)]
    [InlineData("FREQ=WEEKLY;BYDAY=MO;WKST=SU", IsoDayOfWeek.Sunday)]
    public void FromRRule_WeeklyWeekStart_DefaultsToRfcMonday(string rrule, IsoDayOfWeek expected)
        => Assert.Equal(expected, RRule.FromRRule(rrule, Start, Berlin).FirstDayOfWeek);

    [Fact]
    public void FromRRule_PrefixAndLowerCase_AreAccepted()
    {
        Recurrence rule = RRule.FromRRule("  rrule:freq=monthly;byday=2tu;count=5; ", Start, Berlin);

        Assert.Equal(new Recurrence(RecurrenceFrequency.RelativeMonthly, Start, Berlin, daysOfWeek: [IsoDayOfWeek.Tuesday], index: WeekIndex.Second, numberOfOccurrences: 5), rule);
    }

    [Theory]
    [InlineData("FREQ=MONTHLY;BYDAY=2TU")]
    [InlineData("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2")]
    public void FromRRule_SecondTuesday_IsRelativeMonthlySecondTuesday(string rrule)
        => Assert.Equal(
            new Recurrence(RecurrenceFrequency.RelativeMonthly, Start, Berlin, daysOfWeek: [IsoDayOfWeek.Tuesday], index: WeekIndex.Second),
            RRule.FromRRule(rrule, Start, Berlin));

    [Theory]
    [InlineData("FREQ=MONTHLY;BYDAY=-1FR")]
    [InlineData("FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1")]
    public void FromRRule_LastFriday_IsRelativeMonthlyLast(string rrule)
        => Assert.Equal(WeekIndex.Last, RRule.FromRRule(rrule, Start, Berlin).Index);

    [Theory]
    [InlineData("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH")]
    [InlineData("FREQ=YEARLY;BYMONTH=11;BYDAY=TH;BYSETPOS=4")]
    public void FromRRule_YearlyWithMonthAndNumberedDay_IsRelativeYearly(string rrule)
        => Assert.Equal(
            new Recurrence(RecurrenceFrequency.RelativeYearly, Start, Berlin, daysOfWeek: [IsoDayOfWeek.Thursday], month: 11, index: WeekIndex.Fourth),
            RRule.FromRRule(rrule, Start, Berlin));

    [Theory]
    [InlineData("FREQ=MONTHLY", RecurrenceFrequency.AbsoluteMonthly, 5, null)]
    [InlineData("FREQ=YEARLY", RecurrenceFrequency.AbsoluteYearly, 5, 1)]
    [InlineData("FREQ=YEARLY;BYMONTH=3", RecurrenceFrequency.AbsoluteYearly, 5, 3)]
    [InlineData("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=17", RecurrenceFrequency.AbsoluteYearly, 17, 3)]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=31", RecurrenceFrequency.AbsoluteMonthly, 31, null)]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=-1", RecurrenceFrequency.AbsoluteMonthly, 31, null)]
    [InlineData("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", RecurrenceFrequency.AbsoluteYearly, 29, 2)]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=30,28,29;BYSETPOS=-1", RecurrenceFrequency.AbsoluteMonthly, 30, null)]
    public void FromRRule_AbsoluteRule_TakesMissingPartsFromTheStart(string rrule, RecurrenceFrequency frequency, int day, int? month)
    {
        Recurrence rule = RRule.FromRRule(rrule, Start, Berlin);

        Assert.Equal((frequency, day, month), (rule.Frequency, rule.DayOfMonth!.Value, rule.Month));
    }

    [Fact]
    public void FromRRule_WeeklyWithoutDays_RepeatsOnTheStartsWeekday()
        => Assert.Equal([IsoDayOfWeek.Monday], RRule.FromRRule("FREQ=WEEKLY", Start, Berlin).DaysOfWeek);

    [Fact]
    public void FromRRule_DailyOnWeekdays_IsOutlooksEveryWeekday()
    {
        Recurrence rule = RRule.FromRRule("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", Start, Berlin);

        Assert.Equal(RecurrenceFrequency.Weekly, rule.Frequency);
        Assert.Equal(5, rule.DaysOfWeek.Count);
    }

    [Theory]
    [InlineData("FREQ=DAILY;UNTIL=20260301", 2026, 3, 1)]
    [InlineData("FREQ=DAILY;UNTIL=20260301T120000", 2026, 3, 1)]
    [InlineData("FREQ=DAILY;UNTIL=20260301T083000Z", 2026, 3, 1)]
    [InlineData("FREQ=DAILY;UNTIL=20260301T233000Z", 2026, 3, 2)]
    public void FromRRule_Until_IsTheDateInTheSeriesZone(string rrule, int year, int month, int day)
        => Assert.Equal(new LocalDate(year, month, day), RRule.FromRRule(rrule, Start, Berlin).EndDate);

    [Fact]
    public void FromRRule_UtcUntilWestOfUtc_IsThePreviousLocalDate()
        => Assert.Equal(new LocalDate(1997, 12, 23), RRule.FromRRule("FREQ=DAILY;UNTIL=19971224T000000Z", new LocalDate(1997, 9, 2), "America/New_York").EndDate);

    [Fact]
    public void FromRRule_ExceptionDates_BecomeDeletedOccurrences()
        => Assert.Equal(
            [new LocalDate(2026, 1, 12), new LocalDate(2026, 1, 19)],
            RRule.FromRRule("FREQ=WEEKLY;BYDAY=MO", Start, Berlin, [new LocalDate(2026, 1, 19), new LocalDate(2026, 1, 12)]).DeletedOccurrences);

    [Fact]
    public void ToExDate_AllDayAndTimed_WritesDateOrZonedDateTimes()
    {
        var rule = new Recurrence(RecurrenceFrequency.Weekly, Start, Berlin, daysOfWeek: [IsoDayOfWeek.Monday], deletedOccurrences: [new LocalDate(2026, 1, 19), new LocalDate(2026, 1, 12)]);

        Assert.Equal("EXDATE;VALUE=DATE:20260112,20260119", RRule.ToExDate(rule));
        Assert.Equal("EXDATE;TZID=Europe/Berlin:20260112T090000,20260119T090000", RRule.ToExDate(rule, new LocalTime(9, 0)));
        Assert.Null(RRule.ToExDate(new Recurrence(RecurrenceFrequency.Daily, Start, Berlin)));
    }

    [Theory]
    [InlineData("EXDATE;TZID=America/New_York:20260112T200000", 2026, 1, 13)]
    [InlineData("EXDATE:20260112T233000Z", 2026, 1, 13)]
    [InlineData("20260112", 2026, 1, 12)]
    public void ParseExDate_OtherZoneOrUtc_ConvertsToTheSeriesZone(string exdate, int year, int month, int day)
        => Assert.Equal([new LocalDate(year, month, day)], RRule.ParseExDate(exdate, Berlin));
}
