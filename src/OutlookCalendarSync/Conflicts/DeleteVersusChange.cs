namespace OutlookCalendarSync.Conflicts;

/// <summary>What happens when one side deleted an event the other side changed.</summary>
public enum DeleteVersusChange
{
    /// <summary>The deletion wins: the changed event is deleted too (the default, as the user asked for it to go).</summary>
    DeleteWins,

    /// <summary>The change wins: the deleted event is created again from the changed one.</summary>
    ChangeWins,
}
