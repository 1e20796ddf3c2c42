namespace OutlookCalendarSync.Scheduling;

/// <summary>The embedded scheduler: runs users when they are due or asked for, and shows what it does.</summary>
/// <remarks>
/// <para>
/// Registered by <c>AddOutlookCalendarSync(...).AddScheduler()</c>, which also adds the hosted service that does the work: it syncs
/// every active user when due (see <see cref="SyncSchedulerOptions"/>), at most <see cref="SyncSchedulerOptions.MaxConcurrentRuns"/>
/// at a time, never one user twice at once, and backs off per user after failures and throttling.
/// </para>
/// <para>
/// Call <see cref="RequestSync"/> when a user's calendar changed (a host's save hook, a "Sync now" button, a Graph change
/// notification). Requests merge: any number of requests for a user already queued add nothing, and requests while the user runs
/// cause exactly one more run after it.
/// </para>
/// </remarks>
/// <threadsafety>Safe to call from any thread.</threadsafety>
public interface ISyncScheduler
{
    /// <summary>Asks for a run of a user as soon as a run slot is free (after its backoff, if it is backing off).</summary>
    /// <param name="userId">The host's user id.</param>
    /// <returns>True when the request adds a run; false when it merged into a run already queued or promised.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null, empty or white space.</exception>
    bool RequestSync(string userId);

    /// <summary>Reads what the scheduler knows of one user.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <returns>The user's schedule, or null for a user this process has not queued or run since it started.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null, empty or white space.</exception>
    ScheduledUser? GetUser(string userId);

    /// <summary>Reads what the scheduler is doing: queue length, runs in flight, and every user it has queued or run since it started.</summary>
    /// <returns>A consistent copy, taken at once.</returns>
    SyncSchedulerSnapshot GetSnapshot();
}
