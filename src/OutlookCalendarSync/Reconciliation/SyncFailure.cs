using OutlookCalendarSync.Abstractions;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>One event that could not be synced; the rest of the run went on.</summary>
/// <param name="Side">The side where it failed.</param>
/// <param name="Operation">The write that failed, or null for bad input.</param>
/// <param name="LocalId">The host event's id, if any.</param>
/// <param name="RemoteId">The Outlook event's id, if any.</param>
/// <param name="Subject">The event's subject, for people.</param>
/// <param name="Reason">What went wrong and, where it helps, what to do.</param>
/// <param name="ErrorCode">The service's error code, if any.</param>
/// <param name="WillRetry">True when the next run tries again.</param>
public sealed record SyncFailure(
    SyncSide Side,
    WriteKind? Operation,
    string? LocalId,
    string? RemoteId,
    string? Subject,
    string Reason,
    string? ErrorCode,
    bool WillRetry);
