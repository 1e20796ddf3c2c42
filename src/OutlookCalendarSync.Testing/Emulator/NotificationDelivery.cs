using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>One notification the emulator POSTed (or tried to), as recorded in <see cref="GraphEmulator.NotificationDeliveries"/>.</summary>
/// <param name="SubscriptionId">The subscription the notification is about.</param>
/// <param name="Mailbox">The subscription's mailbox.</param>
/// <param name="Kind">The change type (<c>created</c>, <c>updated</c>, <c>deleted</c>) or the lifecycle event (<c>missed</c>, ...).</param>
/// <param name="EventId">The changed event's id; <see langword="null"/> for a lifecycle notification.</param>
/// <param name="Url">The URL it was POSTed to.</param>
/// <param name="StatusCode">The status the endpoint answered, or 0 when it did not answer (refused, timed out).</param>
/// <param name="SentAt">When the emulator's clock says it was sent.</param>
public sealed record NotificationDelivery(
    string SubscriptionId,
    string Mailbox,
    string Kind,
    string? EventId,
    Uri Url,
    int StatusCode,
    Instant SentAt);
