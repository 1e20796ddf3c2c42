namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// Keeps each tenant's app-only consent status (<see cref="TenantConsent"/>) where every server of a farm reads it: consent granted
/// through one server's admin-consent callback, or a refusal one server found, holds for the others too. One row per tenant.
/// </summary>
/// <remarks>
/// <para>
/// Used only in app-only mode (<c>UseAppOnly</c>). Without another registration the statuses live in the process's memory, which
/// is right for one server. <c>UseSqliteStores</c> and <c>UsePostgreSqlStores</c> register theirs; another implementation is
/// registered with <c>UseTenantConsentStore</c> and checked with <c>TenantConsentStoreContract</c> from
/// OutlookCalendarSync.Specification.Tests.
/// </para>
/// <para>
/// The library writes a row only when a tenant's status changes or is checked again (a token request refused, a consent
/// callback, a recheck), never per Graph request, and reads it at most once a minute per tenant and server.
/// </para>
/// </remarks>
/// <threadsafety>Implementations must be safe for concurrent use by any number of threads and servers.</threadsafety>
public interface ITenantConsentStore
{
    /// <summary>Reads a tenant's status.</summary>
    /// <param name="tenantId">The tenant id or domain, compared without regard to case.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status last saved, or null when none was.</returns>
    Task<TenantConsent?> GetAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a tenant's status, replacing the one saved before unless that one was checked later (a larger
    /// <see cref="TenantConsent.CheckedAt"/>): of two servers that checked a tenant, the later check wins, whatever the order the
    /// writes arrive in.
    /// </summary>
    /// <param name="consent">The status; its <see cref="TenantConsent.CheckedAt"/> is required.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is stored (or kept, being newer).</returns>
    Task SaveAsync(TenantConsent consent, CancellationToken cancellationToken);
}
