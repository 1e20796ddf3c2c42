using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Conflicts;

/// <summary>An event changed on both sides since they were last in sync: what <see cref="IConflictResolver"/> decides on.</summary>
/// <remarks>Not a positional record, so a member can be added without breaking resolvers or the tests that build conflicts.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SyncConflict
{
    /// <summary>Creates a conflict.</summary>
    /// <param name="baseEvent">The content both sides last agreed on; null when two unlinked events were matched.</param>
    /// <param name="host">The host event now; null when the host deleted it.</param>
    /// <param name="outlook">The Outlook event now; null when it was deleted in Outlook.</param>
    /// <param name="deleteVersusChange">What the options say a deletion against a change should do.</param>
    public SyncConflict(CalendarEvent? baseEvent, CalendarEvent? host, CalendarEvent? outlook, DeleteVersusChange deleteVersusChange)
    {
        Base = baseEvent;
        Host = host;
        Outlook = outlook;
        DeleteVersusChange = deleteVersusChange;
    }

    /// <summary>The content both sides last agreed on; null when two unlinked events were matched.</summary>
    public CalendarEvent? Base { get; }

    /// <summary>The host event now; null when the host deleted it.</summary>
    public CalendarEvent? Host { get; }

    /// <summary>The Outlook event now; null when it was deleted in Outlook.</summary>
    public CalendarEvent? Outlook { get; }

    /// <summary>What the options say a deletion against a change should do.</summary>
    public DeleteVersusChange DeleteVersusChange { get; }
}
