namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>How a delta round sends an item.</summary>
internal enum DeltaItemKind
{
    /// <summary>The event in full: a single event, a series master or an exception.</summary>
    Event,

    /// <summary>An occurrence, stripped to its id, type, series master id, start and end, as Graph sends them.</summary>
    Occurrence,

    /// <summary>An <c>@removed</c> entry: deleted, or moved out of the window.</summary>
    Removed,
}
