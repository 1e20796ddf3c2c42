using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Abstractions;

/// <summary>One conditional write in a batch sent to <see cref="IOutlookCalendar.WriteAsync"/>.</summary>
/// <remarks>
/// For <see cref="WriteKind.Create"/>, <see cref="Event"/> carries the content and <see cref="CalendarEvent.CounterpartId"/> the host
/// event id (stamped on the created event; a repeated create with the same host id returns the first one instead of a duplicate).
/// For <see cref="WriteKind.Update"/>, only <see cref="Fields"/> are written. <see cref="ExpectedVersion"/> makes updates and
/// deletes fail with <see cref="WriteStatus.VersionConflict"/> if the event changed since it was read.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record EventWrite
{
    /// <summary>What to do.</summary>
    public required WriteKind Kind { get; init; }

    /// <summary>The target event's id (updates and deletes).</summary>
    public string? EventId { get; init; }

    /// <summary>The version that was read (updates and deletes), or null for an unconditional write.</summary>
    public string? ExpectedVersion { get; init; }

    /// <summary>The content to write (creates and updates).</summary>
    public CalendarEvent? Event { get; init; }

    /// <summary>The fields to write on an update.</summary>
    public EventFields Fields { get; init; }

    /// <summary>Creates a create.</summary>
    /// <param name="newEvent">The content, with the host id in <see cref="CalendarEvent.CounterpartId"/>.</param>
    /// <returns>The write.</returns>
    public static EventWrite Create(CalendarEvent newEvent) => new() { Kind = WriteKind.Create, Event = newEvent };

    /// <summary>Creates an update of some fields.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="expectedVersion">The version that was read.</param>
    /// <param name="content">The new values.</param>
    /// <param name="fields">The fields to write.</param>
    /// <returns>The write.</returns>
    public static EventWrite Update(string eventId, string? expectedVersion, CalendarEvent content, EventFields fields)
        => new() { Kind = WriteKind.Update, EventId = eventId, ExpectedVersion = expectedVersion, Event = content, Fields = fields };

    /// <summary>Creates a delete.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="expectedVersion">The version that was read.</param>
    /// <returns>The write.</returns>
    public static EventWrite Delete(string eventId, string? expectedVersion)
        => new() { Kind = WriteKind.Delete, EventId = eventId, ExpectedVersion = expectedVersion };
}
