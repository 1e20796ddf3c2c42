using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>What one run does to one pair of events: at most one write per side, and the link to keep afterwards.</summary>
/// <remarks>
/// The engine makes <see cref="RemoteWrite"/> first, then <see cref="LocalWrite"/>; the link is updated only when every write of
/// the change succeeded, so a failed change is seen again, and retried, by the next run.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
internal sealed record PlannedChange
{
    /// <summary>What the change does.</summary>
    public required ChangeKind Kind { get; init; }

    /// <summary>Why, as a code the engine and tests act on; <see cref="Description"/> says it for people.</summary>
    public ChangeReason Reason { get; init; }

    /// <summary>Why, for people: for example "changed in Outlook: Subject, Timing".</summary>
    public required string Description { get; init; }

    /// <summary>The pair's link before the run, or null for unlinked events.</summary>
    public EventLink? ExistingLink { get; init; }

    /// <summary>The host event as read in this run, or null when it was not in the feed or is deleted.</summary>
    public CalendarEvent? Local { get; init; }

    /// <summary>The Outlook event as read in this run, or null when it was not in the feed or is deleted.</summary>
    public CalendarEvent? Remote { get; init; }

    /// <summary>The write to Outlook, if any.</summary>
    public EventWrite? RemoteWrite { get; init; }

    /// <summary>The write to the host calendar, if any.</summary>
    public EventWrite? LocalWrite { get; init; }

    /// <summary>The content both sides hold after the change (the new merge base), or null when the pair is unlinked.</summary>
    public CalendarEvent? NewBase { get; init; }

    /// <summary>The conflict this change resolves, if any.</summary>
    public ConflictReport? Conflict { get; init; }

    /// <summary>The subject, for reports.</summary>
    public string? Subject => NewBase?.Subject ?? Local?.Subject ?? Remote?.Subject ?? ExistingLink?.Base.Subject;

    /// <summary>The host id of the pair, when known before the writes.</summary>
    public string? LocalId => Local?.Id ?? ExistingLink?.LocalId ?? LocalWrite?.TargetId;

    /// <summary>The Outlook id of the pair, when known before the writes.</summary>
    public string? RemoteId => Remote?.Id ?? ExistingLink?.RemoteId ?? RemoteWrite?.TargetId;

    /// <summary>The write this change makes on a side, or null.</summary>
    public EventWrite? WriteOn(SyncSide side) => side == SyncSide.Outlook ? RemoteWrite : LocalWrite;

    /// <summary>The event of a side as read, or null.</summary>
    public CalendarEvent? EventOn(SyncSide side) => side == SyncSide.Outlook ? Remote : Local;

    /// <summary>The event's id on a side, when known.</summary>
    public string? IdOn(SyncSide side) => side == SyncSide.Outlook ? RemoteId : LocalId;
}
