namespace OutlookCalendarSync;

/// <summary>The base of the exceptions this library throws; the message says what to do.</summary>
public class OutlookCalendarSyncException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OutlookCalendarSyncException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public OutlookCalendarSyncException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public OutlookCalendarSyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
