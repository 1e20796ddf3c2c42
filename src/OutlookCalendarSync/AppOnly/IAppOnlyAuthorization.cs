namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// The admin's side of app-only mode: the admin-consent URL and its callback, and each tenant's consent status. Registered by
/// <c>.UseAppOnly(...)</c>; <c>MapOutlookCalendarSyncAdminConsent()</c> of OutlookCalendarSync.AspNetCore maps the endpoints.
/// </summary>
/// <threadsafety>Thread-safe.</threadsafety>
public interface IAppOnlyAuthorization
{
    /// <summary>
    /// Builds the URL that asks a tenant's admin to grant the app its application permissions:
    /// <c>{AuthorityHost}/{tenant}/v2.0/adminconsent?client_id=…&amp;scope=https://graph.microsoft.com/.default&amp;redirect_uri=…&amp;state=…</c>
    /// with a single-use <c>state</c> that expires after <see cref="AppOnlyOptions.AdminConsentLifetime"/>.
    /// </summary>
    /// <param name="tenantId">The tenant id or domain; <c>organizations</c> lets the admin's own tenant answer.</param>
    /// <returns>The URL to send the admin's browser to.</returns>
    /// <exception cref="InvalidOperationException"><see cref="AppOnlyOptions.AdminConsentRedirectUri"/> is not set.</exception>
    Uri BuildAdminConsentUrl(string tenantId);

    /// <summary>
    /// Completes an admin-consent callback: checks the <c>state</c>, then asks for a fresh app-only token of the tenant Microsoft
    /// named, so the tenant's status says what Entra now grants (not what the query string claims).
    /// </summary>
    /// <param name="query">The callback's query parameters (<c>tenant</c>, <c>state</c>, <c>admin_consent</c>, or <c>error</c>).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome.</returns>
    Task<AdminConsentResult> CompleteAdminConsentAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken);

    /// <summary>Gets what this server knows of a tenant's consent, without a request or a read of the store.</summary>
    /// <param name="tenantId">The tenant id or domain.</param>
    /// <returns>
    /// The status; <see cref="TenantConsentStatus.Unknown"/> for a tenant this server has not asked for or read yet. In a farm, what
    /// another server recorded shows here once this server has read the store (at most a minute later while it syncs the tenant's
    /// users); <see cref="GetSharedTenantConsentAsync"/> reads it now.
    /// </returns>
    TenantConsent GetTenantConsent(string tenantId);

    /// <summary>Reads a tenant's consent from the <see cref="ITenantConsentStore"/> every server shares, without a request to Microsoft.</summary>
    /// <param name="tenantId">The tenant id or domain.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status last recorded by any server; <see cref="TenantConsentStatus.Unknown"/> for a tenant none has asked for.</returns>
    Task<TenantConsent> GetSharedTenantConsentAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Asks Microsoft Entra for a fresh app-only token of a tenant now and records what it grants.</summary>
    /// <param name="tenantId">The tenant id or domain.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The tenant's status after the check.</returns>
    /// <exception cref="OutlookCalendarSyncException">Microsoft Entra could not be reached; nothing was recorded.</exception>
    Task<TenantConsent> CheckTenantAsync(string tenantId, CancellationToken cancellationToken);
}
