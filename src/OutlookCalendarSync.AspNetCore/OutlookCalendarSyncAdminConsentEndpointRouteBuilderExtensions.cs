using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.AspNetCore;

// In this namespace, like the framework's Map* methods, so the call needs no extra using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoints a tenant's admin grants the app its application permissions through (app-only mode).</summary>
public static class OutlookCalendarSyncAdminConsentEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /microsoft_account/admin_consent/start?tenant=…</c> (redirects to Microsoft's admin-consent page for the
    /// tenant) and <c>GET /microsoft_account/admin_consent</c> (the callback: checks the state, asks Microsoft Entra for a fresh
    /// app-only token of the tenant, records the tenant's status, then redirects to <see cref="AdminConsentEndpointOptions.ReturnPath"/>
    /// with <c>?admin_consent=consented</c>, <c>denied</c>, <c>invalid_state</c> or <c>not_effective</c>).
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="configure">Changes paths and the answer to the callback.</param>
    /// <returns>The group of both endpoints, to add authorization or other conventions.</returns>
    /// <remarks>
    /// Needs <c>AddOutlookCalendarSync().UseAppOnly(o =&gt; { ...; o.AdminConsentRedirectUri = ...; })</c>. Only a tenant admin
    /// can consent on Microsoft's page, and the callback believes nothing but the token Entra then issues, so the endpoints need no
    /// sign-in of the host's own; add <c>.RequireAuthorization()</c> to the returned group to offer the start link to the host's
    /// admins only.
    /// </remarks>
    public static RouteGroupBuilder MapOutlookCalendarSyncAdminConsent(this IEndpointRouteBuilder endpoints, Action<AdminConsentEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new AdminConsentEndpointOptions();
        configure?.Invoke(options);
        RouteGroupBuilder group = endpoints.MapGroup(string.Empty);
        group.MapGet(options.StartPath, (HttpContext context) =>
        {
            string tenant = context.Request.Query["tenant"].ToString() is { Length: > 0 } given ? given : "organizations";
            Uri url = context.RequestServices.GetRequiredService<IAppOnlyAuthorization>().BuildAdminConsentUrl(tenant);
            return Results.Redirect(url.AbsoluteUri);
        });
        group.MapGet(options.CallbackPath, async (HttpContext context) =>
        {
            var query = context.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            IAppOnlyAuthorization authorization = context.RequestServices.GetRequiredService<IAppOnlyAuthorization>();
            AdminConsentResult result = await authorization.CompleteAdminConsentAsync(query, context.RequestAborted).ConfigureAwait(false);
            if (options.OnCompleted is { } answer)
            {
                return answer(context, result);
            }

            string outcome = result.Status switch
            {
                AdminConsentStatus.Consented => "consented",
                AdminConsentStatus.Denied => "denied",
                AdminConsentStatus.InvalidState => "invalid_state",
                _ => "not_effective",
            };
            var parameters = new Dictionary<string, string?> { ["admin_consent"] = outcome };
            if (result.TenantId is { } tenantId)
            {
                parameters["tenant"] = tenantId;
            }

            return Results.Redirect(QueryHelpers.AddQueryString(options.ReturnPath, parameters));
        });
        return group;
    }
}
