using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Internal;
using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>
/// The default <see cref="IConflictResolver"/>: a field-level three-way merge. A field changed on one side only takes that side's
/// value; a field changed on both sides to different values takes the value of the side modified last (Outlook on a tie, as the
/// reference product does). A deletion against a change follows <see cref="SyncConflict.DeleteVersusChange"/>. A series whose
/// occurrences were deleted on both sides keeps both sides' deletions; a change of its pattern on one side wins over deletions
/// on the other. An invitation someone else organizes (Outlook's copy has an <see cref="CalendarEvent.Organizer"/>) keeps
/// Outlook's values of the organizer's fields (everything but the owner's answer, reminder, show-as and categories), and one
/// removed from Outlook is deleted whatever <see cref="SyncConflict.DeleteVersusChange"/> says: only its organizer can send it
/// again.
/// </summary>
/// <threadsafety>Stateless; safe to share between threads.</threadsafety>
public sealed class ThreeWayMergeResolver : IConflictResolver
{
    /// <inheritdoc />
    public ConflictResolution Resolve(SyncConflict conflict)
    {
        Guard.NotNull(conflict);
        CalendarEvent? local = conflict.Host;
        CalendarEvent? remote = conflict.Outlook;
        if (local is null && remote is null)
        {
            return ConflictResolution.Delete("deleted on both sides");
        }

        if (remote is null && local is not null && InvitationFields.IsInvitation(conflict.Base))
        {
            return ConflictResolution.Delete("an invitation removed from Outlook and changed in the host calendar: only its organizer can send it again, so the deletion wins");
        }

        if (local is null || remote is null)
        {
            string deletedOn = local is null ? "the host calendar" : "Outlook";
            string changedOn = local is null ? "Outlook" : "the host calendar";
            return conflict.DeleteVersusChange == DeleteVersusChange.DeleteWins
                ? ConflictResolution.Delete($"deleted in {deletedOn} and changed in {changedOn}: the deletion wins")
                : ConflictResolution.Keep(local ?? remote!, local is null ? ConflictWinner.Outlook : ConflictWinner.Host, $"deleted in {deletedOn} and changed in {changedOn}: the change wins");
        }

        bool remoteIsNewer = (remote.LastModified ?? default) >= (local.LastModified ?? default);
        EventFields localChanged = conflict.Base is null ? EventFields.All : local.DiffersFrom(conflict.Base);
        EventFields remoteChanged = conflict.Base is null ? EventFields.All : remote.DiffersFrom(conflict.Base);
        EventFields contested = localChanged & remoteChanged & local.DiffersFrom(remote);
        EventFields fromRemote = (remoteChanged & ~localChanged) | (remoteIsNewer ? contested : EventFields.None);
        EventFields organizers = EventFields.None;
        if (InvitationFields.IsInvitation(remote))
        {
            // The organizer's fields of an invitation are never written to the owner's copy: Outlook's values stay.
            organizers = InvitationFields.OrganizerOwned & local.DiffersFrom(remote) & ~fromRemote;
            fromRemote |= organizers;
            contested &= ~InvitationFields.OrganizerOwned;
        }

        CalendarEvent merged = local.WithFieldsFrom(remote, fromRemote);
        if (contested.HasFlag(EventFields.Recurrence) && MergeRecurrence(conflict.Base?.Recurrence, local.Recurrence, remote.Recurrence) is { } rule)
        {
            merged = merged with { Recurrence = rule };
            contested &= ~EventFields.Recurrence;
        }

        ConflictWinner winner = merged.DiffersFrom(local) == EventFields.None ? ConflictWinner.Host
            : merged.DiffersFrom(remote) == EventFields.None ? ConflictWinner.Outlook
            : ConflictWinner.Merged;
        string explanation = contested != EventFields.None
            ? $"{contested} changed on both sides: {(remoteIsNewer ? "Outlook" : "the host calendar")} was modified last and wins those"
            : organizers == EventFields.None ? "changed on both sides in different fields: merged"
            : "changed on both sides: merged";
        if (organizers != EventFields.None)
        {
            explanation += $"; the invitation's {organizers} belong to its organizer: Outlook's values stay";
        }

        return ConflictResolution.Keep(merged, winner, explanation);
    }

    /// <summary>
    /// A series changed on both sides: deletions of different occurrences are both kept; a change of the pattern on one side
    /// wins over deletions on the other (Outlook rebuilds a series whose pattern changes). Null when both changed the pattern.
    /// </summary>
    private static Recurrence? MergeRecurrence(Recurrence? baseRule, Recurrence? local, Recurrence? remote)
    {
        if (baseRule is null || local is null || remote is null)
        {
            return null;
        }

        bool localPattern = !local.HasSamePatternAs(baseRule);
        bool remotePattern = !remote.HasSamePatternAs(baseRule);
        if (localPattern && remotePattern)
        {
            return null;
        }

        if (localPattern || remotePattern)
        {
            return localPattern ? local : remote;
        }

        var deleted = new HashSet<LocalDate>(baseRule.DeletedOccurrences);
        foreach (Recurrence side in new[] { local, remote })
        {
            deleted.UnionWith(side.DeletedOccurrences.Except(baseRule.DeletedOccurrences));
            deleted.ExceptWith(baseRule.DeletedOccurrences.Except(side.DeletedOccurrences));
        }

        return local.WithDeletedOccurrences(deleted);
    }
}
