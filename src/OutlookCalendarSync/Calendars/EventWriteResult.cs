using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Calendars;

/// <summary>The outcome of one <see cref="EventWrite"/>.</summary>
/// <param name="Status">How the write ended.</param>
/// <param name="Event">The event as stored after a successful create or update; null otherwise.</param>
/// <param name="ErrorCode">The service's error code (for Graph, for example <c>ErrorIrresolvableConflict</c>), or null.</param>
/// <param name="Message">What went wrong, for people; never contains a token or secret.</param>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record EventWriteResult(WriteStatus Status, CalendarEvent? Event = null, string? ErrorCode = null, string? Message = null)
{
    /// <summary>True when the write was made.</summary>
    public bool Succeeded => Status == WriteStatus.Succeeded;

    /// <summary>A success.</summary>
    /// <param name="stored">The event as stored, or null after a delete.</param>
    /// <returns>The result.</returns>
    public static EventWriteResult Success(CalendarEvent? stored) => new(WriteStatus.Succeeded, stored);

    /// <summary>A failure.</summary>
    /// <param name="status">Why it failed.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="errorCode">The service's error code.</param>
    /// <returns>The result.</returns>
    public static EventWriteResult Failure(WriteStatus status, string message, string? errorCode = null) => new(status, null, errorCode, message);

    /// <summary>
    /// A write the host calendar store refused by throwing: a <see cref="WriteStatus.TransientFailure"/> (retried next run) saying
    /// so, as the engine reports it. For a store's own <see cref="ICalendarStore.CreateManyAsync"/>, so that its failures read like
    /// the engine's.
    /// </summary>
    /// <param name="exception">What the store threw.</param>
    /// <returns>The result.</returns>
    public static EventWriteResult HostRefused(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Failure(WriteStatus.TransientFailure, $"The host calendar refused the write: {exception.Message}");
    }

    /// <summary>
    /// A write the host calendar store made but could not confirm (its commit failed, so whether it was kept is not known): a
    /// <see cref="WriteStatus.TransientFailure"/> saying so. For a store's own <see cref="ICalendarStore.CreateManyAsync"/>.
    /// </summary>
    /// <param name="exception">What the commit threw.</param>
    /// <returns>The result.</returns>
    public static EventWriteResult HostUnconfirmed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Failure(WriteStatus.TransientFailure, $"The host calendar could not confirm the write: {exception.Message}");
    }
}
