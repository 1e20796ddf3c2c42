using System.Diagnostics;
using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Tests.Recurrences;

/// <summary>Expansion with Outlook's semantics: local time across DST, all-day dates, deletions, counts, windows, day 31.</summary>
public sealed class RecurrenceExpanderTests
{
    private const string Berlin = "Europe/Berlin";
    private static readonly Interval Always = new(null, null);

    [Fact]
    public void Expand_WeeklyNineOClockBerlinAcrossMarchChange_StaysAtNineLocal()
    {
        // Clocks in Berlin go forward on 29 March 2026.
        var rule = new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 16), Berlin, daysOfWeek: [IsoDayOfWeek.Monday], numberOfOccurrences: 4);
        EventTiming master = EventTiming.Timed(new LocalDateTime(2026, 3, 16, 9, 0), new LocalDateTime(2026, 3, 16, 10, 0), Berlin);

        List<SeriesOccurrence> occurrences = RecurrenceExpander.Expand(rule, master, Always).ToList();

        Assert.All(occurrences, o => Assert.Equal(new LocalTime(9, 0), o.Timing.Start.TimeOfDay));
        Assert.All(occurrences, o => Assert.Equal(new LocalTime(10, 0), o.Timing.End.TimeOfDay));
        Assert.Equal(
            [Instant.FromUtc(2026, 3, 16, 8, 0), Instant.FromUtc(2026, 3, 23, 8, 0), Instant.FromUtc(2026, 3, 30, 7, 0), Instant.FromUtc(2026, 4, 6, 7, 0)],
            occurrences.Select(o => o.OriginalStart));
    }

    [Fact]
    public void Expand_MasterGivenInAnotherZone_KeepsTheLocalTimeOfTheSeriesZone()
    {
        var rule = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 3, 28), Berlin, numberOfOccurrences: 2);
        ZonedDateTime start = Instant.FromUtc(2026, 3, 28, 8, 0).InUtc();
        EventTiming master = EventTiming.Timed(start, start.Plus(Duration.FromMinutes(30)));

        List<SeriesOccurrence> occurrences = RecurrenceExpander.Expand(rule, master, Always).ToList();

        Assert.Equal([Instant.FromUtc(2026, 3, 28, 8, 0), Instant.FromUtc(2026, 3, 29, 7, 0)], occurrences.Select(o => o.OriginalStart));
        Assert.All(occurrences, o => Assert.Equal("UTC", o.Timing.End.Zone.Id));
    }

    [Fact]
    public void Expand_StartTimeInTheSpringGap_MovesToTheEndOfTheGap()
    {
        var rule = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 3, 28), Berlin, numberOfOccurrences: 3);

        List<LocalDateTime> starts = RecurrenceExpander.Expand(rule, new LocalTime(2, 30), Duration.FromHours(1), Always)
            .Select(o => o.Timing.Start.LocalDateTime).ToList();

        Assert.Equal([new LocalDateTime(2026, 3, 28, 2, 30), new LocalDateTime(2026, 3, 29, 3, 0), new LocalDateTime(2026, 3, 30, 2, 30)], starts);
    }

    [Fact]
    public void Expand_AllDaySeriesAcrossDstChanges_StaysOnItsDates()
    {
        var rule = new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 20), Berlin, daysOfWeek: [IsoDayOfWeek.Friday], endDate: new LocalDate(2026, 11, 6));
        EventTiming master = EventTiming.AllDay(new LocalDate(2026, 3, 20), new LocalDate(2026, 3, 22));

        List<SeriesOccurrence> occurrences = RecurrenceExpander.Expand(rule, master, Always).ToList();

        Assert.Equal(34, occurrences.Count);
        Assert.All(occurrences, o =>
        {
            Assert.True(o.Timing.IsAllDay);
            Assert.Equal(IsoDayOfWeek.Friday, o.Timing.StartDate.DayOfWeek);
            Assert.Equal(o.OriginalDate, o.Timing.StartDate);
            Assert.Equal(o.Timing.StartDate.PlusDays(2), o.Timing.EndDate);
        });
        Assert.Equal(new LocalDate(2026, 11, 6), occurrences[^1].OriginalDate);
    }

    [Fact]
    public void Expand_DeletedFirstMiddleAndLast_SkipsThemButStillCountsThem()
    {
        var rule = new Recurrence(
            RecurrenceFrequency.Daily, new LocalDate(2026, 5, 1), Berlin, numberOfOccurrences: 5,
            deletedOccurrences: [new LocalDate(2026, 5, 1), new LocalDate(2026, 5, 3), new LocalDate(2026, 5, 5)]);

        Assert.Equal([new LocalDate(2026, 5, 2), new LocalDate(2026, 5, 4)], RecurrenceExpander.OccurrenceDates(rule));
    }

    [Fact]
    public void Expand_CountedSeriesWithLaterWindow_CountsFromTheStart()
    {
        var rule = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 1, 1), "UTC", numberOfOccurrences: 10);
        var window = new Interval(Instant.FromUtc(2026, 1, 5, 0, 0), Instant.FromUtc(2026, 1, 20, 0, 0));

        List<LocalDate> dates = RecurrenceExpander.Expand(rule, new LocalTime(9, 0), Duration.FromHours(1), window).Select(o => o.OriginalDate).ToList();

        Assert.Equal(Enumerable.Range(5, 6).Select(day => new LocalDate(2026, 1, day)), dates);
    }

    [Fact]
    public void Expand_OccurrenceRunningIntoTheWindow_IsIncluded()
    {
        var rule = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 1, 1), "UTC");
        var window = new Interval(Instant.FromUtc(2026, 1, 2, 10, 0), Instant.FromUtc(2026, 1, 2, 11, 0));

        List<LocalDate> dates = RecurrenceExpander.Expand(rule, new LocalTime(9, 0), Duration.FromHours(2), window).Select(o => o.OriginalDate).ToList();

        Assert.Equal([new LocalDate(2026, 1, 2)], dates);
    }

    [Fact]
    public void Expand_NeverEndingDailySeriesOverFiveYears_HasEveryDayWithoutCapQuickly()
    {
        var rule = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 1, 1), Berlin);
        var window = new Interval(Instant.FromUtc(2025, 12, 31, 0, 0), Instant.FromUtc(2031, 1, 1, 0, 0));
        var stopwatch = Stopwatch.StartNew();

        List<SeriesOccurrence> occurrences = RecurrenceExpander.Expand(rule, new LocalTime(9, 0), Duration.FromHours(1), window).ToList();

        stopwatch.Stop();
        Assert.Equal(1826, occurrences.Count);
        Assert.Equal(new LocalDate(2030, 12, 31), occurrences[^1].OriginalDate);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"Expanding five years took {stopwatch.Elapsed}.");
    }

    [Fact]
    public void OccurrenceDates_NeverEndingSeries_IsLazyAndUncapped()
    {
        var rule = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 1, 1), Berlin);

        Assert.Equal(new LocalDate(2026, 1, 1).PlusDays(99_999), RecurrenceExpander.OccurrenceDates(rule).Skip(99_999).First());
    }

    [Fact]
    public void OccurrenceDates_HugeInterval_EndsAtTheCalendarsLimit()
    {
        var rule = new Recurrence(RecurrenceFrequency.AbsoluteYearly, new LocalDate(2026, 1, 1), Berlin, interval: int.MaxValue, dayOfMonth: 1, month: 1);

        Assert.Equal([new LocalDate(2026, 1, 1)], RecurrenceExpander.OccurrenceDates(rule));
    }

    [Fact]
    public void OccurrenceDates_MonthlyOnDay31_FallsOnTheLastDayOfShorterMonthsAsOutlookDoes()
    {
        var rule = new Recurrence(RecurrenceFrequency.AbsoluteMonthly, new LocalDate(2026, 1, 31), Berlin, dayOfMonth: 31, numberOfOccurrences: 6);

        Assert.Equal(
            [new(2026, 1, 31), new(2026, 2, 28), new(2026, 3, 31), new(2026, 4, 30), new(2026, 5, 31), new LocalDate(2026, 6, 30)],
            RecurrenceExpander.OccurrenceDates(rule));
    }

    [Fact]
    public void OccurrenceDates_YearlyOnFebruary29_FallsOnFebruary28InCommonYears()
    {
        Recurrence rule = RRule.FromRRule("FREQ=YEARLY;COUNT=5", new LocalDate(2024, 2, 29), Berlin);

        Assert.Equal(
            [new(2024, 2, 29), new(2025, 2, 28), new(2026, 2, 28), new(2027, 2, 28), new LocalDate(2028, 2, 29)],
            RecurrenceExpander.OccurrenceDates(rule));
    }

    [Fact]
    public void OccurrenceDates_StartOffThePattern_BeginsAtTheFirstPatternDate()
    {
        // 7 January 2026 is a Wednesday; Outlook's first occurrence is the Monday after, not the start date.
        Recurrence rule = RRule.FromRRule("FREQ=WEEKLY;BYDAY=MO;COUNT=2", new LocalDate(2026, 1, 7), Berlin);

        Assert.Equal([new(2026, 1, 12), new LocalDate(2026, 1, 19)], RecurrenceExpander.OccurrenceDates(rule));
    }

    [Fact]
    public void OccurrenceDates_FirstWeekdayOfTheMonth_PicksMondayToFriday()
    {
        Recurrence rule = RRule.FromRRule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1;COUNT=3", new LocalDate(2026, 2, 1), Berlin);

        Assert.Equal([new(2026, 2, 2), new(2026, 3, 2), new LocalDate(2026, 4, 1)], RecurrenceExpander.OccurrenceDates(rule));
    }

    [Fact]
    public void Expand_NegativeLength_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => RecurrenceExpander.Expand(new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 1, 1), "UTC"), new LocalTime(9, 0), Duration.FromHours(-1), Always));
}
