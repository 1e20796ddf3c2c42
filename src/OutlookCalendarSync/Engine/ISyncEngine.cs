
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>Syncs a user's host calendar with their Outlook calendar; the entry point host applications call.</summary>
/// <remarks>
/// Call <see cref="SyncAsync"/> from a button, a timer, a job scheduler or a change notification. One run per user at a time (a
/// lease in the state store); different users may sync in parallel. Per-event problems are reported in the result, not thrown.
/// </remarks>
/// <threadsafety>Safe to call from several threads, for the same or different users.</threadsafety>
public interface ISyncEngine
{
    /// <summary>Runs one two-way sync for a user.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the run; a cancelled run leaves the previous state, and the next run repairs itself.</param>
    /// <returns>What the run did.</returns>
    Task<SyncResult> SyncAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Shows what a run would do now, without writing anything: counts per side and the invitation emails it would cause.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the preview.</param>
    /// <returns>The preview.</returns>
    Task<SyncPreview> PreviewAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Reads a user's sync status cheaply (one header row: status, last and next run, last error), without the links.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header; a new one (revision 0, <see cref="SyncStatus.Active"/>) for a user who never synced.</returns>
    Task<SyncStateHeader> GetStatusAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Pauses a user's sync: runs do nothing until <see cref="ResumeAsync"/>; links and cursors are kept.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the status is saved.</returns>
    Task PauseAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused or stopped sync; changes made meanwhile are synced by the next run.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the status is saved.</returns>
    Task ResumeAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Stops a user's sync (the user turned it off).</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the status is saved.</returns>
    Task StopAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resets a user: optionally deletes the synced events on one or both sides, forgets every link and cursor, and sets the user
    /// active again. The next run syncs only new events, or every event (matched, not duplicated).
    /// </summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="options">What to delete and what to sync next.</param>
    /// <param name="cancellationToken">Cancels the reset.</param>
    /// <returns>The deletions made (and any that failed).</returns>
    Task<SyncResult> ResetAsync(string userId, ResetOptions options, CancellationToken cancellationToken = default);
}
