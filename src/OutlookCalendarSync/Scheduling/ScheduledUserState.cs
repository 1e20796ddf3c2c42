namespace OutlookCalendarSync.Scheduling;

/// <summary>Where a user is in the scheduler.</summary>
public enum ScheduledUserState
{
    /// <summary>Not queued, not running, not backing off: the user runs when due or asked for.</summary>
    Idle,

    /// <summary>Waiting for a run slot.</summary>
    Queued,

    /// <summary>A run is in progress.</summary>
    Running,

    /// <summary>Waiting until <see cref="ScheduledUser.NextRunAt"/> after a failure, throttling or a run held elsewhere; then it runs again.</summary>
    BackingOff,
}
