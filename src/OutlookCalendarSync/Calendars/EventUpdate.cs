using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Calendars;

/// <summary>A write that changes some fields of an existing event; built by <see cref="EventWrite.Update"/>.</summary>
/// <remarks>
/// Only <see cref="Fields"/> are written, with their values in <see cref="Content"/>; the event's other fields are left as they are.
/// With an <see cref="ExpectedVersion"/>, the update fails as a version conflict when the event changed since it was read.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class EventUpdate : EventWrite
{
    internal EventUpdate(string eventId, string? expectedVersion, CalendarEvent content, EventFields fields)
    {
        EventId = eventId;
        ExpectedVersion = expectedVersion;
        Content = content;
        Fields = fields;
    }

    /// <inheritdoc />
    public override WriteKind Kind => WriteKind.Update;

    /// <summary>The id of the event to change.</summary>
    public string EventId { get; }

    /// <summary>The version that was read, or null for an unconditional update.</summary>
    public string? ExpectedVersion { get; }

    /// <summary>The new values of <see cref="Fields"/> (its other fields, id and version are not written).</summary>
    public CalendarEvent Content { get; }

    /// <summary>The fields to write.</summary>
    public EventFields Fields { get; }

    /// <inheritdoc />
    internal override string? TargetId => EventId;

    /// <summary>The same update with other fields to write.</summary>
    /// <param name="fields">The fields to write.</param>
    /// <returns>The write.</returns>
    internal EventUpdate WithFields(EventFields fields) => new(EventId, ExpectedVersion, Content, fields);

    /// <summary>The same update with other values to write.</summary>
    /// <param name="content">The new values.</param>
    /// <returns>The write.</returns>
    internal EventUpdate WithContent(CalendarEvent content) => new(EventId, ExpectedVersion, content, Fields);

    /// <summary>Whether <paramref name="obj"/> is an update of the same event, at the same version, of the same fields to equal values.</summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns>True when both writes do the same.</returns>
    public override bool Equals(object? obj)
        => obj is EventUpdate other && EventId == other.EventId && ExpectedVersion == other.ExpectedVersion && Fields == other.Fields && Content.Equals(other.Content);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, EventId, ExpectedVersion, Fields, Content);

    /// <inheritdoc />
    public override string ToString() => $"update {EventId} ({Fields})";
}
