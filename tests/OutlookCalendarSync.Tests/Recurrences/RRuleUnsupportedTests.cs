using NodaTime;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Tests.Recurrences;

/// <summary>Every construct Outlook cannot hold is rejected with a message naming it; malformed rules are format errors.</summary>
public sealed class RRuleUnsupportedTests
{
    private static readonly LocalDate Start = new(2026, 1, 5);

    [Theory]
    [InlineData("FREQ=HOURLY;INTERVAL=3", "FREQ=HOURLY", "at most once a day")]
    [InlineData("FREQ=MINUTELY;INTERVAL=15;COUNT=6", "FREQ=MINUTELY", "at most once a day")]
    [InlineData("FREQ=SECONDLY", "FREQ=SECONDLY", "at most once a day")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1", "BYSETPOS=1,-1", "one position per month")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=2,15", "BYMONTHDAY=2,15", "one series per day of the month")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=1,-1", "BYMONTHDAY=1,-1", "one series per day of the month")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", "BYMONTHDAY=15,30", "one day per month")]
    [InlineData("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "BYDAY=FR;BYMONTHDAY=13", "cannot combine a day of the month with days of the week")]
    [InlineData("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "BYWEEKNO=20", "week-number")]
    [InlineData("FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "BYYEARDAY=1,100,200", "day-of-the-year")]
    [InlineData("FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", "BYHOUR=9,10,11,12,13,14,15,16", "start time")]
    [InlineData("FREQ=DAILY;BYMINUTE=0,20,40", "BYMINUTE=0,20,40", "start time")]
    [InlineData("FREQ=DAILY;BYSECOND=0", "BYSECOND=0", "start time")]
    [InlineData("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "BYMONTH=6,7", "one yearly series per month")]
    [InlineData("FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3", "BYMONTH=1,2,3", "one yearly series per month")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=-3", "BYMONTHDAY=-3", "cannot count back from the end")]
    [InlineData("FREQ=DAILY;COUNT=5;UNTIL=20270101", "COUNT=5;UNTIL=20270101", "keep one of COUNT and UNTIL")]
    [InlineData("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "BYDAY=-2MO", "not position -2")]
    [InlineData("FREQ=MONTHLY;BYDAY=5FR", "BYDAY=5FR", "use -1 for the last")]
    [InlineData("FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "BYDAY=1SU,-1SU", "one series per weekday")]
    [InlineData("FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "BYDAY=TU", "every such weekday of the month")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "BYSETPOS=-2", "not position -2")]
    [InlineData("FREQ=MONTHLY;BYDAY=2TU;BYSETPOS=1", "BYDAY=2TU;BYSETPOS=1", "numbered weekdays with BYSETPOS")]
    [InlineData("FREQ=YEARLY;BYDAY=20MO", "BYDAY=20MO", "add BYMONTH")]
    [InlineData("FREQ=YEARLY;BYMONTHDAY=1", "BYMONTHDAY=1", "add BYMONTH")]
    [InlineData("FREQ=YEARLY;BYMONTH=3;BYDAY=TH", "BYDAY=TH", "every such weekday of the year")]
    [InlineData("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "BYMONTH=2;BYMONTHDAY=30", "never has a day 30")]
    [InlineData("FREQ=WEEKLY;BYMONTH=6,7,8;BYDAY=TH", "FREQ=WEEKLY;BYMONTH=6,7,8", "cannot be limited to some months")]
    [InlineData("FREQ=DAILY;BYMONTH=1", "FREQ=DAILY;BYMONTH=1", "cannot be limited to some months")]
    [InlineData("FREQ=MONTHLY;BYMONTH=1;BYMONTHDAY=5", "FREQ=MONTHLY;BYMONTH=1", "cannot be limited to some months")]
    [InlineData("FREQ=DAILY;BYMONTHDAY=5", "FREQ=DAILY;BYMONTHDAY=5", "no day of the month")]
    [InlineData("FREQ=WEEKLY;BYSETPOS=1;BYDAY=MO", "FREQ=WEEKLY;BYSETPOS=1", "no positions")]
    [InlineData("FREQ=DAILY;INTERVAL=2;BYDAY=MO,FR", "FREQ=DAILY;INTERVAL=2;BYDAY=MO,FR", "use FREQ=WEEKLY")]
    [InlineData("FREQ=WEEKLY;BYDAY=1MO", "BYDAY=1MO", "drop the number")]
    [InlineData("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS=1", "remove it")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=15;BYSETPOS=1", "BYMONTHDAY=15;BYSETPOS=1", "single BYMONTHDAY")]
    [InlineData("FREQ=YEARLY;RSCALE=HEBREW", "RSCALE=HEBREW", "Gregorian")]
    [InlineData("FREQ=DAILY;X-SKIP-HOLIDAYS=TRUE", "X-SKIP-HOLIDAYS=TRUE", "not an RFC 5545 rule part")]
    [InlineData("FREQ=WEEKLY;UNTIL=20251231", "UNTIL=20251231", "before it starts")]
    public void FromRRule_ConstructOutlookCannotHold_ThrowsNamingIt(string rrule, string part, string advice)
    {
        var exception = Assert.Throws<UnsupportedRecurrenceException>(() => RRule.FromRRule(rrule, Start, "Europe/Berlin"));

        Assert.Equal(part, exception.UnsupportedPart);
        Assert.StartsWith($"Outlook cannot express the recurrence rule part {part}: ", exception.Message);
        Assert.Contains(advice, exception.Message);
        Assert.IsAssignableFrom<OutlookCalendarSyncException>(exception);
    }

    [Theory]
    [InlineData("")]
    [InlineData("RRULE:")]
    [InlineData("BYDAY=MO")]
    [InlineData("FREQ=FORTNIGHTLY")]
    [InlineData("FREQ=DAILY;INTERVAL=0")]
    [InlineData("FREQ=DAILY;COUNT=many")]
    [InlineData("FREQ=WEEKLY;BYDAY=XX")]
    [InlineData("FREQ=DAILY;FREQ=WEEKLY")]
    [InlineData("FREQ=DAILY;UNTIL=2027")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=32")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=0")]
    [InlineData("FREQ=YEARLY;BYMONTH=13")]
    [InlineData("FREQ=MONTHLY;BYDAY=0MO")]
    [InlineData("FREQ")]
    public void FromRRule_MalformedRule_ThrowsFormatException(string rrule)
        => Assert.Throws<FormatException>(() => RRule.FromRRule(rrule, Start, "Europe/Berlin"));

    [Fact]
    public void FromRRule_UnknownTimeZone_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() => RRule.FromRRule("FREQ=DAILY", Start, "Mars/Olympus_Mons"));

    [Fact]
    public void ParseExDate_MalformedValue_ThrowsFormatException()
        => Assert.Contains("not an RFC 5545 date", Assert.Throws<FormatException>(() => RRule.ParseExDate("EXDATE:2026-01-05", "UTC")).Message);
}
