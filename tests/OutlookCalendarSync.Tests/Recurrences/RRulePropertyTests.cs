using CsCheck;
using Ical.Net.DataTypes;
using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;
using IcalEvent = Ical.Net.CalendarComponents.CalendarEvent;

namespace OutlookCalendarSync.Tests.Recurrences;

/// <summary>
/// Round trips RRULE ⇄ <see cref="Recurrence"/> over random valid rules, and the written RRULE against an independent RFC 5545
/// expander (Ical.Net): our Outlook expansion and Ical.Net's expansion of <see cref="RRule.ToRRule"/> give the same dates.
/// </summary>
// Ical.Net's expansion is the oracle here; it is not known to be thread-safe, and one run failed once under a full parallel
// test run without a reproducible counter-example (100,000 single-process iterations pass), so these run alone, on one thread.
[Collection(nameof(RRulePropertyTests))]
[CollectionDefinition(nameof(RRulePropertyTests), DisableParallelization = true)]
public sealed class RRulePropertyTests
{
    private static readonly LocalTime NineAm = new(9, 0);

    /// <summary>The normal count, or OCS_PROPERTY_ITERATIONS when set (as for the sync property tests).</summary>
    private static int Iterations(int normal)
        => int.TryParse(Environment.GetEnvironmentVariable("OCS_PROPERTY_ITERATIONS"), out int n) && n > 0 ? n : normal;

    [Fact]
    public void FromRRule_OfToRRule_GivesAnEqualRule()
        => RecurrenceGen.Rule.Sample(
            rule =>
            {
                string rrule = RRule.ToRRule(rule);
                Assert.Equal(rule, RRule.FromRRule(rrule, rule.StartDate, rule.TimeZoneId, rule.DeletedOccurrences));
            },
            iter: Iterations(5_000),
            print: Describe);

    [Fact]
    public void FromRRule_OfToRRuleWithStartTime_GivesAnEqualRule()
        => RecurrenceGen.Rule.Sample(
            rule =>
            {
                string rrule = "RRULE:" + RRule.ToRRule(rule, NineAm).ToLowerInvariant();
                Assert.Equal(rule, RRule.FromRRule(rrule, rule.StartDate, rule.TimeZoneId, rule.DeletedOccurrences));
            },
            iter: Iterations(2_000),
            print: Describe);

    [Fact]
    public void ParseExDate_OfToExDate_GivesTheDeletedOccurrences()
        => Gen.Select(RecurrenceGen.Rule, Gen.Bool).Sample(
            (rule, timed) =>
            {
                string? exdate = RRule.ToExDate(rule, timed ? NineAm : null);
                IReadOnlyList<LocalDate> dates = exdate is null ? [] : RRule.ParseExDate(exdate, rule.TimeZoneId);
                Assert.Equal(rule.DeletedOccurrences, dates);
            },
            iter: Iterations(1_000));

    [Fact]
    public void OccurrenceDates_AgreeWithIcalNetExpandingToRRule()
        => Gen.Select(RecurrenceGen.Rule, Gen.Bool).Sample(
            (generated, timed) =>
            {
                // RFC 5545 counts DTSTART as the first occurrence even off the pattern, Outlook does not: start on the pattern.
                LocalDate? first = RecurrenceExpander.OccurrenceDates(RecurrenceGen.With(generated, generated.StartDate, [])).Cast<LocalDate?>().FirstOrDefault();
                if (first is not { } start || generated.EndDate < start)
                {
                    return;
                }

                Recurrence rule = RecurrenceGen.With(generated, start, []);
                string rrule = RRule.ToRRule(rule, timed ? NineAm : null);
                List<LocalDate> ours = RecurrenceExpander.OccurrenceDates(rule).Take(40).ToList();
                List<LocalDate> theirs = IcalNetDates(rrule, rule, timed).Take(40).ToList();
                if (rule.EndDate is { } end && rrule.Contains("BYSETPOS", StringComparison.Ordinal))
                {
                    // Ical.Net 5.2.4 stops a BYSETPOS rule with UNTIL once an interval counted from DTSTART passes UNTIL, losing
                    // e.g. 2 June 2025 of FREQ=YEARLY;BYMONTH=6;BYDAY=MO,TU;BYSETPOS=1;UNTIL=20250604 from 6 June 2022. RFC 5545's
                    // yearly interval is the calendar year: compare with its expansion of the endless rule cut at the end date.
                    Recurrence endless = new(rule.Frequency, rule.StartDate, rule.TimeZoneId, rule.Interval, rule.DaysOfWeek, rule.DayOfMonth, rule.Month, rule.Index, rule.FirstDayOfWeek);
                    theirs = IcalNetDates(RRule.ToRRule(endless), rule, timed).TakeWhile(date => date <= end).Take(40).ToList();
                }

                Assert.NotEmpty(ours);
                Assert.Equal(theirs, ours);
            },
            iter: Iterations(1_000),
            threads: 1,
            print: t => $"{Describe(t.Item1)} timed={t.Item2}");

    private static IEnumerable<LocalDate> IcalNetDates(string rrule, Recurrence rule, bool timed)
    {
        LocalDate start = rule.StartDate;
        var series = new IcalEvent
        {
            DtStart = timed ? new CalDateTime(start.Year, start.Month, start.Day, 9, 0, 0, rule.TimeZoneId) : new CalDateTime(start.Year, start.Month, start.Day),
            RecurrenceRule = new RecurrenceRule(rrule),
        };
        var calendar = new Ical.Net.Calendar();
        calendar.Events.Add(series);
        foreach (Ical.Net.DataTypes.Occurrence occurrence in series.GetOccurrences(null, null))
        {
            CalDateTime time = occurrence.Period.StartTime;
            if (timed)
            {
                Assert.Equal(9, time.Hour);
            }

            yield return new LocalDate(time.Year, time.Month, time.Day);
        }
    }

    private static string Describe(Recurrence rule)
        => $"{rule} days={string.Join(',', rule.DaysOfWeek)} dom={rule.DayOfMonth} month={rule.Month} index={rule.Index} wkst={rule.FirstDayOfWeek} deleted={rule.DeletedOccurrences.Count} rrule={RRule.ToRRule(rule)}";
}
