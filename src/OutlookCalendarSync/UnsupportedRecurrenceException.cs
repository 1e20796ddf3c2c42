namespace OutlookCalendarSync;

/// <summary>
/// A recurrence rule is valid RFC 5545 but Outlook cannot hold it (for example <c>FREQ=HOURLY</c>, several <c>BYMONTHDAY</c>
/// values or a <c>BYSETPOS</c> list). The message names the construct and says how to express the series instead.
/// </summary>
/// <remarks>
/// For the sync this is a per-event failure: the series is reported and left alone, the other events still sync.
/// </remarks>
public sealed class UnsupportedRecurrenceException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedRecurrenceException()
        : base("The recurrence rule uses a construct Outlook cannot express.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What Outlook cannot express and what to do.</param>
    public UnsupportedRecurrenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the offending part of the rule.</summary>
    /// <param name="message">What Outlook cannot express and what to do.</param>
    /// <param name="unsupportedPart">The rule part Outlook cannot express, such as <c>BYSETPOS=1,-1</c>.</param>
    public UnsupportedRecurrenceException(string message, string unsupportedPart)
        : base(message)
    {
        UnsupportedPart = unsupportedPart;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What Outlook cannot express and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public UnsupportedRecurrenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The rule part Outlook cannot express, such as <c>FREQ=HOURLY</c>, when known.</summary>
    public string? UnsupportedPart { get; }
}
