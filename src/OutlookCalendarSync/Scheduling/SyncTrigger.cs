namespace OutlookCalendarSync.Scheduling;

/// <summary>Why a user was queued.</summary>
internal enum SyncTrigger
{
    /// <summary>The state store reported the user due.</summary>
    Due,

    /// <summary>Somebody called <see cref="ISyncScheduler.RequestSync"/>.</summary>
    Requested,

    /// <summary>A backoff or a throttling wait ended.</summary>
    Retry,
}
