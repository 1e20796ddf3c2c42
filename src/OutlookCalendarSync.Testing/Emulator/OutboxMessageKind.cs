namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>What kind of email Outlook would have sent on the user's behalf.</summary>
public enum OutboxMessageKind
{
    /// <summary>A meeting request, sent to every attendee when an organizer creates an event with attendees.</summary>
    Invitation,

    /// <summary>A meeting update, sent when an organizer adds or changes attendees or moves a meeting.</summary>
    Update,

    /// <summary>A cancellation, sent when an organizer deletes or cancels a meeting or removes an attendee.</summary>
    Cancellation,

    /// <summary>An attendee's answer (accepted, tentatively accepted, declined), sent to the organizer of the meeting.</summary>
    Response,
}
