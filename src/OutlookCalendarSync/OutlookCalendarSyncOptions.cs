using NodaTime;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync;

/// <summary>The settings of the sync, set through <c>services.AddOutlookCalendarSync(o =&gt; ...)</c> and validated when the app starts.</summary>
public sealed class OutlookCalendarSyncOptions
{
    /// <summary>The longest window Microsoft Graph's calendar view accepts.</summary>
    public static readonly Duration MaximumWindow = Duration.FromDays(5 * 365);

    /// <summary>Which way changes flow. <value>Default: <see cref="SyncDirection.TwoWay"/>.</value></summary>
    public SyncDirection Direction { get; set; } = SyncDefaults.Direction;

    /// <summary>How far back from now the sync window reaches. <value>Default: 365 days.</value></summary>
    public Duration WindowBefore { get; set; } = SyncDefaults.WindowBefore;

    /// <summary>How far ahead of now the sync window reaches. <value>Default: 730 days.</value> The whole window may not exceed five years.</summary>
    public Duration WindowAfter { get; set; } = SyncDefaults.WindowAfter;

    /// <summary>
    /// How far the window may slide forward before the Outlook delta link (made for a fixed window) is replaced by a full listing of
    /// the current window, matched against the links. <value>Default: 7 days.</value>
    /// </summary>
    public Duration WindowReanchorAfter { get; set; } = SyncDefaults.WindowReanchorAfter;

    /// <summary>
    /// Whether host events that ended before now are created in Outlook. <value>Default: false</value>: Outlook emails every attendee of
    /// every event it creates, past ones included, which is how the reference product spams users on their first sync.
    /// </summary>
    public bool PushPastEvents { get; set; }

    /// <summary>What a deletion against a change does. <value>Default: <see cref="Conflicts.DeleteVersusChange.DeleteWins"/>.</value></summary>
    public DeleteVersusChange DeleteVersusChange { get; set; } = SyncDefaults.DeleteVersusChange;

    /// <summary>The share of synced events (0 to 1) one run may delete on one side before it is stopped. <value>Default: 0.5.</value></summary>
    public double MassDeletionThreshold { get; set; } = SyncDefaults.MassDeletionThreshold;

    /// <summary>Deletions on one side below this number never stop a run. <value>Default: 10.</value></summary>
    public int MassDeletionMinimum { get; set; } = SyncDefaults.MassDeletionMinimum;

    /// <summary>Lets runs that trip the mass-deletion guard go ahead. <value>Default: false.</value></summary>
    public bool AllowMassDeletion { get; set; }

    /// <summary>Writes per batch sent to Outlook (Graph's <c>$batch</c> takes at most 20). <value>Default: 20.</value></summary>
    public int OutlookBatchSize { get; set; } = SyncDefaults.OutlookBatchSize;

    /// <summary>
    /// How long the user's lease lasts without renewal: a run renews it every third of this while it works, so a crashed process
    /// blocks its users for at most this long, and a run never overlaps the next one however long it takes.
    /// <value>Default: 1 minute.</value>
    /// </summary>
    public Duration LeaseDuration { get; set; } = SyncDefaults.LeaseDuration;

    /// <summary>
    /// The longest a change waits before the scheduled runs put it on the other side, while the scheduler keeps up with its users.
    /// <value>Default: 15 minutes.</value>
    /// </summary>
    /// <remarks>
    /// A change made just after a run read the calendars is written by the next run, at that run's end. So after a completed run
    /// the engine sets <see cref="Stores.SyncStateHeader.NextSyncAt"/> (read by a scheduler through
    /// <see cref="Stores.ISyncStateStore.GetUsersDueAsync"/>) to the run's start plus this interval, less the run's duration (the
    /// best guess of the next run's), and never sooner than half the interval after the run's end; the schedulers start a user up
    /// to their own latency before that instant (<see cref="Scheduling.SyncSchedulerOptions.PollInterval"/>, or the Hangfire
    /// dispatcher's lead), at most a quarter of the interval. A user's runs thus start a little less than this interval apart.
    /// The bound holds while runs take at most a quarter of the interval and the scheduler has a free slot when a user is due; a
    /// farm that falls behind delays every user (docs/scaling.md).
    /// </remarks>
    public Duration SyncInterval { get; set; } = SyncDefaults.SyncInterval;

    internal Interval WindowAt(Instant now) => new(now - WindowBefore, now + WindowAfter);

    internal ReconciliationOptions ToReconciliationOptions(Instant now) => new()
    {
        Direction = Direction,
        Window = WindowAt(now),
        PushPastEvents = PushPastEvents,
        DeleteVersusChange = DeleteVersusChange,
        MassDeletionThreshold = MassDeletionThreshold,
        MassDeletionMinimum = MassDeletionMinimum,
        AllowMassDeletion = AllowMassDeletion,
    };

    internal IEnumerable<string> Validate()
    {
        if (SyncInterval <= Duration.Zero)
        {
            yield return $"{nameof(SyncInterval)} must be positive (it is {SyncInterval}).";
        }

        if (WindowBefore < Duration.Zero)
        {
            yield return $"{nameof(WindowBefore)} must not be negative (it is {WindowBefore}).";
        }

        if (WindowAfter <= Duration.Zero)
        {
            yield return $"{nameof(WindowAfter)} must be positive (it is {WindowAfter}).";
        }

        if (WindowBefore + WindowAfter > MaximumWindow)
        {
            yield return $"{nameof(WindowBefore)} + {nameof(WindowAfter)} is {(WindowBefore + WindowAfter).TotalDays:0} days, but Microsoft Graph refuses calendar windows longer than five years ({MaximumWindow.TotalDays:0} days): shorten one of them.";
        }

        if (WindowReanchorAfter <= Duration.Zero)
        {
            yield return $"{nameof(WindowReanchorAfter)} must be positive (it is {WindowReanchorAfter}).";
        }

        if (double.IsNaN(MassDeletionThreshold) || MassDeletionThreshold is < 0 or > 1)
        {
            yield return $"{nameof(MassDeletionThreshold)} is a share from 0 to 1 (it is {MassDeletionThreshold}); for example 0.5 stops runs that would delete more than half of the synced events.";
        }

        if (MassDeletionMinimum < 0)
        {
            yield return $"{nameof(MassDeletionMinimum)} must not be negative (it is {MassDeletionMinimum}).";
        }

        if (OutlookBatchSize is < 1 or > 20)
        {
            yield return $"{nameof(OutlookBatchSize)} must be from 1 to 20, the most Microsoft Graph's $batch accepts (it is {OutlookBatchSize}).";
        }

        if (LeaseDuration <= Duration.Zero)
        {
            yield return $"{nameof(LeaseDuration)} must be positive (it is {LeaseDuration}); a run holds the user's lease this long at most.";
        }

        if (!Enum.IsDefined(Direction))
        {
            yield return $"{nameof(Direction)} has the unknown value {(int)Direction}.";
        }
    }
}
