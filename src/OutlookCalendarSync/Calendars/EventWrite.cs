using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Calendars;

/// <summary>
/// One conditional write to a calendar: an <see cref="EventCreate"/>, an <see cref="EventUpdate"/> or an <see cref="EventDelete"/>,
/// each built by <see cref="Create"/>, <see cref="Update"/> or <see cref="Delete"/> with exactly the data it needs.
/// </summary>
/// <remarks>
/// The set is closed: no other kind of write exists, and none can be built without its target or content, so an implementation
/// of <see cref="IOutlookCalendar"/> or <see cref="ICalendarStore"/> can switch over the three cases (or over <see cref="Kind"/>)
/// without checking for missing data.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public abstract class EventWrite
{
    private protected EventWrite()
    {
    }

    /// <summary>What the write does.</summary>
    public abstract WriteKind Kind { get; }

    /// <summary>The id of the event written to, for updates and deletes; null for a create.</summary>
    internal abstract string? TargetId { get; }

    /// <summary>Creates a create.</summary>
    /// <param name="newEvent">The content, with the host id in <see cref="CalendarEvent.CounterpartId"/> for a write to Outlook.</param>
    /// <returns>The write.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="newEvent"/> is null.</exception>
    public static EventCreate Create(CalendarEvent newEvent) => new(Guard.NotNull(newEvent));

    /// <summary>Creates an update of some fields.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="expectedVersion">The version that was read, or null for an unconditional update.</param>
    /// <param name="content">The new values; only <paramref name="fields"/> are written.</param>
    /// <param name="fields">The fields to write.</param>
    /// <returns>The write.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    public static EventUpdate Update(string eventId, string? expectedVersion, CalendarEvent content, EventFields fields)
        => new(Guard.NotNullOrWhiteSpace(eventId), expectedVersion, Guard.NotNull(content), fields);

    /// <summary>Creates a delete.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="expectedVersion">The version that was read, or null to delete whatever the version.</param>
    /// <returns>The write.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is null, empty or white space.</exception>
    public static EventDelete Delete(string eventId, string? expectedVersion) => new(Guard.NotNullOrWhiteSpace(eventId), expectedVersion);
}
