namespace OutlookCalendarSync.Testing.Internal;

/// <summary>How a change feed of the in-memory core behaves: like a host database or like Graph's calendar-view delta.</summary>
internal enum FeedDialect
{
    /// <summary>
    /// A host store with soft deletes: an incremental feed returns every change whatever the window, and removals are confirmed
    /// deletions.
    /// </summary>
    HostStore,

    /// <summary>
    /// Graph's calendar-view delta: the cursor keeps the window it was made for, removals are unconfirmed (<c>@removed</c>), and a
    /// changed event that now lies outside the window is reported as removed.
    /// </summary>
    GraphDelta,
}
