namespace OutlookCalendarSync.AppOnly;

/// <summary>The outcome of an admin-consent callback.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class AdminConsentResult
{
    /// <summary>Gets how the callback ended.</summary>
    public required AdminConsentStatus Status { get; init; }

    /// <summary>Gets the tenant the admin consented for, when Microsoft named it.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the tenant's consent as checked after the callback, for <see cref="AdminConsentStatus.Consented"/> and <see cref="AdminConsentStatus.NotEffective"/>.</summary>
    public TenantConsent? Tenant { get; init; }

    /// <summary>Gets what happened, for the admin.</summary>
    public required string Message { get; init; }
}
