namespace OutlookCalendarSync;

/// <summary>
/// A change feed no longer accepts the cursor it was given (Graph answers 410 Gone / <c>SyncStateNotFound</c>).
/// The sync engine reacts by reading a full snapshot and re-matching events — never by wiping anything.
/// </summary>
public sealed class CursorExpiredException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public CursorExpiredException()
        : base("The change feed no longer accepts this cursor: read a full snapshot (pass a null cursor).")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CursorExpiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CursorExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
