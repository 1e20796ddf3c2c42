using NodaTime;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync;

/// <summary>Each default of <see cref="OutlookCalendarSyncOptions"/>, in one place: the options and the reconciler's inputs read them here.</summary>
internal static class SyncDefaults
{
    public const SyncDirection Direction = SyncDirection.TwoWay;

    public const DeleteVersusChange DeleteVersusChange = Conflicts.DeleteVersusChange.DeleteWins;

    public const double MassDeletionThreshold = 0.5;

    public const int MassDeletionMinimum = 10;

    public const int OutlookBatchSize = 20;

    public static readonly Duration WindowBefore = Duration.FromDays(365);

    public static readonly Duration WindowAfter = Duration.FromDays(730);

    public static readonly Duration WindowReanchorAfter = Duration.FromDays(7);

    public static readonly Duration LeaseDuration = Duration.FromMinutes(1);

    public static readonly Duration SyncInterval = Duration.FromMinutes(15);
}
