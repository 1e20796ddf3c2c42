using System.Net;
using Microsoft.Graph.Models.ODataErrors;

namespace OutlookCalendarSync.Graph;

/// <summary>Graph's answers that mean the app may not reach the mailbox at all, and what the admin must do about each.</summary>
internal static class GraphMailboxErrors
{
    /// <summary>The reason a Graph error refuses the whole mailbox, or null for any other error.</summary>
    /// <remarks>
    /// Graph is not consistent here: for one user without a mailbox it has answered both 404 <c>MailboxNotEnabledForRESTAPI</c>
    /// and 404 <c>ResourceNotFound</c> ("Resource could not be discovered."), so both mean no mailbox. A disabled account's mailbox
    /// normally stays reachable with application permissions; should Graph refuse it, its code names the account, so any code
    /// containing <c>AccountDisabled</c> is taken as such.
    /// </remarks>
    public static MailboxUnavailableReason? ReasonOf(ODataError error)
    {
        string? code = error.Error?.Code;
        if (code?.Contains("AccountDisabled", StringComparison.OrdinalIgnoreCase) == true)
        {
            return MailboxUnavailableReason.AccountDisabled;
        }

        return (error.ResponseStatusCode, code) switch
        {
            ((int)HttpStatusCode.Forbidden, "ErrorAccessDenied") => MailboxUnavailableReason.AccessDenied,
            ((int)HttpStatusCode.NotFound, "MailboxNotEnabledForRESTAPI" or "ResourceNotFound") => MailboxUnavailableReason.NoMailbox,
            ((int)HttpStatusCode.NotFound, "ErrorInvalidUser" or "Request_ResourceNotFound") => MailboxUnavailableReason.UserNotFound,
            _ => null,
        };
    }

    public static string Describe(MailboxUnavailableReason reason, ODataError error, string operation)
    {
        string? requestId = error.Error?.InnerError?.RequestId;
        string graphSaid = $"{error.ResponseStatusCode} {error.Error?.Code}: {error.Error?.Message}{(requestId is null ? string.Empty : $"; request-id {requestId}")}";
        string todo = reason switch
        {
            MailboxUnavailableReason.AccessDenied =>
                "The tenant's application access policy (or RBAC for Applications scope) leaves this mailbox out, or the app lacks the Calendars.ReadWrite application permission: an Exchange admin adds the user to the group the policy names (Test-ApplicationAccessPolicy shows the verdict; changes take up to an hour), or a tenant admin grants the permission.",
            MailboxUnavailableReason.NoMailbox =>
                "The user has no Exchange Online mailbox (no license with Exchange, a guest, or a mailbox on-premises): an admin assigns an Exchange Online license, or the host maps the user to another mailbox.",
            MailboxUnavailableReason.UserNotFound =>
                "Microsoft Graph knows no such user: the host's mailbox mapping names a mistyped id or UPN, or a deleted user; fix the mapping.",
            _ =>
                "The user's account is disabled and Microsoft Graph refuses its mailbox: an admin enables the account, or the host stops syncing the user.",
        };
        return $"Microsoft Graph refused the app the user's mailbox when asked to {operation} ({graphSaid}). {todo} Other users are not affected; this one is tried again later.";
    }
}
