using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Scheduling;

/// <summary>Hears of every run the scheduler finishes (change notifications subscribe users after their first completed run).</summary>
internal interface ISyncRunObserver
{
    /// <summary>Called after a run of a user ended, outside the scheduler's lock; must return at once.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="status">The run's status, or null when the run threw.</param>
    void RunFinished(string userId, SyncRunStatus? status);
}
