namespace OutlookCalendarSync;

/// <summary>
/// The user's Microsoft sign-in can no longer be used (revoked consent, an expired or invalid refresh token, a disabled account).
/// Thrown by the remote calendar; the engine sets the user's status to NeedsReauthorization and returns that status.
/// </summary>
public sealed class ReauthorizationRequiredException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public ReauthorizationRequiredException()
        : base("The user's Microsoft account must be connected again: the sign-in was revoked or expired.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ReauthorizationRequiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ReauthorizationRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
