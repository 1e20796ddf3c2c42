using NodaTime;

namespace OutlookCalendarSync;

/// <summary>
/// The remote calendar asked to wait (Graph's 429, 503 or 504 with <c>Retry-After</c>) longer than the adapter may wait inside a
/// run. Thrown by the remote calendar's reads; the engine ends the run with <c>SyncRunStatus.Throttled</c> and the instant to run
/// again, never as a failure or a cancellation.
/// </summary>
public sealed class ThrottledException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public ThrottledException()
        : base("Microsoft Graph asked to wait before the next request: run the sync again later.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was throttled.</param>
    public ThrottledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was throttled.</param>
    /// <param name="innerException">The cause.</param>
    public ThrottledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the instant the service allows the next request.</summary>
    /// <param name="message">What was throttled and until when.</param>
    /// <param name="retryAt">The earliest instant to send the next request.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ThrottledException(string message, Instant retryAt, Exception? innerException = null)
        : base(message, innerException!)
    {
        RetryAt = retryAt;
    }

    /// <summary>The earliest instant to send the next request, or null when the service did not say.</summary>
    public Instant? RetryAt { get; }
}
