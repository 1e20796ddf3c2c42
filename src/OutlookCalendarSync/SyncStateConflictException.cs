namespace OutlookCalendarSync;

/// <summary>
/// A sync state was saved with a stale revision: another process changed the user's state in between.
/// The run's writes are repaired by the next run (echoes are recognised); nothing is lost.
/// </summary>
public sealed class SyncStateConflictException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public SyncStateConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SyncStateConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SyncStateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
