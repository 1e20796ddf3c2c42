namespace OutlookCalendarSync;

/// <summary>
/// Microsoft Graph does not let the app reach this user's mailbox (<see cref="Reason"/>). Thrown by the remote calendar; the engine
/// ends the user's run with <c>SyncRunStatus.MailboxUnavailable</c> and what the admin must do, and tries the mailbox again later,
/// without failing other users' runs.
/// </summary>
public sealed class MailboxUnavailableException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public MailboxUnavailableException()
        : this(MailboxUnavailableReason.AccessDenied, "Microsoft Graph does not let the app reach the user's mailbox.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what the admin must do.</param>
    public MailboxUnavailableException(string message)
        : this(MailboxUnavailableReason.AccessDenied, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and what the admin must do.</param>
    /// <param name="innerException">The cause.</param>
    public MailboxUnavailableException(string message, Exception innerException)
        : this(MailboxUnavailableReason.AccessDenied, message, innerException)
    {
    }

    /// <summary>Creates the exception with its reason.</summary>
    /// <param name="reason">Why the mailbox cannot be reached.</param>
    /// <param name="message">What went wrong and what the admin must do.</param>
    /// <param name="innerException">The cause, or null.</param>
    public MailboxUnavailableException(MailboxUnavailableReason reason, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Reason = reason;
    }

    /// <summary>Gets why the mailbox cannot be reached.</summary>
    public MailboxUnavailableReason Reason { get; }

    /// <summary>Gets when the mailbox should be tried again, or null for the engine's default (an hour after the run).</summary>
    public NodaTime.Instant? RetryAt { get; init; }
}
