using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// The admin-consent URL with a single-use, expiring <c>state</c>, and its callback, which trusts Entra's token endpoint rather
/// than the query string: consent counts once an app-only token of the tenant carries <c>Calendars.ReadWrite</c>.
/// </summary>
/// <remarks>
/// The statuses the callback records go to the <see cref="ITenantConsentStore"/>, so every server sharing it sees them.
/// Pending states live in this process: in a farm, the callback must reach the instance that built the URL (admin consent is a
/// rare, interactive step; sticky sessions or a single admin instance do). A callback that lands elsewhere answers
/// <see cref="AdminConsentStatus.InvalidState"/> and changes nothing, and the tenant is still found consented by the next token
/// request after <see cref="AppOnlyOptions.ConsentRecheckInterval"/>.
/// </remarks>
internal sealed class AppOnlyAuthorization(AppOnlyTokenProvider tokens, IClock clock, ILogger<AppOnlyAuthorization> logger) : IAppOnlyAuthorization
{
    private static readonly string[] TenantAliases = ["common", "organizations", "consumers"];
    private readonly ConcurrentDictionary<string, PendingConsent> _pending = new(StringComparer.Ordinal);

    public Uri BuildAdminConsentUrl(string tenantId)
    {
        Guard.NotNullOrWhiteSpace(tenantId);
        AppOnlyOptions options = tokens.Options;
        Uri redirect = options.AdminConsentRedirectUri
            ?? throw new InvalidOperationException($"Set {nameof(AppOnlyOptions)}.{nameof(AppOnlyOptions.AdminConsentRedirectUri)} (registered as a Web redirect URI of the app) to build admin-consent URLs.");
        Instant now = clock.GetCurrentInstant();
        foreach ((string key, PendingConsent pending) in _pending)
        {
            if (pending.ExpiresAt <= now)
            {
                _pending.TryRemove(key, out _);
            }
        }

        string state = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _pending[state] = new PendingConsent(tenantId.Trim(), now + options.AdminConsentLifetime);
        AppOnlyLog.ConsentUrlBuilt(logger, tenantId);
        return new Uri(
            options.AuthorityHost,
            $"{Uri.EscapeDataString(tenantId.Trim())}/v2.0/adminconsent?client_id={Uri.EscapeDataString(options.ClientId!)}&scope={Uri.EscapeDataString(options.GraphScope)}&redirect_uri={Uri.EscapeDataString(redirect.AbsoluteUri)}&state={state}");
    }

    public async Task<AdminConsentResult> CompleteAdminConsentAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        Guard.NotNull(query);
        if (!query.TryGetValue("state", out string? state) || !_pending.TryRemove(state, out PendingConsent? pending) || pending.ExpiresAt <= clock.GetCurrentInstant())
        {
            AppOnlyLog.ConsentCallbackRejected(logger, "the state is missing, unknown, already used or expired");
            return new AdminConsentResult { Status = AdminConsentStatus.InvalidState, Message = "This admin-consent answer does not belong to a consent URL of this app, or it expired or was used: start the admin consent again." };
        }

        string? named = query.TryGetValue("tenant", out string? tenant) && !string.IsNullOrWhiteSpace(tenant) ? tenant : null;
        if (query.TryGetValue("error", out string? error))
        {
            AppOnlyLog.ConsentCallbackRejected(logger, error);
            string description = query.TryGetValue("error_description", out string? d) ? d : error;
            return new AdminConsentResult { Status = AdminConsentStatus.Denied, TenantId = named ?? pending.TenantId, Message = $"Microsoft did not record the admin's consent ({error}: {description})." };
        }

        string tenantId = named ?? pending.TenantId;
        if (TenantAliases.Contains(tenantId, StringComparer.OrdinalIgnoreCase))
        {
            return new AdminConsentResult { Status = AdminConsentStatus.Denied, Message = "Microsoft's answer names no tenant: start the admin consent again with the tenant's id or domain." };
        }

        TenantConsent checkedTenant;
        try
        {
            checkedTenant = await tokens.CheckAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (OutlookCalendarSyncException ex)
        {
            return new AdminConsentResult { Status = AdminConsentStatus.NotEffective, TenantId = tenantId, Tenant = tokens.Get(tenantId), Message = $"Microsoft reported the admin's consent for tenant {tenantId}, but it could not be checked now ({ex.Message}); the tenant's users find out on their next run." };
        }

        if (!string.Equals(pending.TenantId, tenantId, StringComparison.OrdinalIgnoreCase) && !TenantAliases.Contains(pending.TenantId, StringComparer.OrdinalIgnoreCase))
        {
            // The URL named the tenant by its domain, Microsoft answers with its id: users may be mapped by either.
            await tokens.CheckAsync(pending.TenantId, cancellationToken).ConfigureAwait(false);
        }

        return checkedTenant.Status == TenantConsentStatus.Consented
            ? new AdminConsentResult { Status = AdminConsentStatus.Consented, TenantId = tenantId, Tenant = checkedTenant, Message = $"Tenant {tenantId} granted the app access to its calendars; its users are synced from their next run." }
            : new AdminConsentResult { Status = AdminConsentStatus.NotEffective, TenantId = tenantId, Tenant = checkedTenant, Message = $"Microsoft reported the admin's consent for tenant {tenantId}, but the app cannot use it yet: {checkedTenant.Detail} Check that the app registration asks for the Calendars.ReadWrite application permission; a new consent can take a few minutes to apply." };
    }

    public TenantConsent GetTenantConsent(string tenantId) => tokens.Get(Guard.NotNullOrWhiteSpace(tenantId));

    public async Task<TenantConsent> GetSharedTenantConsentAsync(string tenantId, CancellationToken cancellationToken) =>
        await tokens.GetSharedAsync(Guard.NotNullOrWhiteSpace(tenantId), fresh: true, cancellationToken).ConfigureAwait(false);

    public Task<TenantConsent> CheckTenantAsync(string tenantId, CancellationToken cancellationToken) => tokens.CheckAsync(Guard.NotNullOrWhiteSpace(tenantId), cancellationToken);

    private sealed record PendingConsent(string TenantId, Instant ExpiresAt);
}
