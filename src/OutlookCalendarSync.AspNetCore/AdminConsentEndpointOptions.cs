using Microsoft.AspNetCore.Http;
using OutlookCalendarSync.AppOnly;

namespace OutlookCalendarSync.AspNetCore;

/// <summary>Settings of the endpoints <c>MapOutlookCalendarSyncAdminConsent</c> maps.</summary>
public sealed class AdminConsentEndpointOptions
{
    /// <summary>
    /// Gets or sets the path that sends a tenant's admin to Microsoft's admin-consent page; the tenant comes from the
    /// <c>tenant</c> query parameter (a tenant id or domain; <c>organizations</c> when absent, so the admin's own tenant answers).
    /// <value>Default: <c>/microsoft_account/admin_consent/start</c>.</value>
    /// </summary>
    public string StartPath { get; set; } = AppOnlyOptions.AdminConsentCallbackPath + "/start";

    /// <summary>
    /// Gets or sets the path Microsoft redirects back to; it must match <see cref="AppOnlyOptions.AdminConsentRedirectUri"/>.
    /// <value>Default: <c>/microsoft_account/admin_consent</c>.</value>
    /// </summary>
    public string CallbackPath { get; set; } = AppOnlyOptions.AdminConsentCallbackPath;

    /// <summary>
    /// Gets or sets where the callback sends the browser afterwards, a path of the host app; the outcome is added as
    /// <c>admin_consent</c> to the query: <c>consented</c>, <c>denied</c>, <c>invalid_state</c> or <c>not_effective</c>, and the
    /// tenant as <c>tenant</c> when known.
    /// <value>Default: <c>/</c>.</value>
    /// </summary>
    public string ReturnPath { get; set; } = "/";

    /// <summary>
    /// Gets or sets a custom answer to the callback instead of the redirect to <see cref="ReturnPath"/>, for example a page that
    /// shows <see cref="AdminConsentResult.Message"/>, or one that also calls <c>ISyncScheduler.RequestSync</c> for the tenant's
    /// users.
    /// <value>Default: <see langword="null"/> (the redirect).</value>
    /// </summary>
    public Func<HttpContext, AdminConsentResult, IResult>? OnCompleted { get; set; }
}
