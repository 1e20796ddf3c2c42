namespace OutlookCalendarSync.Reporting;

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
    /// About how many emails Outlook would send to attendees because of the run: an invitation to each attendee of a meeting created;
    /// an update to each attendee of a meeting moved or given a new place, or added to a meeting; a cancellation to each attendee
    /// removed or of a meeting deleted. Meetings someone else organizes send nothing.
    /// </summary>
    public int InvitationEmails { get; init; }

    /// <summary>One line per event the run would write, link or forget, in the order the run would handle them.</summary>
    public IReadOnlyList<PreviewedChange> Changes { get; init; } = [];

    /// <summary>Events the run would leave alone on purpose, and why.</summary>
    public IReadOnlyList<SyncNote> Notes { get; init; } = [];

    /// <summary>Events the run could not sync because of their data.</summary>
    public IReadOnlyList<SyncFailure> Failures { get; init; } = [];
}
