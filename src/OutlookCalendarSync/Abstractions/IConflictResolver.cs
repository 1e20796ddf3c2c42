namespace OutlookCalendarSync.Abstractions;

/// <summary>Decides an event changed on both sides. Replace the default (a field-level three-way merge) through the builder.</summary>
/// <remarks>
/// Called by the pure reconciliation step, so it must be deterministic and do no I/O: given the same conflict, return the same
/// resolution. It runs on the sync thread of one user; an implementation shared by users must be thread-safe.
/// </remarks>
public interface IConflictResolver
{
    /// <summary>Decides a conflict.</summary>
    /// <param name="conflict">The base, and the two sides (null for a deleted side).</param>
    /// <returns>The decision.</returns>
    ConflictResolution Resolve(SyncConflict conflict);
}
