using NodaTime;

namespace OutlookCalendarSync.Notifications;

/// <summary>
/// The settings of Microsoft Graph change notifications, set through <c>AddOutlookCalendarSync(...).AddChangeNotifications(o =&gt; ...)</c>
/// and validated when the app starts.
/// </summary>
/// <remarks>
/// Every connected user gets one subscription on their events (created, updated, deleted) with its own secret
/// <c>clientState</c>. It is created after the user's first completed run, renewed when less than <see cref="RenewBefore"/> is
/// left, created again after Graph removes it, and deleted when the user stops syncing, is reset or disconnects. A notification
/// only asks the scheduler for a run of its user; the scheduler's periodic runs stay the safety net for lost notifications.
/// </remarks>
public sealed class ChangeNotificationOptions
{
    /// <summary>Graph's longest lifetime of a subscription to Outlook events: 4,230 minutes (just under three days).</summary>
    public static readonly Duration MaximumLifetime = Duration.FromMinutes(4230);

    /// <summary>
    /// The public URL Graph POSTs change notifications to, served by <c>MapOutlookCalendarSyncNotifications</c>: https, reachable
    /// from the internet, such as <c>https://app.example.com/microsoft_graph/notifications</c>. Required.
    /// <value>Default: none.</value>
    /// </summary>
    /// <remarks>Plain http is accepted for a loopback address only (the Graph emulator of OutlookCalendarSync.Testing).</remarks>
    public Uri? NotificationUrl { get; set; }

    /// <summary>
    /// The public URL Graph POSTs lifecycle notifications to (<c>reauthorizationRequired</c>, <c>subscriptionRemoved</c>,
    /// <c>missed</c>), such as <c>https://app.example.com/microsoft_graph/lifecycle</c>. Required; it can only be set when a
    /// subscription is created.
    /// <value>Default: none.</value>
    /// </summary>
    public Uri? LifecycleNotificationUrl { get; set; }

    /// <summary>
    /// How long a subscription lasts when it is created or renewed, from 45 minutes to <see cref="MaximumLifetime"/>.
    /// <value>Default: 4,230 minutes, Graph's maximum for Outlook events.</value>
    /// </summary>
    public Duration SubscriptionLifetime { get; set; } = MaximumLifetime;

    /// <summary>
    /// How long before its expiry a subscription is renewed: from <see cref="RenewalCheckInterval"/> (so no check can miss the
    /// window) to less than <see cref="SubscriptionLifetime"/>.
    /// <value>Default: 1 day, so a subscription is renewed about every two days and survives a day of failed renewals.</value>
    /// </summary>
    public Duration RenewBefore { get; set; } = Duration.FromDays(1);

    /// <summary>
    /// How often the subscriptions due for renewal are looked for, from 1 second to 1 hour.
    /// <value>Default: 5 minutes.</value>
    /// </summary>
    public Duration RenewalCheckInterval { get; set; } = Duration.FromMinutes(5);

    internal IEnumerable<string> Validate()
    {
        foreach (string problem in CheckUrl(NotificationUrl, nameof(NotificationUrl)).Concat(CheckUrl(LifecycleNotificationUrl, nameof(LifecycleNotificationUrl))))
        {
            yield return problem;
        }

        if (SubscriptionLifetime < Duration.FromMinutes(45) || SubscriptionLifetime > MaximumLifetime)
        {
            yield return $"{nameof(SubscriptionLifetime)} must be from 45 minutes to 4,230 minutes, Graph's maximum for Outlook events (it is {SubscriptionLifetime}).";
        }

        if (RenewalCheckInterval < Duration.FromSeconds(1) || RenewalCheckInterval > Duration.FromHours(1))
        {
            yield return $"{nameof(RenewalCheckInterval)} must be from 1 second to 1 hour (it is {RenewalCheckInterval}).";
        }

        if (RenewBefore < RenewalCheckInterval || RenewBefore >= SubscriptionLifetime)
        {
            yield return $"{nameof(RenewBefore)} must be at least {nameof(RenewalCheckInterval)} ({RenewalCheckInterval}) and less than {nameof(SubscriptionLifetime)} ({SubscriptionLifetime}) (it is {RenewBefore}).";
        }
    }

    private static IEnumerable<string> CheckUrl(Uri? url, string name)
    {
        if (url is null)
        {
            yield return $"{name} is required: the public https URL that MapOutlookCalendarSyncNotifications serves, such as https://app.example.com/microsoft_graph/{(name == nameof(NotificationUrl) ? "notifications" : "lifecycle")}.";
        }
        else if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
        {
            yield return $"{name} must be an absolute https URL (it is '{url}').";
        }
        else if (url.Scheme == "http" && !url.IsLoopback)
        {
            yield return $"{name} must use https (it is '{url}'): Graph only calls https endpoints. Plain http is only allowed for a loopback address, such as with the Graph emulator.";
        }
    }
}
