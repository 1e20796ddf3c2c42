namespace OutlookCalendarSync.Conflicts;

/// <summary>Which way a conflict went, for reports.</summary>
public enum ConflictWinner
{
    /// <summary>The host's version was kept.</summary>
    Host,

    /// <summary>Outlook's version was kept.</summary>
    Outlook,

    /// <summary>Fields were taken from both.</summary>
    Merged,

    /// <summary>The event was deleted on both sides.</summary>
    Deleted,
}
