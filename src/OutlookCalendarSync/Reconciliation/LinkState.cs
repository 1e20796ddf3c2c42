namespace OutlookCalendarSync.Reconciliation;

/// <summary>Where a link is in its lifecycle (see <see cref="EventLink"/>'s transitions).</summary>
internal enum LinkState
{
    /// <summary>Both sides hold the base: nothing is in flight.</summary>
    Settled,

    /// <summary>
    /// An update was journaled as about to be sent to a side and its outcome is unknown (the run stopped before the answer): a field
    /// of that side equal to what it was sending is the engine's echo, not an edit.
    /// </summary>
    Pending,

    /// <summary>
    /// A merge reached one side (Outlook, which is written first) and not the other: the other side's own changes are measured from
    /// the content it had, and the next run completes the merge.
    /// </summary>
    HalfApplied,
}
