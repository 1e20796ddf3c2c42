using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>
/// Who owns which field of an invitation: an event in the owner's Outlook calendar that someone else organizes (its Outlook copy
/// has an <see cref="CalendarEvent.Organizer"/>; Graph's <c>isOrganizer</c> is false). The organizer's fields are never written
/// to the owner's copy; only the attendee's own fields are.
/// </summary>
/// <remarks>
/// <para>Evidence, checked 2026-11-30:</para>
/// <list type="bullet">
/// <item>Graph's <c>PATCH /me/events/{id}</c> (event-update) accepts every writable property on any event of the mailbox and says
/// nothing about attendee copies: it does not refuse a change of subject or time in an attendee's copy. Exchange keeps one copy
/// of a meeting per attendee ([MS-OXOCAL]); a change made in an attendee's copy is not sent to anyone, and the organizer's next
/// update (sent as a Meeting Update object, [MS-OXOCAL] 3.1.4.7.4.2 "Updating the Meeting Object") overwrites it. Writing the
/// organizer's fields would therefore leave the owner's copy silently disagreeing with the meeting, until the organizer's next
/// update undoes it.</item>
/// <item>What an attendee keeps for themselves: the answer (<c>accept</c> / <c>tentativelyAccept</c> / <c>decline</c>, its own
/// request, never a PATCH), the reminder (<c>isReminderOn</c>, <c>reminderMinutesBeforeStart</c>), the free/busy status
/// (<c>showAs</c>) and <c>categories</c>: these are per-copy properties that a Meeting Update does not carry. Exchange may set
/// <c>showAs</c> itself when the owner answers ([MS-OXOCAL] 3.1.4.8.1: accepting sets the busy status the organizer intended) or
/// when the organizer sends an update; the next run then brings Outlook's value back like any Outlook change.</item>
/// <item>Uncertain: <c>sensitivity</c>. The organizer sets it and a Meeting Update carries it, but some clients let an attendee
/// mark their copy private. Both readings are safe only if the library does not write it, so it is treated as the organizer's.
/// <c>onlineMeetingUrl</c> is the meeting's join link (ours is an extended property, but its value is the organizer's), so it is
/// the organizer's too.</item>
/// </list>
/// <para>
/// A host edit of an organizer's field is not written: the run reports it (a <see cref="SyncNote"/> naming the organizer) and
/// writes Outlook's value back to the host. An invitation that is gone from Outlook is never created there again: Outlook would
/// make the owner its organizer and email every attendee.
/// </para>
/// </remarks>
internal static class InvitationFields
{
    /// <summary>The fields an attendee may change in their own copy of a meeting.</summary>
    public const EventFields AttendeeOwned = EventFields.MyResponse | EventFields.Reminder | EventFields.ShowAs | EventFields.Categories;

    /// <summary>The fields that belong to the organizer of a meeting: everything else.</summary>
    public const EventFields OrganizerOwned = EventFields.All & ~AttendeeOwned;

    /// <summary>Whether an Outlook event (or the content last synced from it) is an invitation someone else organizes.</summary>
    /// <param name="outlook">The Outlook copy, or the link's base when Outlook's copy was not read this run.</param>
    /// <returns>True for an invitation.</returns>
    public static bool IsInvitation(CalendarEvent? outlook) => outlook?.Organizer is not null;

    /// <summary>How the note of a refused host edit names the organizer.</summary>
    /// <param name="organizer">The organizer.</param>
    /// <returns>For example <c>Bob &lt;bob@example.com&gt;</c>.</returns>
    public static string Describe(EmailAddress organizer)
        => string.IsNullOrWhiteSpace(organizer.Name) || string.Equals(organizer.Name, organizer.Address, StringComparison.OrdinalIgnoreCase)
            ? organizer.Address
            : $"{organizer.Name} <{organizer.Address}>";

    /// <summary>The note's reason for host edits of an invitation's organizer fields that were not written to Outlook.</summary>
    /// <param name="organizer">The organizer.</param>
    /// <param name="refused">The organizer's fields the host changed.</param>
    /// <param name="hostRewritten">Whether Outlook's values are written back to the host calendar.</param>
    /// <returns>The reason.</returns>
    public static string RefusedEdit(EmailAddress organizer, EventFields refused, bool hostRewritten)
        => $"an invitation organized by {Describe(organizer)}: {refused} belong to the organizer and were not written to Outlook "
           + (hostRewritten ? "(Outlook's values were written back to the host calendar)" : "(the host calendar keeps its values: the sync direction does not write it)")
           + "; only the organizer can change them";
}
