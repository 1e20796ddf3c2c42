namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>What a user's mailbox is like, set with <see cref="GraphEmulator.SetMailboxAvailability"/>.</summary>
public enum MailboxAvailability
{
    /// <summary>A licensed Exchange Online mailbox: every route answers (the default).</summary>
    Available,

    /// <summary>
    /// A user without an Exchange Online mailbox (no license, a guest, or a mailbox hosted on-premises): calendar routes answer 404
    /// <c>MailboxNotEnabledForRESTAPI</c> "REST API is not yet supported for this mailbox.", as Graph does.
    /// </summary>
    NoMailbox,

    /// <summary>
    /// A user that no longer exists (deleted) or a mistyped id or UPN: <c>/users/{id}/…</c> answers 404 <c>ErrorInvalidUser</c>
    /// "The requested user '{id}' is invalid.".
    /// </summary>
    UserNotFound,

    /// <summary>
    /// An account whose sign-in is blocked (<c>accountEnabled</c> false) but whose mailbox is kept, as a leaver's or a shared
    /// mailbox is: application (app-only) access goes on working, as in Exchange Online, while the user's own refresh tokens answer
    /// <c>invalid_grant</c> (AADSTS50057, "The user account is disabled").
    /// </summary>
    AccountDisabled,
}
