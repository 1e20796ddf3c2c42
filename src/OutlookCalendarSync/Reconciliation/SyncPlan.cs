using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>The outcome of reconciliation: every change the run will make, what it leaves alone, and what is wrong with the input.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
internal sealed class SyncPlan
{
    internal SyncPlan(IReadOnlyList<PlannedChange> changes, IReadOnlyList<SyncNote> notes, IReadOnlyList<SyncFailure> failures, string? blockedReason)
    {
        Changes = changes;
        Notes = notes;
        Failures = failures;
        BlockedReason = blockedReason;
    }

    /// <summary>The changes, in the order the engine makes them.</summary>
    public IReadOnlyList<PlannedChange> Changes { get; }

    /// <summary>Events left alone on purpose.</summary>
    public IReadOnlyList<SyncNote> Notes { get; }

    /// <summary>Events that cannot be synced because of their data (the rest of the plan goes on).</summary>
    public IReadOnlyList<SyncFailure> Failures { get; }

    /// <summary>Why the plan must not run (the mass-deletion guard), or null when it may.</summary>
    public string? BlockedReason { get; }

    /// <summary>True when the plan must not run.</summary>
    public bool IsBlocked => BlockedReason is not null;

    /// <summary>The conflicts the plan resolves.</summary>
    public IEnumerable<ConflictReport> Conflicts => Changes.Where(c => c.Conflict is not null).Select(c => c.Conflict!);

    /// <summary>How many writes of a kind the plan makes on a side.</summary>
    /// <param name="side">The side.</param>
    /// <param name="kind">The kind of write.</param>
    /// <returns>The count.</returns>
    public int CountWrites(SyncSide side, WriteKind kind)
        => Changes.Count(c => c.WriteOn(side)?.Kind == kind);

    /// <summary>
    /// About how many emails Outlook would send to attendees for the plan's writes, as Outlook decides them for a meeting the
    /// mailbox organizes: an invitation to each attendee of a new meeting; an update to each attendee of a meeting that moves or
    /// changes place; to attendees added or changed an update, to those removed a cancellation; a cancellation to each attendee of
    /// a meeting deleted. A meeting someone else organizes sends nothing.
    /// </summary>
    /// <returns>The estimate.</returns>
    public int EstimateInvitationEmails() => Changes.Sum(EmailsFor);

    /// <summary>The emails of one change's Outlook write (see <see cref="EstimateInvitationEmails"/>).</summary>
    public static int EmailsFor(PlannedChange change)
    {
        if (change.RemoteWrite is not { } write)
        {
            return 0;
        }

        CalendarEvent? before = change.Remote ?? change.ExistingLink?.Base;
        if ((before ?? (write as EventCreate)?.Event ?? (write as EventUpdate)?.Content)?.Organizer is not null)
        {
            return 0;
        }

        switch (write)
        {
            case EventCreate create:
                return create.Event.Attendees.Count;
            case EventUpdate update:
                IReadOnlyList<Attendee> old = before?.Attendees ?? [];
                IReadOnlyList<Attendee> now = update.Content.Attendees;
                if (update.Fields.HasFlag(EventFields.Timing) || update.Fields.HasFlag(EventFields.Location))
                {
                    return now.Count + old.Count(a => !now.Any(n => SameAddress(n, a)));
                }

                return update.Fields.HasFlag(EventFields.Attendees)
                    ? now.Count(n => !old.Any(a => SameAddress(a, n) && a.Type == n.Type)) + old.Count(a => !now.Any(n => SameAddress(n, a)))
                    : 0;
            default:
                return before?.Attendees.Count ?? 0;
        }
    }

    private static bool SameAddress(Attendee a, Attendee b) => string.Equals(a.Email.Address, b.Email.Address, StringComparison.OrdinalIgnoreCase);
}
