namespace OutlookCalendarSync.Calendars;

/// <summary>How one write ended.</summary>
public enum WriteStatus
{
    /// <summary>The write was made.</summary>
    Succeeded,

    /// <summary>The event changed since it was read; nothing was written (retried next run).</summary>
    VersionConflict,

    /// <summary>The event does not exist.</summary>
    NotFound,

    /// <summary>The write failed for a reason that may pass (throttling, a timeout, a server error); retried next run.</summary>
    TransientFailure,

    /// <summary>The write was refused for a reason that will not pass by itself (bad data, no permission).</summary>
    PermanentFailure,
}
