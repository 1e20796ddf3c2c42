namespace OutlookCalendarSync;

/// <summary>A write or read named an event that does not exist (any more) on that side.</summary>
public sealed class EventNotFoundException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public EventNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public EventNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public EventNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an event.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <returns>The exception.</returns>
    public static EventNotFoundException For(string eventId)
        => new($"Event '{eventId}' does not exist: it was deleted, or the id belongs to another user or calendar.") { EventId = eventId };

    /// <summary>The event's id, when known.</summary>
    public string? EventId { get; init; }
}
