namespace OutlookCalendarSync;

/// <summary>
/// A conditional write found a newer version of the event than the one it was given: somebody changed it in between.
/// The sync engine treats it as a conflict and retries on the next run; it never overwrites silently.
/// </summary>
public sealed class EventVersionConflictException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public EventVersionConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public EventVersionConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public EventVersionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an event.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="expectedVersion">The version the writer read.</param>
    /// <param name="actualVersion">The version the store holds.</param>
    /// <returns>The exception.</returns>
    public static EventVersionConflictException For(string eventId, string? expectedVersion, string? actualVersion)
        => new($"Event '{eventId}' changed since it was read (expected version '{expectedVersion}', found '{actualVersion}'): read it again and retry.")
        {
            EventId = eventId,
        };

    /// <summary>The event's id, when known.</summary>
    public string? EventId { get; init; }
}
