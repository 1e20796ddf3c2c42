using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Tests.Model;

public sealed class ValidationTests
{
    [Fact]
    public void Timed_EndBeforeStart_ThrowsNamingTheEnd()
    {
        var ex = Assert.Throws<ArgumentException>(() => EventTiming.Timed(new LocalDateTime(2026, 1, 1, 10, 0), new LocalDateTime(2026, 1, 1, 9, 0), "Europe/Berlin"));
        Assert.Equal("end", ex.ParamName);
        Assert.Contains("before its start", ex.Message);
    }

    [Fact]
    public void Timed_UnknownTimeZone_ThrowsWithExamples()
    {
        var ex = Assert.Throws<ArgumentException>(() => EventTiming.Timed(new LocalDateTime(2026, 1, 1, 9, 0), new LocalDateTime(2026, 1, 1, 10, 0), "Mars/Olympus"));
        Assert.Equal("timeZoneId", ex.ParamName);
        Assert.Contains("Europe/Berlin", ex.Message);
    }

    [Fact]
    public void Timed_WindowsTimeZoneId_IsMappedToIana()
    {
        EventTiming timing = EventTiming.Timed(new LocalDateTime(2026, 1, 1, 9, 0), new LocalDateTime(2026, 1, 1, 10, 0), "W. Europe Standard Time");
        Assert.Equal("Europe/Berlin", timing.TimeZoneId);
    }

    [Fact]
    public void Timed_AcrossDaylightSavingChange_KeepsLocalTimes()
    {
        EventTiming timing = EventTiming.Timed(new LocalDateTime(2026, 3, 29, 1, 0), new LocalDateTime(2026, 3, 29, 4, 0), "Europe/Berlin");
        Assert.Equal(Duration.FromHours(2), timing.EndInstant - timing.StartInstant);
    }

    [Fact]
    public void Timed_InsideTheSpringForwardGap_MovesToTheEndOfTheGapInsteadOfThrowing()
    {
        // Found by the benchmark's generated events: 02:30 → 03:00 on the March change used to throw "end before start".
        EventTiming timing = EventTiming.Timed(new LocalDateTime(2026, 3, 29, 2, 30), new LocalDateTime(2026, 3, 29, 3, 0), "Europe/Berlin");
        Assert.Equal(new LocalDateTime(2026, 3, 29, 3, 0), timing.Start.LocalDateTime);
        Assert.Equal(timing.StartInstant, timing.EndInstant);
    }

    [Fact]
    public void AllDay_EndNotAfterStart_ExplainsTheExclusiveEnd()
    {
        var ex = Assert.Throws<ArgumentException>(() => EventTiming.AllDay(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 1)));
        Assert.Contains("exclusive", ex.Message);
        Assert.Contains("2026-01-02", ex.Message);
    }

    [Fact]
    public void AllDay_ReadingZonedStart_Throws()
        => Assert.Throws<InvalidOperationException>(() => EventTiming.AllDay(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 2)).Start);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("no-at-sign")]
    [InlineData("@example.com")]
    public void EmailAddress_Invalid_Throws(string address)
        => Assert.Throws<ArgumentException>(() => new EmailAddress(address));

    [Fact]
    public void Attendee_WithoutEmail_SaysWhatToDo()
    {
        var ex = Assert.Throws<ArgumentException>(() => Attendee.Create(""));
        Assert.Contains("without an email address cannot be synced", ex.Message);
    }

    [Fact]
    public void Recurrence_WeeklyWithoutDays_Throws()
        => Assert.Contains("day of the week", Assert.Throws<ArgumentException>(() => new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 1, 1), "Europe/Berlin")).Message);

    [Fact]
    public void Recurrence_EndDateAndCount_Throws()
        => Assert.Throws<ArgumentException>(() => new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 1, 1), "UTC", endDate: new LocalDate(2026, 2, 1), numberOfOccurrences: 3));

    [Fact]
    public void Recurrence_Equality_ComparesDaysAsSets()
    {
        var a = new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 1, 1), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Friday, IsoDayOfWeek.Monday]);
        var b = new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 1, 1), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Friday, IsoDayOfWeek.Monday]);
        Assert.Equal(a, b);
        Assert.True(a.IsEndless);
    }
}
