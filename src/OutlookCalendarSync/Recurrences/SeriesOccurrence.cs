using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Recurrences;

/// <summary>One occurrence of a recurring series, as the series' pattern places it.</summary>
/// <remarks>
/// <see cref="OriginalStart"/> identifies the occurrence within its series, as <see cref="CalendarEvent.OriginalStart"/> does
/// for an exception, even after the occurrence is moved.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class SeriesOccurrence
{
    internal SeriesOccurrence(LocalDate originalDate, EventTiming timing)
    {
        OriginalDate = originalDate;
        Timing = timing;
    }

    /// <summary>The date the pattern puts the occurrence on, in the series' time zone; deleted occurrences name this date.</summary>
    public LocalDate OriginalDate { get; }

    /// <summary>When the occurrence takes place: timed in the series' zone, or all-day on its dates.</summary>
    public EventTiming Timing { get; }

    /// <summary>The instant the occurrence starts (for an all-day occurrence, the start of its date in UTC).</summary>
    public Instant OriginalStart => Timing.StartInstant;

    /// <inheritdoc />
    public override string ToString() => Timing.ToString();
}
