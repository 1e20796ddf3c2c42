using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>
/// An email that Outlook would have sent because of a request made through the Graph API:
/// the emulator sends nothing, it records the message so tests can assert that none went out.
/// </summary>
/// <param name="Kind">Invitation, update, cancellation or response.</param>
/// <param name="Mailbox">The mailbox (organizer, or for a response the attendee) whose request caused the message.</param>
/// <param name="EventId">The Graph id of the event the message is about.</param>
/// <param name="Subject">The event's subject at the time the message was recorded.</param>
/// <param name="Recipient">The email address the message would have gone to (one message per recipient).</param>
/// <param name="RecordedAt">When the emulator's clock says the message was recorded.</param>
public sealed record OutboxMessage(
    OutboxMessageKind Kind,
    string Mailbox,
    string EventId,
    string Subject,
    string Recipient,
    Instant RecordedAt);
