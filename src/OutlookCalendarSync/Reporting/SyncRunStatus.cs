namespace OutlookCalendarSync.Reporting;

/// <summary>How a sync run ended.</summary>
public enum SyncRunStatus
{
    /// <summary>The run completed and found nothing to write.</summary>
    NothingNew,

    /// <summary>The run completed and every change was made.</summary>
    Synced,

    /// <summary>The run completed, but some events failed; they are listed in the result and retried next run.</summary>
    SyncedWithFailures,

    /// <summary>Another run for the same user was in progress; this one did nothing.</summary>
    AlreadyRunning,

    /// <summary>The user's sync is paused; nothing was done.</summary>
    Paused,

    /// <summary>The user's sync is stopped; nothing was done.</summary>
    Stopped,

    /// <summary>The user must connect their Microsoft account again; nothing was done.</summary>
    NeedsReauthorization,

    /// <summary>The mass-deletion guard stopped the run before any write.</summary>
    MassDeletionBlocked,

    /// <summary>The run could not complete (a feed could not be read, or the state could not be saved); nothing is lost.</summary>
    Failed,

    /// <summary>
    /// Microsoft Graph asked to wait longer than the run may (<c>MicrosoftGraphOptions.MaxRetryAfter</c>) before it could read the
    /// calendar; the run stopped without writing or changing state, and <see cref="SyncResult.RetryAfter"/> says when to run again.
    /// </summary>
    Throttled,

    /// <summary>
    /// The user is synced in app-only mode and the app cannot get a token with <c>Calendars.ReadWrite</c> for the user's tenant:
    /// its admin must consent (again), or the app's credentials are wrong (<see cref="SyncResult.Message"/> says which). Nothing
    /// was done; <see cref="SyncResult.RetryAfter"/> is when the tenant is asked again.
    /// </summary>
    AdminConsentRequired,

    /// <summary>
    /// Microsoft Graph does not let the app reach the user's mailbox (<see cref="SyncResult.MailboxUnavailableReason"/>: outside the
    /// admin's access policy, no Exchange Online mailbox, an unknown user): <see cref="SyncResult.Message"/> says what the admin must
    /// do. Nothing was done, other users are not affected, and <see cref="SyncResult.RetryAfter"/> is when the mailbox is tried again.
    /// </summary>
    MailboxUnavailable,
}
