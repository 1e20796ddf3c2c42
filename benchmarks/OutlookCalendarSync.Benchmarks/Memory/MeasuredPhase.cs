namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>What one measured run does, to tell the parts of a first sync apart.</summary>
internal enum MeasuredPhase
{
    /// <summary>A whole first sync: <c>ISyncEngine.SyncAsync</c>.</summary>
    Sync,

    /// <summary>Both feeds read and reconciled, nothing written: <c>ISyncEngine.PreviewAsync</c>.</summary>
    Preview,

    /// <summary>
    /// The Graph adapter's full delta round alone: <c>IOutlookCalendar.GetChangesAsync</c> without a look-up (so every event's stamps
    /// are read, as for a caller outside the engine), its result kept.
    /// </summary>
    Feed,

    /// <summary>
    /// The same round as the engine asks for it in a first sync into an empty host calendar: with a look-up that knows no linked
    /// event and says the stamps of unlinked events do not matter (so none is read), its result kept.
    /// </summary>
    PullFeed,

    /// <summary>The pulled events created one by one in the SQLite calendar (read beforehand, outside the measurement).</summary>
    LocalWrites,

    /// <summary>
    /// The engine's journal on a first pull, through the SQLite state store: one save (header marked interrupted, one link row)
    /// per created event (links made beforehand, outside the measurement).
    /// </summary>
    Journal,

    /// <summary>
    /// A whole first sync with the Outlook feed read beforehand (outside the measurement, through the Graph adapter, and answered
    /// to the engine by <see cref="ReplayedFeedCalendar"/>): what the engine, the reconciler and the stores cost beyond the feed.
    /// </summary>
    Engine,

    /// <summary>
    /// The full delta round's pages fetched through the adapter's HTTP pipeline and only read as bytes (tokenized to find the
    /// next link): what the emulator's serialization and the transport cost.
    /// </summary>
    RawPages,

    /// <summary>The same pages parsed by the SDK into its models (<c>DeltaGetResponse</c>), not mapped, nothing kept.</summary>
    SdkPages,

    /// <summary>The same pages read by the adapter's <c>GraphDeltaPageReader</c>, not mapped, nothing kept.</summary>
    ReaderPages,
}
