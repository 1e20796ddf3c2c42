namespace OutlookCalendarSync.Reporting;

/// <summary>
/// Why an event was left alone, as a code the engine can act on; <see cref="SyncNote.Reason"/> says it for people.
/// </summary>
internal enum NoteReason
{
    /// <summary>A reason the engine does not act on (for example an event the Graph adapter cannot read).</summary>
    Other,

    /// <summary>A cancelled event is not created on the other side.</summary>
    Cancelled,

    /// <summary>Outside the sync window.</summary>
    OutsideWindow,

    /// <summary>A past event is not created in Outlook.</summary>
    PastEvent,

    /// <summary>A modified occurrence whose series is not linked yet: synced after its series (in the same run if the series is created).</summary>
    WaitingForSeries,

    /// <summary>A host edit of an invitation's organizer fields was not written to Outlook.</summary>
    InvitationOrganizerFields,

    /// <summary>An invitation removed from Outlook is not created there again.</summary>
    InvitationRemovedFromOutlook,
}
