namespace OutlookCalendarSync.Authentication;

/// <summary>How a sign-in ended.</summary>
public enum SignInStatus
{
    /// <summary>The account is connected and the user's sync is active.</summary>
    Connected,

    /// <summary>Microsoft Entra answered with an error, such as the user declining consent (<c>access_denied</c>).</summary>
    Denied,

    /// <summary>
    /// The <c>state</c> is missing, unknown, another user's, replaced by the user's newer sign-in URL, already used or expired: start
    /// the sign-in again.
    /// </summary>
    InvalidState,

    /// <summary>The authorization code could not be exchanged for tokens.</summary>
    Failed,
}
