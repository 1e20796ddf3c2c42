namespace OutlookCalendarSync.Conflicts;

/// <summary>Decides an event changed on both sides. Replace the default (a field-level three-way merge) through the builder.</summary>
/// <remarks>
/// Called by the pure reconciliation step, so it must be deterministic and do no I/O: given the same conflict, return the same
/// resolution. It runs on the sync thread of one user; an implementation shared by users must be thread-safe.
/// <para>
/// Whatever a resolver returns for an invitation someone else organizes (Outlook's copy has an organizer), the engine writes only
/// the owner's own fields to Outlook (answer, reminder, show-as, categories), keeps Outlook's values of the organizer's fields, and
/// does not create again in Outlook an invitation removed from it.
/// </para>
/// </remarks>
public interface IConflictResolver
{
    /// <summary>Decides a conflict.</summary>
    /// <param name="conflict">The base, and the two sides (null for a deleted side).</param>
    /// <returns>The decision.</returns>
    ConflictResolution Resolve(SyncConflict conflict);
}
