namespace OutlookCalendarSync.Model;

/// <summary>An attendee's answer to an invitation.</summary>
public enum ResponseStatus
{
    /// <summary>No response is known.</summary>
    None,

    /// <summary>The attendee is the organizer.</summary>
    Organizer,

    /// <summary>The attendee accepted tentatively.</summary>
    TentativelyAccepted,

    /// <summary>The attendee accepted.</summary>
    Accepted,

    /// <summary>The attendee declined.</summary>
    Declined,

    /// <summary>The attendee has not responded yet.</summary>
    NotResponded,
}
