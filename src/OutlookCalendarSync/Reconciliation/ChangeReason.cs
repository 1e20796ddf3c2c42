namespace OutlookCalendarSync.Reconciliation;

/// <summary>
/// Why the reconciler planned a change, as a code the engine and the tests can act on; <see cref="PlannedChange.Description"/>
/// says the same for people and may change wording freely.
/// </summary>
internal enum ChangeReason
{
    /// <summary>Not planned by the reconciler (a reset deletes every link).</summary>
    Unspecified,

    /// <summary>A side has a new version whose content is what was last seen (for example the echo of the engine's own write).</summary>
    NewVersionSameContent,

    /// <summary>A side's event was read with the content already agreed on.</summary>
    ContentUnchanged,

    /// <summary>Changed in the host calendar only: Outlook gets the changed fields.</summary>
    ChangedInHost,

    /// <summary>Changed in Outlook only: the host calendar gets the changed fields.</summary>
    ChangedInOutlook,

    /// <summary>Changed on a side the sync direction does not bring back.</summary>
    IgnoredByDirection,

    /// <summary>Deleted in the host calendar: deleted in Outlook.</summary>
    DeletedInHost,

    /// <summary>Deleted in Outlook: deleted in the host calendar.</summary>
    DeletedInOutlook,

    /// <summary>Deleted on both sides: the link is forgotten.</summary>
    DeletedOnBothSides,

    /// <summary>Changed on both sides to the same content.</summary>
    ChangedIdentically,

    /// <summary>Changed on both sides, or deleted on one and changed on the other: decided by the resolver or the direction.</summary>
    Conflict,

    /// <summary>A merge that reached one side only (a failed or interrupted write) is completed; not a new conflict.</summary>
    CompletesHalfAppliedMerge,

    /// <summary>A host edit of an invitation's organizer fields: not written to Outlook, Outlook's values go back to the host.</summary>
    InvitationOrganizerFieldsKept,

    /// <summary>An invitation removed from Outlook is not created there again.</summary>
    InvitationRemovedFromOutlook,

    /// <summary>An unlinked copy this library made of an event now deleted on the other side.</summary>
    CopyOfDeletedEvent,

    /// <summary>An unlinked modified occurrence of a deleted series.</summary>
    OccurrenceOfDeletedSeries,

    /// <summary>An unlinked modified occurrence whose occurrence its series has deleted.</summary>
    OccurrenceDeletedBySeries,

    /// <summary>Two unlinked events that are the same: linked.</summary>
    SameEventOnBothSides,

    /// <summary>Two unlinked events matched as one whose contents differ.</summary>
    MatchedEventsDiffer,

    /// <summary>New on one side: created on the other.</summary>
    NewOnOneSide,
}
