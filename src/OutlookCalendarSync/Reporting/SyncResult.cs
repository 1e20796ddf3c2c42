using NodaTime;

namespace OutlookCalendarSync.Reporting;

/// <summary>What one <see cref="Engine.ISyncEngine.SyncAsync"/> run did.</summary>
/// <remarks>
/// Per-event failures are data here, not exceptions: one bad event never stops a run. <see cref="Message"/> says what to do for
/// every status that needs somebody to act.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SyncResult
{
    /// <summary>The user.</summary>
    public required string UserId { get; init; }

    /// <summary>How the run ended.</summary>
    public required SyncRunStatus Status { get; init; }

    /// <summary>What happened and, where needed, what to do.</summary>
    public string? Message { get; init; }

    /// <summary>When the run started.</summary>
    public Instant StartedAt { get; init; }

    /// <summary>How long the run took.</summary>
    public Duration Duration { get; init; }

    /// <summary>Writes made in the host calendar.</summary>
    public SyncCounts Host { get; init; } = SyncCounts.Zero;

    /// <summary>Writes made in Outlook.</summary>
    public SyncCounts Outlook { get; init; } = SyncCounts.Zero;

    /// <summary>Unlinked events found to be the same on both sides and linked.</summary>
    public int Linked { get; init; }

    /// <summary>Conflicts and how they were resolved.</summary>
    public IReadOnlyList<ConflictReport> Conflicts { get; init; } = [];

    /// <summary>Events that could not be synced, with reasons.</summary>
    public IReadOnlyList<SyncFailure> Failures { get; init; } = [];

    /// <summary>Events left alone on purpose, with reasons.</summary>
    public IReadOnlyList<SyncNote> Notes { get; init; } = [];

    /// <summary>
    /// For <see cref="SyncRunStatus.Throttled"/>: the earliest instant Microsoft Graph accepts the next request, or null when it
    /// did not say; for <see cref="SyncRunStatus.AdminConsentRequired"/> and <see cref="SyncRunStatus.MailboxUnavailable"/>: when the
    /// tenant or mailbox is tried again. Schedule the user's next run no earlier.
    /// </summary>
    public Instant? RetryAfter { get; init; }

    /// <summary>For <see cref="SyncRunStatus.MailboxUnavailable"/>: why Graph refused the mailbox; null otherwise.</summary>
    public MailboxUnavailableReason? MailboxUnavailableReason { get; init; }

    /// <summary>True when a change feed had to be read in full (first run, expired cursor, moved window).</summary>
    public bool WasFullResync { get; init; }

    /// <summary>All writes on both sides.</summary>
    public int TotalWrites => Host.Total + Outlook.Total;
}
