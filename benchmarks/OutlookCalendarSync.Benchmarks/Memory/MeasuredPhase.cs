namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>What one measured run does, to tell the parts of a first sync apart.</summary>
internal enum MeasuredPhase
{
    /// <summary>A whole first sync: <c>ISyncEngine.SyncAsync</c>.</summary>
    Sync,

    /// <summary>Both feeds read and reconciled, nothing written: <c>ISyncEngine.PreviewAsync</c>.</summary>
    Preview,

    /// <summary>The Graph adapter's full delta round alone: <c>IOutlookCalendar.GetChangesAsync</c>, its result kept.</summary>
    Feed,

    /// <summary>The pulled events created one by one in the SQLite calendar (read beforehand, outside the measurement).</summary>
    LocalWrites,

    /// <summary>
    /// The engine's journal on a first pull, through the SQLite state store: the state marked interrupted, then one
    /// <c>SaveLinksAsync</c> of one link per created event (links made beforehand, outside the measurement).
    /// </summary>
    Journal,

    /// <summary>
    /// The same <c>SaveLinksAsync</c> calls without the state saved first, so the store does not know the stored links and keeps no
    /// copy of them: the difference from <see cref="Journal"/> is the cost of that copy.
    /// </summary>
    JournalUncached,

    /// <summary>
    /// A whole first sync with the journal sent to a second SQLite state store instance (<see cref="JournalOnSecondStore"/>), so no
    /// instance keeps a copy of the stored links: what <see cref="Sync"/> would cost without that copy. A diagnostic, not a setup for hosts.
    /// </summary>
    SyncWithoutLinkCache,
}
