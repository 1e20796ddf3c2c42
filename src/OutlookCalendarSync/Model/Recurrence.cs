using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Model;

/// <summary>
/// The rule of a recurring series, limited to what both RFC 5545 RRULE and Outlook's <c>patternedRecurrence</c> can express,
/// with the occurrences deleted from the series.
/// </summary>
/// <remarks>
/// A series is a master <see cref="CalendarEvent"/> with a recurrence. A modified occurrence is a separate event with
/// <see cref="CalendarEvent.SeriesMasterId"/> and <see cref="CalendarEvent.OriginalStart"/>; a deleted occurrence is a date in
/// <see cref="DeletedOccurrences"/>. Equality is by value, with days of the week and deleted occurrences compared as sets.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class Recurrence : IEquatable<Recurrence>
{
    /// <summary>Creates a rule.</summary>
    /// <param name="frequency">The kind of recurrence.</param>
    /// <param name="startDate">The date of the first occurrence.</param>
    /// <param name="timeZoneId">The series' time zone, an IANA id; occurrences keep their local time across daylight-saving changes.</param>
    /// <param name="interval">Every how many days, weeks, months or years; at least 1.</param>
    /// <param name="daysOfWeek">The days for weekly and relative rules.</param>
    /// <param name="dayOfMonth">The day of the month for absolute monthly and yearly rules (1 to 31).</param>
    /// <param name="month">The month for yearly rules (1 to 12).</param>
    /// <param name="index">Which weekday of the month for relative rules.</param>
    /// <param name="firstDayOfWeek">The first day of the week for weekly rules with an interval above 1.</param>
    /// <param name="endDate">The last date an occurrence may fall on, or null.</param>
    /// <param name="numberOfOccurrences">How many occurrences the series has, or null.</param>
    /// <param name="deletedOccurrences">The original dates of occurrences deleted from the series.</param>
    /// <exception cref="ArgumentException">The combination cannot be expressed (the message names the field).</exception>
    public Recurrence(
        RecurrenceFrequency frequency,
        LocalDate startDate,
        string timeZoneId,
        int interval = 1,
        IEnumerable<IsoDayOfWeek>? daysOfWeek = null,
        int? dayOfMonth = null,
        int? month = null,
        WeekIndex? index = null,
        IsoDayOfWeek firstDayOfWeek = IsoDayOfWeek.Sunday,
        LocalDate? endDate = null,
        int? numberOfOccurrences = null,
        IEnumerable<LocalDate>? deletedOccurrences = null)
    {
        if (interval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The recurrence interval must be at least 1.");
        }

        if (endDate is not null && numberOfOccurrences is not null)
        {
            throw new ArgumentException("A series ends either on a date or after a number of occurrences, not both: pass one of endDate and numberOfOccurrences.", nameof(numberOfOccurrences));
        }

        if (numberOfOccurrences is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numberOfOccurrences), numberOfOccurrences, "A numbered series has at least one occurrence.");
        }

        if (endDate < startDate)
        {
            throw new ArgumentException($"The series' end date {endDate} is before its start date {startDate}.", nameof(endDate));
        }

        if (dayOfMonth is < 1 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(dayOfMonth), dayOfMonth, "The day of the month must be from 1 to 31.");
        }

        if (month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "The month must be from 1 to 12.");
        }

        IsoDayOfWeek[] days = (daysOfWeek ?? []).Distinct().Order().ToArray();
        if (days.Contains(IsoDayOfWeek.None))
        {
            throw new ArgumentException("IsoDayOfWeek.None is not a day of the week.", nameof(daysOfWeek));
        }

        bool needsDays = frequency is RecurrenceFrequency.Weekly or RecurrenceFrequency.RelativeMonthly or RecurrenceFrequency.RelativeYearly;
        if (needsDays && days.Length == 0)
        {
            throw new ArgumentException($"A {frequency} recurrence needs at least one day of the week.", nameof(daysOfWeek));
        }

        if (frequency is RecurrenceFrequency.AbsoluteMonthly or RecurrenceFrequency.AbsoluteYearly && dayOfMonth is null)
        {
            throw new ArgumentException($"An {frequency} recurrence needs a day of the month.", nameof(dayOfMonth));
        }

        if (frequency is RecurrenceFrequency.AbsoluteYearly or RecurrenceFrequency.RelativeYearly && month is null)
        {
            throw new ArgumentException($"A {frequency} recurrence needs a month.", nameof(month));
        }

        Frequency = frequency;
        StartDate = startDate;
        TimeZoneId = TimeZones.Resolve(timeZoneId, nameof(timeZoneId)).Id;
        Interval = interval;
        DaysOfWeek = days;
        DayOfMonth = dayOfMonth;
        Month = month;
        Index = frequency is RecurrenceFrequency.RelativeMonthly or RecurrenceFrequency.RelativeYearly ? index ?? WeekIndex.First : null;
        FirstDayOfWeek = firstDayOfWeek == IsoDayOfWeek.None ? IsoDayOfWeek.Sunday : firstDayOfWeek;
        EndDate = endDate;
        NumberOfOccurrences = numberOfOccurrences;
        DeletedOccurrences = (deletedOccurrences ?? []).Distinct().Order().ToArray();
    }

    /// <summary>The kind of recurrence.</summary>
    public RecurrenceFrequency Frequency { get; }

    /// <summary>The date of the first occurrence.</summary>
    public LocalDate StartDate { get; }

    /// <summary>The series' IANA time zone id.</summary>
    public string TimeZoneId { get; }

    /// <summary>Every how many days, weeks, months or years.</summary>
    public int Interval { get; }

    /// <summary>The days of the week, in ascending order, without repeats.</summary>
    public IReadOnlyList<IsoDayOfWeek> DaysOfWeek { get; }

    /// <summary>The day of the month of absolute rules.</summary>
    public int? DayOfMonth { get; }

    /// <summary>The month of yearly rules.</summary>
    public int? Month { get; }

    /// <summary>Which weekday of the month, for relative rules.</summary>
    public WeekIndex? Index { get; }

    /// <summary>The first day of the week.</summary>
    public IsoDayOfWeek FirstDayOfWeek { get; }

    /// <summary>The last date an occurrence may fall on, or null.</summary>
    public LocalDate? EndDate { get; }

    /// <summary>How many occurrences the series has, or null.</summary>
    public int? NumberOfOccurrences { get; }

    /// <summary>True when the series never ends.</summary>
    public bool IsEndless => EndDate is null && NumberOfOccurrences is null;

    /// <summary>The original dates of deleted occurrences, ascending.</summary>
    public IReadOnlyList<LocalDate> DeletedOccurrences { get; }

    /// <summary>Returns this rule with one more deleted occurrence.</summary>
    /// <param name="originalDate">The date the deleted occurrence was on.</param>
    /// <returns>The new rule.</returns>
    public Recurrence WithDeletedOccurrence(LocalDate originalDate)
        => new(Frequency, StartDate, TimeZoneId, Interval, DaysOfWeek, DayOfMonth, Month, Index, FirstDayOfWeek, EndDate, NumberOfOccurrences, DeletedOccurrences.Append(originalDate));

    /// <summary>Returns this rule with other deleted occurrences (none to restore every occurrence).</summary>
    /// <param name="originalDates">The dates the deleted occurrences were on.</param>
    /// <returns>The new rule.</returns>
    internal Recurrence WithDeletedOccurrences(IEnumerable<LocalDate> originalDates)
        => new(Frequency, StartDate, TimeZoneId, Interval, DaysOfWeek, DayOfMonth, Month, Index, FirstDayOfWeek, EndDate, NumberOfOccurrences, Guard.NotNull(originalDates));

    /// <summary>Whether two rules give the same occurrences before deletions: equal in everything but the deleted occurrences.</summary>
    /// <param name="other">The rule to compare with.</param>
    /// <returns>True when only the deleted occurrences may differ.</returns>
    internal bool HasSamePatternAs(Recurrence other)
        => Guard.NotNull(other) is { } o
           && Frequency == o.Frequency && StartDate == o.StartDate && TimeZoneId == o.TimeZoneId
           && Interval == o.Interval && DaysOfWeek.SequenceEqual(o.DaysOfWeek) && DayOfMonth == o.DayOfMonth
           && Month == o.Month && Index == o.Index && FirstDayOfWeek == o.FirstDayOfWeek
           && EndDate == o.EndDate && NumberOfOccurrences == o.NumberOfOccurrences;

    /// <inheritdoc />
    public bool Equals(Recurrence? other)
        => other is not null && HasSamePatternAs(other) && DeletedOccurrences.SequenceEqual(other.DeletedOccurrences);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Recurrence);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Frequency, StartDate, TimeZoneId, Interval, DaysOfWeek.Count, EndDate, NumberOfOccurrences, DeletedOccurrences.Count);

    /// <inheritdoc />
    public override string ToString()
    {
        string end = EndDate is { } until ? $" until {until:uuuu-MM-dd}" : NumberOfOccurrences is { } count ? $" x{count}" : " forever";
        return $"{Frequency} every {Interval} from {StartDate:uuuu-MM-dd} ({TimeZoneId}){end}";
    }

    internal void AddTo(ref StableHash hash)
    {
        hash.Add((long)Frequency);
        hash.Add(StableHash.DateKey(StartDate));
        hash.Add(TimeZoneId);
        hash.Add(Interval);
        foreach (IsoDayOfWeek day in DaysOfWeek)
        {
            hash.Add((long)day);
        }

        hash.Add(DayOfMonth ?? -1);
        hash.Add(Month ?? -1);
        hash.Add(Index is { } i ? (long)i : -1);
        hash.Add((long)FirstDayOfWeek);
        hash.Add(EndDate is { } e ? StableHash.DateKey(e) : -1);
        hash.Add(NumberOfOccurrences ?? -1);
        foreach (LocalDate deleted in DeletedOccurrences)
        {
            hash.Add(StableHash.DateKey(deleted));
        }
    }
}
