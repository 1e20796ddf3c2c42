using OutlookCalendarSync.Abstractions;

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
        => Changes.Count(c => (side == SyncSide.Remote ? c.RemoteWrite : c.LocalWrite)?.Kind == kind);

    /// <summary>
    /// How many invitation emails Outlook would send for the plan's writes: one per attendee of each event created with attendees,
    /// one per attendee of each event whose attendees change, and one per attendee of each meeting deleted.
    /// </summary>
    /// <returns>The estimate.</returns>
    public int EstimateInvitationEmails()
    {
        int emails = 0;
        foreach (PlannedChange change in Changes)
        {
            EventWrite? write = change.RemoteWrite;
            if (write is null)
            {
                continue;
            }

            emails += write.Kind switch
            {
                WriteKind.Create => write.Event!.Attendees.Count,
                WriteKind.Update when write.Fields.HasFlag(Model.EventFields.Attendees) => write.Event!.Attendees.Count,
                WriteKind.Delete => change.ExistingLink?.Base.Attendees.Count ?? 0,
                _ => 0,
            };
        }

        return emails;
    }
}
