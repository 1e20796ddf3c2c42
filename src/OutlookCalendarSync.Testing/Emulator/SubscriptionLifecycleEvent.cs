namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>A lifecycle notification Graph sends to a subscription's <c>lifecycleNotificationUrl</c>.</summary>
public enum SubscriptionLifecycleEvent
{
    /// <summary><c>reauthorizationRequired</c>: the app must renew (reauthorize) the subscription or it stops.</summary>
    ReauthorizationRequired,

    /// <summary><c>subscriptionRemoved</c>: Graph removed the subscription; the app must create a new one.</summary>
    SubscriptionRemoved,

    /// <summary><c>missed</c>: some change notifications were not delivered; the app must read the changes with delta.</summary>
    Missed,
}
