namespace OutlookCalendarSync.Model;

/// <summary>A person's or resource's email address with an optional display name.</summary>
/// <remarks>
/// Addresses are compared case-insensitively (as Outlook does), and the display name does not take part in equality:
/// <c>Ann@Example.com</c> and <c>ann@example.com (Ann)</c> are the same address.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class EmailAddress : IEquatable<EmailAddress>
{
    /// <summary>Creates an address.</summary>
    /// <param name="address">The email address, for example <c>ann@example.com</c>.</param>
    /// <param name="name">The display name, if any.</param>
    /// <exception cref="ArgumentException">The address is empty or has no <c>@</c>.</exception>
    public EmailAddress(string address, string? name = null)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new ArgumentException(
                "An email address is required: attendees and organizers without an email address cannot be synced with Outlook. Give the attendee an address or leave them out.",
                nameof(address));
        }

        string trimmed = address.Trim();
        if (trimmed.IndexOf('@', StringComparison.Ordinal) <= 0 || trimmed.EndsWith('@'))
        {
            throw new ArgumentException($"'{trimmed}' is not an email address: it must have the form name@domain.", nameof(address));
        }

        Address = trimmed;
        NormalizedAddress = trimmed.ToUpperInvariant();
        Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
    }

    /// <summary>The email address, trimmed, in the case it was given.</summary>
    public string Address { get; }

    /// <summary>The display name, or null.</summary>
    public string? Name { get; }

    /// <inheritdoc />
    public bool Equals(EmailAddress? other)
        => other is not null && string.Equals(Address, other.Address, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmailAddress);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Address);

    /// <inheritdoc />
    public override string ToString() => Name is null ? Address : $"{Name} <{Address}>";

    internal string NormalizedAddress { get; }
}
