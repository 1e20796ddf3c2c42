using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Model;

/// <summary>
/// When an event takes place: either a timed span between two zoned date-times (IANA time zones),
/// or an all-day span of local dates with an exclusive end.
/// </summary>
/// <remarks>
/// All-day events are dates, not instants: an all-day event on 1 March stays on 1 March whatever time zone
/// a reader is in, which is how Outlook treats them too. Create values with <see cref="Timed(ZonedDateTime, ZonedDateTime)"/>,
/// <see cref="Timed(LocalDateTime, LocalDateTime, string)"/> or <see cref="AllDay(LocalDate, LocalDate)"/>.
/// Two timings are equal when both are all-day with the same dates, or both are timed with the same instants
/// and the same time zones.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class EventTiming : IEquatable<EventTiming>
{
    private readonly ZonedDateTime _start;
    private readonly ZonedDateTime _end;

    private EventTiming(ZonedDateTime start, ZonedDateTime end, bool isAllDay, LocalDate startDate, LocalDate endDate)
    {
        _start = start;
        _end = end;
        IsAllDay = isAllDay;
        StartDate = startDate;
        EndDate = endDate;
    }

    /// <summary>True for an all-day event (dates only), false for a timed one.</summary>
    public bool IsAllDay { get; }

    /// <summary>The first date of the event: for a timed event, the start's local date in its zone.</summary>
    public LocalDate StartDate { get; }

    /// <summary>
    /// For an all-day event, the day after its last day (exclusive end); for a timed event, the end's local date in its zone.
    /// </summary>
    public LocalDate EndDate { get; }

    /// <summary>The start of a timed event.</summary>
    /// <exception cref="InvalidOperationException">The event is all-day: read <see cref="StartDate"/> instead.</exception>
    public ZonedDateTime Start => IsAllDay
        ? throw new InvalidOperationException("An all-day event has no zoned start time: read StartDate instead.")
        : _start;

    /// <summary>The end of a timed event.</summary>
    /// <exception cref="InvalidOperationException">The event is all-day: read <see cref="EndDate"/> instead.</exception>
    public ZonedDateTime End => IsAllDay
        ? throw new InvalidOperationException("An all-day event has no zoned end time: read EndDate instead.")
        : _end;

    /// <summary>The IANA time zone id of a timed event's start, or null for an all-day event.</summary>
    public string? TimeZoneId => IsAllDay ? null : _start.Zone.Id;

    /// <summary>
    /// The instant the event starts: for all-day events, the start of its first day in UTC. Used for windows and ordering.
    /// </summary>
    public Instant StartInstant => IsAllDay ? StartDate.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() : _start.ToInstant();

    /// <summary>
    /// The instant the event ends: for all-day events, the start of the exclusive end date in UTC.
    /// </summary>
    public Instant EndInstant => IsAllDay ? EndDate.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() : _end.ToInstant();

    /// <summary>Creates a timed span.</summary>
    /// <param name="start">The start, in its IANA zone.</param>
    /// <param name="end">The end, in its IANA zone (may differ from the start's, as Outlook allows).</param>
    /// <returns>The timing.</returns>
    /// <exception cref="ArgumentException">The end is before the start.</exception>
    public static EventTiming Timed(ZonedDateTime start, ZonedDateTime end)
    {
        if (end.ToInstant() < start.ToInstant())
        {
            throw new ArgumentException(
                $"The event's end ({end}) is before its start ({start}): swap them or fix the end.", nameof(end));
        }

        return new EventTiming(start, end, isAllDay: false, start.Date, end.Date);
    }

    /// <summary>Creates a timed span from local date-times in a time zone given by its IANA id.</summary>
    /// <param name="start">The local start.</param>
    /// <param name="end">The local end.</param>
    /// <param name="timeZoneId">An IANA time zone id such as <c>Europe/Berlin</c>.</param>
    /// <returns>The timing.</returns>
    /// <exception cref="ArgumentException">The zone is unknown, or the end is before the start.</exception>
    /// <remarks>
    /// A local time skipped by a daylight-saving change moves to the end of the gap (02:30 on the March change in Berlin becomes
    /// 03:00); an ambiguous one takes the earlier instant.
    /// </remarks>
    public static EventTiming Timed(LocalDateTime start, LocalDateTime end, string timeZoneId)
    {
        DateTimeZone zone = TimeZones.Resolve(timeZoneId, nameof(timeZoneId));
        return Timed(start.InZone(zone, TimeZones.Lenient), end.InZone(zone, TimeZones.Lenient));
    }

    /// <summary>Creates an all-day span.</summary>
    /// <param name="startDate">The first day.</param>
    /// <param name="endDateExclusive">The day after the last day; for a one-day event, <c>startDate.PlusDays(1)</c>.</param>
    /// <returns>The timing.</returns>
    /// <exception cref="ArgumentException">The end is not after the start.</exception>
    public static EventTiming AllDay(LocalDate startDate, LocalDate endDateExclusive)
    {
        if (endDateExclusive <= startDate)
        {
            throw new ArgumentException(
                $"An all-day event's end date is exclusive and must be after its start date ({startDate:uuuu-MM-dd}); for a one-day event pass {startDate.PlusDays(1):uuuu-MM-dd}.",
                nameof(endDateExclusive));
        }

        ZonedDateTime midnight = startDate.AtStartOfDayInZone(DateTimeZone.Utc);
        return new EventTiming(midnight, endDateExclusive.AtStartOfDayInZone(DateTimeZone.Utc), isAllDay: true, startDate, endDateExclusive);
    }

    /// <summary>Whether the event ends at or before <paramref name="instant"/>.</summary>
    /// <param name="instant">The instant to compare with.</param>
    /// <returns>True when the event is over at that instant.</returns>
    public bool EndsBefore(Instant instant) => EndInstant <= instant;

    /// <summary>Whether any part of the event falls in the half-open interval.</summary>
    /// <param name="interval">The window.</param>
    /// <returns>True when the event overlaps the window.</returns>
    public bool Overlaps(Interval interval)
        => (!interval.HasEnd || StartInstant < interval.End) && (!interval.HasStart || EndInstant > interval.Start)
           || (StartInstant == EndInstant && interval.Contains(StartInstant));

    /// <inheritdoc />
    public bool Equals(EventTiming? other)
    {
        if (other is null || IsAllDay != other.IsAllDay)
        {
            return false;
        }

        return IsAllDay
            ? StartDate == other.StartDate && EndDate == other.EndDate
            : _start.ToInstant() == other._start.ToInstant() && _end.ToInstant() == other._end.ToInstant()
              && _start.Zone.Id == other._start.Zone.Id && _end.Zone.Id == other._end.Zone.Id;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EventTiming);

    /// <inheritdoc />
    public override int GetHashCode() => IsAllDay
        ? HashCode.Combine(true, StartDate, EndDate)
        : HashCode.Combine(_start.ToInstant(), _end.ToInstant(), _start.Zone.Id);

    /// <inheritdoc />
    public override string ToString() => IsAllDay
        ? $"all day {StartDate:uuuu-MM-dd} to {EndDate:uuuu-MM-dd} (exclusive)"
        : $"{_start.LocalDateTime:uuuu-MM-dd'T'HH:mm} to {_end.LocalDateTime:uuuu-MM-dd'T'HH:mm} {_start.Zone.Id}";

    internal void AddTo(ref StableHash hash)
    {
        hash.Add(IsAllDay);
        if (IsAllDay)
        {
            hash.Add(StableHash.DateKey(StartDate));
            hash.Add(StableHash.DateKey(EndDate));
        }
        else
        {
            hash.Add(_start.ToInstant().ToUnixTimeTicks());
            hash.Add(_end.ToInstant().ToUnixTimeTicks());
            hash.Add(_start.Zone.Id);
            hash.Add(_end.Zone.Id);
        }
    }
}
