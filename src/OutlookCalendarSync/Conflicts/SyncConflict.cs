using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Conflicts;

/// <summary>An event changed on both sides since they were last in sync: what <see cref="IConflictResolver"/> decides on.</summary>
/// <param name="Base">The content both sides last agreed on; null when two unlinked events were matched.</param>
/// <param name="Local">The host event now; null when the host deleted it.</param>
/// <param name="Remote">The Outlook event now; null when it was deleted in Outlook.</param>
/// <param name="DeleteVersusChange">What the options say a deletion against a change should do.</param>
public sealed record SyncConflict(CalendarEvent? Base, CalendarEvent? Local, CalendarEvent? Remote, DeleteVersusChange DeleteVersusChange);
