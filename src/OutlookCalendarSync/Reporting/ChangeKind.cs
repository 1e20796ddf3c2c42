namespace OutlookCalendarSync.Reporting;

/// <summary>What a run does to a pair of events (<see cref="PreviewedChange.Kind"/>).</summary>
public enum ChangeKind
{
    /// <summary>Creates the event on the side that lacks it, and links the pair.</summary>
    Create,

    /// <summary>Writes changed fields to one or both sides.</summary>
    Update,

    /// <summary>Deletes the event on the side that still has it, and unlinks the pair.</summary>
    Delete,

    /// <summary>Links two unlinked events that are the same; no write.</summary>
    Link,

    /// <summary>Forgets a pair deleted on both sides (or no longer followed); no write.</summary>
    Unlink,

    /// <summary>Records new versions of unchanged content (for example the echo of this library's own write); no write.</summary>
    Acknowledge,
}
