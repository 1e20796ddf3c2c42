namespace OutlookCalendarSync.Engine;

/// <summary>The writes a run made on one side.</summary>
/// <param name="Created">Events created.</param>
/// <param name="Updated">Events updated.</param>
/// <param name="Deleted">Events deleted.</param>
public sealed record SyncCounts(int Created, int Updated, int Deleted)
{
    /// <summary>No writes.</summary>
    public static SyncCounts Zero { get; } = new(0, 0, 0);

    /// <summary>All writes.</summary>
    public int Total => Created + Updated + Deleted;
}
