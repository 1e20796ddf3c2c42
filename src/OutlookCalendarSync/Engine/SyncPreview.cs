using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync.Engine;

/// <summary>What a run would do now, with nothing written and no state changed: counts per side, invitation emails, one line per event.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class SyncPreview
{
    internal SyncPreview(string userId, SyncRunStatus status)
    {
        UserId = userId;
        Status = status;
    }

    /// <summary>The user.</summary>
    public string UserId { get; }

    /// <summary>
    /// <see cref="SyncRunStatus.Synced"/> or <see cref="SyncRunStatus.NothingNew"/> when a run would go ahead; otherwise why it would not.
    /// </summary>
    public SyncRunStatus Status { get; }

    /// <summary>What to do, when the run would not go ahead; otherwise null.</summary>
    public string? Message { get; init; }

    /// <summary>The writes the run would make in the host calendar.</summary>
    public SyncCounts Host { get; init; } = SyncCounts.Zero;

    /// <summary>The writes the run would make in Outlook.</summary>
    public SyncCounts Outlook { get; init; } = SyncCounts.Zero;

    /// <summary>How many events the run would create in Outlook (<c>Outlook.Created</c>).</summary>
    public int OutlookCreates => Outlook.Created;

    /// <summary>
    /// About how many emails Outlook would send because of the run: one per attendee of each meeting created, of each meeting whose
    /// attendees change, and of each meeting deleted.
    /// </summary>
    public int InvitationEmails { get; init; }

    /// <summary>One line per event the run would write, link or forget, in the order the run would handle them.</summary>
    public IReadOnlyList<PreviewedChange> Changes { get; init; } = [];

    /// <summary>Events the run would leave alone on purpose, and why.</summary>
    public IReadOnlyList<SyncNote> Notes { get; init; } = [];

    /// <summary>Events the run could not sync because of their data.</summary>
    public IReadOnlyList<SyncFailure> Failures { get; init; } = [];

    internal static SyncPreview FromPlan(string userId, SyncPlan plan)
    {
        SyncRunStatus status = plan.IsBlocked ? SyncRunStatus.MassDeletionBlocked
            : plan.Changes.Any(c => c.RemoteWrite is not null || c.LocalWrite is not null) ? SyncRunStatus.Synced
            : SyncRunStatus.NothingNew;
        return new SyncPreview(userId, status)
        {
            Message = plan.BlockedReason,
            Host = Count(plan, SyncSide.Local),
            Outlook = Count(plan, SyncSide.Remote),
            InvitationEmails = plan.EstimateInvitationEmails(),
            Changes = plan.Changes.Select(PreviewedChange.From).ToArray(),
            Notes = plan.Notes,
            Failures = plan.Failures,
        };
    }

    private static SyncCounts Count(SyncPlan plan, SyncSide side)
        => new(plan.CountWrites(side, WriteKind.Create), plan.CountWrites(side, WriteKind.Update), plan.CountWrites(side, WriteKind.Delete));
}
