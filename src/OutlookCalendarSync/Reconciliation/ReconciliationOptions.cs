using NodaTime;
using OutlookCalendarSync.Conflicts;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>The rules one reconciliation follows; made by the engine from <c>OutlookCalendarSyncOptions</c> and the user's state.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
internal sealed record ReconciliationOptions
{
    /// <summary>Which way changes flow. <value>Default: <see cref="SyncDirection.TwoWay"/>.</value></summary>
    public SyncDirection Direction { get; init; } = SyncDefaults.Direction;

    /// <summary>The sync window: new events outside it are not created on the other side; linked events keep syncing.</summary>
    public required Interval Window { get; init; }

    /// <summary>
    /// Whether host events that ended before now are created in Outlook. <value>Default: false</value>, because Outlook emails every
    /// attendee of every event it creates, past ones included.
    /// </summary>
    public bool PushPastEvents { get; init; }

    /// <summary>What a deletion against a change does. <value>Default: <see cref="DeleteVersusChange.DeleteWins"/>.</value></summary>
    public DeleteVersusChange DeleteVersusChange { get; init; } = SyncDefaults.DeleteVersusChange;

    /// <summary>
    /// The share of linked events (0 to 1) a run may delete on one side before the mass-deletion guard stops it.
    /// <value>Default: 0.5.</value>
    /// </summary>
    public double MassDeletionThreshold { get; init; } = SyncDefaults.MassDeletionThreshold;

    /// <summary>Deletions on one side below this number never trip the guard. <value>Default: 10.</value></summary>
    public int MassDeletionMinimum { get; init; } = SyncDefaults.MassDeletionMinimum;

    /// <summary>Lets a run that trips the mass-deletion guard go ahead. <value>Default: false.</value></summary>
    public bool AllowMassDeletion { get; init; }
}
