namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>
/// A fault applied to the change notifications the emulator sends (not to lifecycle notifications), injected with
/// <see cref="GraphEmulator.InjectNotificationFault"/>.
/// </summary>
/// <param name="Kind">What happens to a matching notification.</param>
public sealed record NotificationFault(NotificationFaultKind Kind)
{
    /// <summary>Gets the mailbox whose notifications the fault applies to.</summary>
    /// <value><see langword="null"/> (the default) matches every mailbox.</value>
    public string? Mailbox { get; init; }

    /// <summary>Gets how many notifications the fault applies to before it is spent.</summary>
    /// <value><see langword="null"/> (the default) applies until removed.</value>
    public int? Times { get; init; }

    /// <summary>Gets how long a <see cref="NotificationFaultKind.Delay"/> fault holds a notification.</summary>
    /// <value><see cref="TimeSpan.Zero"/> by default.</value>
    public TimeSpan Delay { get; init; }
}
