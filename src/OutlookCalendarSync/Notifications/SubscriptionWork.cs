namespace OutlookCalendarSync.Notifications;

/// <summary>What the background service is asked to do for a user's subscription.</summary>
internal enum SubscriptionWork
{
    /// <summary>Create the subscription if the user has none, renew it if it is due.</summary>
    Ensure,

    /// <summary>Renew now (<c>reauthorizationRequired</c>).</summary>
    Reauthorize,

    /// <summary>Create a new one (<c>subscriptionRemoved</c>).</summary>
    Recreate,
}
