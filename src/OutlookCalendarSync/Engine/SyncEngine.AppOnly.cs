using NodaTime;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// The ends of runs that Microsoft refuses for a reason outside the user's own sign-in: a tenant without admin consent, and a
/// mailbox the app may not reach. Each ends this user's run alone, with what the admin must do and when to try again.
/// </summary>
internal sealed partial class SyncEngine
{
    /// <summary>How long a refused mailbox waits when its adapter gave no instant.</summary>
    private static readonly Duration DefaultMailboxRecheck = Duration.FromHours(1);

    private SyncResult ConsentRequired(string userId, Instant started, TenantConsentRequiredException ex)
    {
        // The tenant's status is the library's (one per tenant, in the token provider); the user's header is left as it was, so
        // the user resumes by itself once the tenant consents.
        Log.AdminConsentRequired(_logger, userId, ex.TenantId);
        return new SyncResult { UserId = userId, Status = SyncRunStatus.AdminConsentRequired, StartedAt = started, RetryAfter = ex.RetryAt, Message = ex.Message };
    }

    private async Task<SyncResult> MailboxUnavailableAsync(string userId, Instant started, MailboxUnavailableException ex, CancellationToken cancellationToken)
    {
        Instant retryAt = ex.RetryAt ?? started + DefaultMailboxRecheck;
        Log.MailboxUnavailable(_logger, userId, ex.Reason);

        // The header keeps what the admin must do and when the mailbox is tried again, for the host's status page and for
        // schedulers that read who is due from the store.
        for (int attempt = 0; ; attempt++)
        {
            SyncStateHeader header = await _states.GetHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
            try
            {
                await _stateStore.SaveAsync(new SyncStateChanges(header with { LastError = ex.Message, NextSyncAt = retryAt }), cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (SyncStateConflictException) when (attempt < 5)
            {
                // Saved in between: set the error on top of that state.
            }
        }

        return new SyncResult
        {
            UserId = userId,
            Status = SyncRunStatus.MailboxUnavailable,
            MailboxUnavailableReason = ex.Reason,
            StartedAt = started,
            RetryAfter = retryAt,
            Message = ex.Message,
        };
    }
}
