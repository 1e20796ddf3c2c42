namespace OutlookCalendarSync.Reporting;

/// <summary>The writes a run made (or a preview expects) on one side.</summary>
/// <remarks>Compared by value. Not a positional record: later versions may add counts without breaking callers.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SyncCounts
{
    /// <summary>Creates counts.</summary>
    /// <param name="created">Events created.</param>
    /// <param name="updated">Events updated.</param>
    /// <param name="deleted">Events deleted.</param>
    public SyncCounts(int created, int updated, int deleted)
    {
        Created = created;
        Updated = updated;
        Deleted = deleted;
    }

    /// <summary>No writes.</summary>
    public static SyncCounts Zero { get; } = new(0, 0, 0);

    /// <summary>Events created.</summary>
    public int Created { get; }

    /// <summary>Events updated.</summary>
    public int Updated { get; }

    /// <summary>Events deleted.</summary>
    public int Deleted { get; }

    /// <summary>All writes.</summary>
    public int Total => Created + Updated + Deleted;
}
