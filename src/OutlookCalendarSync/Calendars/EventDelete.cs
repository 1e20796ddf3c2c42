using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Calendars;

/// <summary>A write that deletes an event; built by <see cref="EventWrite.Delete"/>.</summary>
/// <remarks>With an <see cref="ExpectedVersion"/>, the delete fails as a version conflict when the event changed since it was read.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class EventDelete : EventWrite
{
    internal EventDelete(string eventId, string? expectedVersion)
    {
        EventId = eventId;
        ExpectedVersion = expectedVersion;
    }

    /// <inheritdoc />
    public override WriteKind Kind => WriteKind.Delete;

    /// <summary>The id of the event to delete.</summary>
    public string EventId { get; }

    /// <summary>The version that was read, or null to delete whatever the version.</summary>
    public string? ExpectedVersion { get; }

    /// <inheritdoc />
    internal override string? TargetId => EventId;

    /// <summary>Whether <paramref name="obj"/> is a delete of the same event at the same version.</summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns>True when both writes do the same.</returns>
    public override bool Equals(object? obj) => obj is EventDelete other && EventId == other.EventId && ExpectedVersion == other.ExpectedVersion;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, EventId, ExpectedVersion);

    /// <inheritdoc />
    public override string ToString() => $"delete {EventId}";
}
