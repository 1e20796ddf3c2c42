using NodaTime;

namespace OutlookCalendarSync.AppOnly;

/// <summary>What the library knows of a tenant's consent: its status, since when, why, and when it is checked again.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class TenantConsent
{
    /// <summary>Gets the tenant id or domain, as the host's mailbox mapping names it.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the status.</summary>
    public required TenantConsentStatus Status { get; init; }

    /// <summary>Gets when the status was last set, or null for <see cref="TenantConsentStatus.Unknown"/>.</summary>
    public Instant? CheckedAt { get; init; }

    /// <summary>Gets what Microsoft Entra or Graph said, and what to do, for a status other than <see cref="TenantConsentStatus.Consented"/>.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// Gets, for <see cref="TenantConsentStatus.ConsentRevoked"/> and <see cref="TenantConsentStatus.Misconfigured"/>, when a token is
    /// asked for again; until then every app-only user of the tenant ends its run at once, without a request to Microsoft.
    /// </summary>
    public Instant? NextCheckAt { get; init; }
}
