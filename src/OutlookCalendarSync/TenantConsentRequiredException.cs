using NodaTime;
using OutlookCalendarSync.AppOnly;

namespace OutlookCalendarSync;

/// <summary>
/// The app cannot get an app-only token for a tenant, or the token carries no <c>Calendars.ReadWrite</c>: the tenant's admin must
/// consent (again), or the app's credentials are wrong. Thrown by the remote calendar for every app-only user of that tenant; the
/// engine ends the run with <c>SyncRunStatus.AdminConsentRequired</c> and the scheduler waits until <see cref="RetryAt"/>.
/// </summary>
public sealed class TenantConsentRequiredException : OutlookCalendarSyncException
{
    /// <summary>Creates the exception.</summary>
    public TenantConsentRequiredException()
        : this(string.Empty, TenantConsentStatus.ConsentRevoked, null, "The tenant's admin must grant the app consent.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what the admin must do.</param>
    public TenantConsentRequiredException(string message)
        : this(string.Empty, TenantConsentStatus.ConsentRevoked, null, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and what the admin must do.</param>
    /// <param name="innerException">The cause.</param>
    public TenantConsentRequiredException(string message, Exception innerException)
        : this(string.Empty, TenantConsentStatus.ConsentRevoked, null, message, innerException)
    {
    }

    /// <summary>Creates the exception for a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="status">The tenant's status: <see cref="TenantConsentStatus.ConsentRevoked"/> or <see cref="TenantConsentStatus.Misconfigured"/>.</param>
    /// <param name="retryAt">When the tenant is checked again, or null.</param>
    /// <param name="message">What went wrong and what the admin must do.</param>
    /// <param name="innerException">The cause, or null.</param>
    public TenantConsentRequiredException(string tenantId, TenantConsentStatus status, Instant? retryAt, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        TenantId = tenantId;
        Status = status;
        RetryAt = retryAt;
    }

    /// <summary>Gets the tenant.</summary>
    public string TenantId { get; }

    /// <summary>Gets the tenant's status.</summary>
    public TenantConsentStatus Status { get; }

    /// <summary>Gets when the tenant is checked again, or null.</summary>
    public Instant? RetryAt { get; }
}
