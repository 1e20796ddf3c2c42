namespace OutlookCalendarSync.Hangfire;

/// <summary>Asks for a user's sync on the Hangfire servers, from any process that shares their job storage.</summary>
/// <remarks>
/// <para>
/// Registered by <c>AddOutlookCalendarSync(...).AddHangfireScheduling()</c>. Call <see cref="RequestSync"/> when a user's calendar
/// changed (a host's save hook, a "Sync now" button, a Graph change notification).
/// </para>
/// <para>
/// Requests merge, across servers: a request for a user whose job is already enqueued or scheduled (a retry after a failure or
/// throttling) adds no job but marks that one requested, so it runs the user even if the user is not due by then (a job nobody
/// requested ends without a run when its user is not due: see <see cref="HangfireSchedulingOptions"/>); requests while the user's
/// job runs cause exactly one more run after it. No request is lost.
/// </para>
/// </remarks>
/// <threadsafety>Safe to call from any thread.</threadsafety>
public interface IHangfireSyncScheduler
{
    /// <summary>Enqueues a run of the user, unless one is already enqueued, scheduled or promised.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <returns>True when the request adds a run; false when it merged into a run already enqueued or scheduled.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null, empty or white space.</exception>
    bool RequestSync(string userId);
}
