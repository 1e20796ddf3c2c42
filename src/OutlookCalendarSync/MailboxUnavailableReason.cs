namespace OutlookCalendarSync;

/// <summary>Why Microsoft Graph does not let the app reach a user's mailbox; each says what the tenant's admin must do.</summary>
public enum MailboxUnavailableReason
{
    /// <summary>
    /// Graph answered 403 <c>ErrorAccessDenied</c> for this mailbox: the tenant's application access policy (or RBAC for
    /// Applications scope) leaves it out, or the app lacks the <c>Calendars.ReadWrite</c> application permission. The admin adds
    /// the user to the group the policy names (changes take up to an hour to apply), or grants the permission.
    /// </summary>
    AccessDenied,

    /// <summary>
    /// The user has no Exchange Online mailbox (404 <c>MailboxNotEnabledForRESTAPI</c>): no license with Exchange, a guest, or a
    /// mailbox hosted on-premises. The admin assigns an Exchange Online license, or maps the user to another mailbox.
    /// </summary>
    NoMailbox,

    /// <summary>
    /// Graph does not know the user or mailbox the host mapped the user to (404 <c>ErrorInvalidUser</c> or
    /// <c>ResourceNotFound</c>): a mistyped id or UPN, or a deleted user. Fix the host's mapping.
    /// </summary>
    UserNotFound,

    /// <summary>
    /// The user's account is disabled. A disabled account's mailbox usually stays reachable with application permissions (shared
    /// mailboxes are disabled accounts); Graph reports this only if it refuses the mailbox for it. The admin enables the account,
    /// or stops syncing the user.
    /// </summary>
    AccountDisabled,
}
