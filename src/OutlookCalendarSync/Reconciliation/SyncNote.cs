using OutlookCalendarSync.Abstractions;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>An event the run left alone on purpose, and why (outside the window, a past event, waiting for its series, …).</summary>
/// <param name="Side">The side the event is on.</param>
/// <param name="EventId">The event's id on that side.</param>
/// <param name="Subject">The event's subject, for people.</param>
/// <param name="Reason">Why it was left alone.</param>
/// <param name="WillRetry">True when the next run looks at it again.</param>
public sealed record SyncNote(SyncSide Side, string? EventId, string? Subject, string Reason, bool WillRetry);
