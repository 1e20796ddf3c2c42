using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Tests.Recurrences;

/// <summary>
/// The examples of RFC 5545 section 3.8.5.3 that Outlook can express, read with <see cref="RRule.FromRRule"/> and expanded
/// with <see cref="RecurrenceExpander"/>; the expected dates are the RFC's. DTSTART is 09:00 America/New_York, so the
/// examples also cross the October 1997 change from EDT to EST and must stay at 09:00 local.
/// </summary>
public sealed class Rfc5545ExampleTests
{
    private const string NewYork = "America/New_York";

    [Fact]
    public void Expand_DailyForTenOccurrences_MatchesRfc()
        => AssertDates("19970902", "FREQ=DAILY;COUNT=10", 100, "1997-09-02 03 04 05 06 07 08 09 10 11");

    [Fact]
    public void Expand_DailyUntilDecember24_MatchesRfc()
    {
        List<LocalDateTime> starts = Starts("19970902", "FREQ=DAILY;UNTIL=19971224T000000Z", 1000);
        Assert.Equal(113, starts.Count);
        Assert.Equal(new LocalDateTime(1997, 9, 2, 9, 0), starts[0]);
        Assert.Equal(new LocalDateTime(1997, 12, 23, 9, 0), starts[^1]);
        Assert.All(starts, start => Assert.Equal(new LocalTime(9, 0), start.TimeOfDay));
    }

    [Fact]
    public void Expand_EveryOtherDayForever_MatchesRfc()
        => AssertDates("19970902", "FREQ=DAILY;INTERVAL=2", 6, "1997-09-02 04 06 08 10 12");

    [Fact]
    public void Expand_EveryTenDaysFiveOccurrences_MatchesRfc()
        => AssertDates("19970902", "FREQ=DAILY;INTERVAL=10;COUNT=5", 100, "1997-09-02 12 22|1997-10-02 12");

    [Fact]
    public void Expand_WeeklyForTenOccurrences_MatchesRfc()
        => AssertDates("19970902", "FREQ=WEEKLY;COUNT=10", 100, "1997-09-02 09 16 23 30|1997-10-07 14 21 28|1997-11-04");

    [Fact]
    public void Expand_WeeklyUntilDecember24_MatchesRfc()
        => AssertDates("19970902", "FREQ=WEEKLY;UNTIL=19971224T000000Z", 100, "1997-09-02 09 16 23 30|1997-10-07 14 21 28|1997-11-04 11 18 25|1997-12-02 09 16 23");

    [Fact]
    public void Expand_EveryOtherWeekForever_MatchesRfc()
        => AssertDates("19970902", "FREQ=WEEKLY;INTERVAL=2;WKST=SU", 13, "1997-09-02 16 30|1997-10-14 28|1997-11-11 25|1997-12-09 23|1998-01-06 20|1998-02-03 17");

    [Theory]
    [InlineData("FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH")]
    [InlineData("FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH")]
    public void Expand_WeeklyOnTuesdayAndThursdayForFiveWeeks_MatchesRfc(string rrule)
        => AssertDates("19970902", rrule, 100, "1997-09-02 04 09 11 16 18 23 25 30|1997-10-02");

    [Fact]
    public void Expand_EveryOtherWeekOnMondayWednesdayFridayUntilDecember24_MatchesRfc()
        => AssertDates(
            "19970901",
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
            100,
            "1997-09-01 03 05 15 17 19 29|1997-10-01 03 13 15 17 27 29 31|1997-11-10 12 14 24 26 28|1997-12-08 10 12 22");

    [Fact]
    public void Expand_EveryOtherWeekOnTuesdayAndThursdayForEight_MatchesRfc()
        => AssertDates("19970902", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", 100, "1997-09-02 04 16 18 30|1997-10-02 14 16");

    [Fact]
    public void Expand_MonthlyOnFirstFridayForTen_MatchesRfc()
        => AssertDates("19970905", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", 100, "1997-09-05|1997-10-03|1997-11-07|1997-12-05|1998-01-02|1998-02-06|1998-03-06|1998-04-03|1998-05-01|1998-06-05");

    [Fact]
    public void Expand_MonthlyOnFirstFridayUntilDecember24_MatchesRfc()
        => AssertDates("19970905", "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR", 100, "1997-09-05|1997-10-03|1997-11-07|1997-12-05");

    [Fact]
    public void Expand_ThirdTuesdayWednesdayOrThursdayForThreeMonths_MatchesRfc()
        => AssertDates("19970904", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", 100, "1997-09-04|1997-10-07|1997-11-06");

    [Theory]
    [InlineData("MO", "1997-08-05 10 19 24")]
    [InlineData("SU", "1997-08-05 17 19 31")]
    public void Expand_WeekStartChangesEveryOtherWeek_MatchesRfc(string weekStart, string expected)
        => AssertDates("19970805", $"FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST={weekStart}", 100, expected);

    [Fact]
    public void Expand_MonthlyOnLastSunday_FallsOnEachMonthsLastSunday()
        => AssertDates("20260125", "FREQ=MONTHLY;BYDAY=-1SU", 5, "2026-01-25|2026-02-22|2026-03-29|2026-04-26|2026-05-31");

    [Fact]
    public void Expand_YearlyOnFourthThursdayOfNovember_FallsOnThanksgiving()
        => AssertDates("20261126", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", 3, "2026-11-26|2027-11-25|2028-11-23");

    [Fact]
    public void Expand_YearlyInJune_FallsOnTheStartDay()
        => AssertDates("19970610", "FREQ=YEARLY;COUNT=3;BYMONTH=6", 100, "1997-06-10|1998-06-10|1999-06-10");

    /// <summary>Expected dates as "1997-09-02 03 04|1997-10-02": days after the first of a group share its year and month.</summary>
    private static void AssertDates(string dtstart, string rrule, int take, string expected)
    {
        List<LocalDate> dates = [];
        foreach (string group in expected.Split('|'))
        {
            string[] items = group.Split(' ');
            LocalDate first = LocalDatePattern.Iso.Parse(items[0]).Value;
            dates.Add(first);
            dates.AddRange(items.Skip(1).Select(day => new LocalDate(first.Year, first.Month, int.Parse(day))));
        }

        List<LocalDateTime> starts = Starts(dtstart, rrule, take);
        Assert.Equal(dates.Select(date => date.At(new LocalTime(9, 0))), starts);
    }

    private static List<LocalDateTime> Starts(string dtstart, string rrule, int take)
    {
        Recurrence rule = RRule.FromRRule(rrule, LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd").Parse(dtstart).Value, NewYork);
        var window = new Interval(Instant.FromUtc(1997, 1, 1, 0, 0), Instant.FromUtc(2030, 1, 1, 0, 0));
        return RecurrenceExpander.Expand(rule, new LocalTime(9, 0), Duration.FromHours(1), window)
            .Take(take)
            .Select(occurrence => occurrence.Timing.Start.LocalDateTime)
            .ToList();
    }
}
