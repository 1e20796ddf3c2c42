using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync.Engine;

/// <summary>What a run would do now: the plan, with nothing written and no state changed.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Status">
/// <see cref="SyncRunStatus.Synced"/> or <see cref="SyncRunStatus.NothingNew"/> when a run would go ahead; otherwise why it would not.
/// </param>
/// <param name="Plan">The plan, or null when the run would not go ahead.</param>
/// <param name="Message">What to do, when the run would not go ahead.</param>
public sealed record SyncPreview(string UserId, SyncRunStatus Status, SyncPlan? Plan, string? Message)
{
    /// <summary>How many events the run would create in Outlook.</summary>
    public int OutlookCreates => Plan?.CountWrites(SyncSide.Remote, WriteKind.Create) ?? 0;

    /// <summary>How many invitation emails Outlook would send because of the run.</summary>
    public int InvitationEmails => Plan?.EstimateInvitationEmails() ?? 0;
}
