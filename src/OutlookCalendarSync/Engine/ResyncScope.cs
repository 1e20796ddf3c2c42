namespace OutlookCalendarSync.Engine;

/// <summary>What the first run after a reset syncs.</summary>
public enum ResyncScope
{
    /// <summary>Only events created or changed after the reset.</summary>
    NewEventsOnly,

    /// <summary>Every event in the window again (existing pairs are matched, not duplicated).</summary>
    AllEvents,
}
