using NodaTime;

namespace OutlookCalendarSync.Stores;

/// <summary>
/// A user's Microsoft Graph change-notification subscription, as <see cref="ISubscriptionStore"/> keeps it: one row per user.
/// </summary>
public sealed record NotificationSubscription
{
    /// <summary>Gets the host's user id.</summary>
    public required string UserId { get; init; }

    /// <summary>Gets the id Graph gave the subscription; notifications name it.</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>
    /// Gets the secret Graph sends back in every notification of this subscription (at most 128 characters): a notification
    /// whose <c>clientState</c> differs is forged and ignored. Store it as any secret of the host.
    /// </summary>
    public required string ClientState { get; init; }

    /// <summary>Gets when Graph ends the subscription unless it is renewed.</summary>
    public required Instant ExpiresAt { get; init; }
}
