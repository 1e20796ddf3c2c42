namespace OutlookCalendarSync.Engine;

/// <summary>What a reset does to the events that were synced.</summary>
public enum ResetDeletePolicy
{
    /// <summary>Keep every event on both sides; only forget the links.</summary>
    KeepAll,

    /// <summary>Delete the synced events in Outlook; keep them in the host calendar.</summary>
    DeleteInOutlook,

    /// <summary>Delete the synced events in the host calendar; keep them in Outlook.</summary>
    DeleteInHost,

    /// <summary>Delete the synced events on both sides.</summary>
    DeleteBoth,
}
