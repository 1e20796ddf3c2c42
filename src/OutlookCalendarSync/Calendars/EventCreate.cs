using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Calendars;

/// <summary>A write that creates an event; built by <see cref="EventWrite.Create"/>.</summary>
/// <remarks>
/// Sent to Outlook, <see cref="Event"/>'s <see cref="CalendarEvent.CounterpartId"/> is the host event id: it is stamped on the created
/// event, and a repeated create with the same host id returns the first event instead of a duplicate. The event's
/// <see cref="CalendarEvent.Id"/> and <see cref="CalendarEvent.Version"/> are ignored.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class EventCreate : EventWrite
{
    internal EventCreate(CalendarEvent newEvent) => Event = newEvent;

    /// <inheritdoc />
    public override WriteKind Kind => WriteKind.Create;

    /// <summary>The event to create.</summary>
    public CalendarEvent Event { get; }

    /// <inheritdoc />
    internal override string? TargetId => null;

    /// <summary>Whether <paramref name="obj"/> is a create of an equal event.</summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns>True when both writes do the same.</returns>
    public override bool Equals(object? obj) => obj is EventCreate other && Event.Equals(other.Event);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Event);

    /// <inheritdoc />
    public override string ToString() => $"create {Event}";
}
