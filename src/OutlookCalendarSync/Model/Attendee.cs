using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Model;

/// <summary>A person or resource invited to an event, with their answer.</summary>
/// <param name="Email">The attendee's address; required (Outlook cannot invite an attendee without one).</param>
/// <param name="Type">Required, optional or resource.</param>
/// <param name="Response">The attendee's answer.</param>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record Attendee(EmailAddress Email, AttendeeType Type = AttendeeType.Required, ResponseStatus Response = ResponseStatus.None)
{
    /// <summary>The attendee's address.</summary>
    public EmailAddress Email { get; init; } = Guard.NotNull(Email);

    /// <summary>Creates an attendee from an address and an optional display name.</summary>
    /// <param name="address">The email address.</param>
    /// <param name="name">The display name.</param>
    /// <param name="type">Required, optional or resource.</param>
    /// <param name="response">The attendee's answer.</param>
    /// <returns>The attendee.</returns>
    public static Attendee Create(string address, string? name = null, AttendeeType type = AttendeeType.Required, ResponseStatus response = ResponseStatus.None)
        => new(new EmailAddress(address, name), type, response);
}
