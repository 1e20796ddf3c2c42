namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>What a <see cref="NotificationFault"/> does to a change notification.</summary>
public enum NotificationFaultKind
{
    /// <summary>The notification is never sent, as when Graph drops it.</summary>
    Lose,

    /// <summary>The notification is sent after <see cref="NotificationFault.Delay"/>; later notifications may overtake it.</summary>
    Delay,

    /// <summary>The notification is sent twice, as Graph may do.</summary>
    Duplicate,
}
