using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// Client-credentials tokens through MSAL's confidential client, one client (and so one cached token) per tenant, and each
/// tenant's consent status: a tenant that refused is not asked again before <see cref="AppOnlyOptions.ConsentRecheckInterval"/>.
/// </summary>
/// <remarks>
/// A singleton: the tokens and the statuses outlive runs. Statuses are kept in the <see cref="ITenantConsentStore"/>, so every
/// server of a farm sharing it acts on one truth; each server reads a tenant's row again when its copy is older than
/// <see cref="SharedStatusRefresh"/>, and writes only when a status is recorded (never per Graph request).
/// </remarks>
internal sealed class AppOnlyTokenProvider(IOptions<AppOnlyOptions> options, IClock clock, ILogger<AppOnlyTokenProvider> logger, ITenantConsentStore store) : IDisposable
{
    /// <summary>How long a tenant's status read from the store is used before it is read again: what another server recorded
    /// (consent through its callback, a refusal it found) is acted on here within this time.</summary>
    internal static readonly Duration SharedStatusRefresh = Duration.FromMinutes(1);

    private const string CalendarsRole = "Calendars.ReadWrite";
    private static readonly HashSet<string> MicrosoftHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "login.microsoftonline.us",
        "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
    };

    private readonly ConcurrentDictionary<string, IConfidentialClientApplication> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (TenantConsent Consent, Instant ReadAt)> _tenants = new(StringComparer.OrdinalIgnoreCase);

    public AppOnlyOptions Options => options.Value;

    /// <summary>This server's copy of a tenant's status, without a read of the store.</summary>
    public TenantConsent Get(string tenantId) =>
        _tenants.TryGetValue(tenantId, out var known) ? known.Consent : new TenantConsent { TenantId = tenantId, Status = TenantConsentStatus.Unknown };

    /// <summary>A tenant's status as the store has it: this server's copy while younger than <see cref="SharedStatusRefresh"/>
    /// (unless <paramref name="fresh"/>), else read again.</summary>
    public async ValueTask<TenantConsent> GetSharedAsync(string tenantId, bool fresh, CancellationToken cancellationToken)
    {
        Instant now = clock.GetCurrentInstant();
        if (!fresh && _tenants.TryGetValue(tenantId, out var known) && now - known.ReadAt < SharedStatusRefresh)
        {
            return known.Consent;
        }

        TenantConsent stored = await store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) ?? new TenantConsent { TenantId = tenantId, Status = TenantConsentStatus.Unknown };
        _tenants[tenantId] = (stored, now);
        return stored;
    }

    /// <summary>A current app-only Graph token of the tenant.</summary>
    /// <exception cref="TenantConsentRequiredException">The tenant refused, now or at its last check.</exception>
    /// <exception cref="OutlookCalendarSyncException">Microsoft Entra could not be reached; retry later.</exception>
    public async Task<string> GetAccessTokenAsync(string tenantId, CancellationToken cancellationToken)
    {
        Guard.NotNullOrWhiteSpace(tenantId);
        ThrowIfWaiting(await GetSharedAsync(tenantId, fresh: false, cancellationToken).ConfigureAwait(false));
        SemaphoreSlim gate = _gates.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Users of one tenant run in parallel: one asks, the others find its answer here.
            TenantConsent known = await GetSharedAsync(tenantId, fresh: false, cancellationToken).ConfigureAwait(false);
            ThrowIfWaiting(known);
            return await AcquireAsync(tenantId, forceRefresh: known.Status is not (TenantConsentStatus.Consented or TenantConsentStatus.Unknown), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Asks for a fresh token now, whatever the tenant's status, and returns the status after.</summary>
    public async Task<TenantConsent> CheckAsync(string tenantId, CancellationToken cancellationToken)
    {
        Guard.NotNullOrWhiteSpace(tenantId);
        SemaphoreSlim gate = _gates.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await AcquireAsync(tenantId, forceRefresh: true, cancellationToken).ConfigureAwait(false);
        }
        catch (TenantConsentRequiredException)
        {
            // Recorded: the status says why.
        }
        finally
        {
            gate.Release();
        }

        return Get(tenantId);
    }

    /// <summary>
    /// After Graph answered 401 to <paramref name="rejectedToken"/>: drops the tenant's cached token and returns a newly issued one.
    /// When a parallel request of the tenant already replaced the rejected token, its replacement is returned without a new request.
    /// </summary>
    /// <returns>The token to retry with, and whether it was newly issued for this call (<see langword="false"/>: the cached
    /// replacement, which Graph may refuse too without that saying anything about the app's settings).</returns>
    /// <exception cref="TenantConsentRequiredException">Entra refuses a new token: the tenant's status says why.</exception>
    /// <exception cref="OutlookCalendarSyncException">Microsoft Entra could not be reached; retry later.</exception>
    public async Task<(string Token, bool Refreshed)> RenewRejectedAsync(string tenantId, string rejectedToken, CancellationToken cancellationToken)
    {
        Guard.NotNullOrWhiteSpace(tenantId);
        SemaphoreSlim gate = _gates.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfWaiting(await GetSharedAsync(tenantId, fresh: false, cancellationToken).ConfigureAwait(false));
            string current = await AcquireAsync(tenantId, forceRefresh: false, cancellationToken).ConfigureAwait(false);
            return string.Equals(current, rejectedToken, StringComparison.Ordinal)
                ? (await AcquireAsync(tenantId, forceRefresh: true, cancellationToken).ConfigureAwait(false), true)
                : (current, false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Records that Graph refused a token Entra had just issued (a second 401): no retry or consent helps, the app's settings are
    /// wrong (a <see cref="AppOnlyOptions.GraphScope"/> of another resource or cloud than <c>GraphBaseUrl</c>, say). The tenant is
    /// <see cref="TenantConsentStatus.Misconfigured"/> until <see cref="AppOnlyOptions.ConsentRecheckInterval"/> has passed.
    /// </summary>
    /// <returns>The exception that ends the run of the tenant's user.</returns>
    public async Task<TenantConsentRequiredException> RecordRejectedTwiceAsync(string tenantId, string? graphCode, string? graphMessage, CancellationToken cancellationToken) => Refusal(await RecordAsync(
        tenantId,
        TenantConsentStatus.Misconfigured,
        $"Microsoft Graph refused a newly issued app-only token of tenant {tenantId} (401 {graphCode}{(graphMessage is null ? string.Empty : ": " + graphMessage)}). Check that {nameof(AppOnlyOptions.GraphScope)} ('{Options.GraphScope}') names the Graph resource of the cloud GraphBaseUrl points to.",
        cancellationToken).ConfigureAwait(false));

    public void Dispose()
    {
        foreach (SemaphoreSlim gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>
    /// Whether an access token carries the <c>Calendars.ReadWrite</c> application role, or null when it cannot be read.
    /// </summary>
    /// <remarks>
    /// Microsoft asks clients to treat access tokens as opaque; Graph's app-only tokens are JWTs with a <c>roles</c> claim today.
    /// Reading it only saves the mailbox requests of a tenant whose consent is gone: a token that cannot be read is used, and
    /// Graph's 403 then decides (a <see cref="MailboxUnavailableException"/> that names both causes), so the library is right
    /// under either reading.
    /// </remarks>
    internal static bool? HasCalendarsRole(string accessToken)
    {
        string[] parts = accessToken.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            string payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using JsonDocument claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            if (claims.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return claims.RootElement.TryGetProperty("roles", out JsonElement roles) && roles.ValueKind == JsonValueKind.Array
                && roles.EnumerateArray().Any(r => string.Equals(r.GetString(), CalendarsRole, StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private void ThrowIfWaiting(TenantConsent known)
    {
        if (known.Status is TenantConsentStatus.ConsentRevoked or TenantConsentStatus.Misconfigured
            && known.NextCheckAt is { } next && next > clock.GetCurrentInstant())
        {
            throw Refusal(known);
        }
    }

    private async Task<string> AcquireAsync(string tenantId, bool forceRefresh, CancellationToken cancellationToken)
    {
        IConfidentialClientApplication client = _clients.GetOrAdd(tenantId, CreateClient);
        AuthenticationResult result;
        try
        {
            result = await client.AcquireTokenForClient([Options.GraphScope]).WithForceRefresh(forceRefresh).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MsalServiceException ex) when (Classify(ex) is { } status)
        {
            throw Refusal(await RecordAsync(tenantId, status, Explain(status, ex), cancellationToken).ConfigureAwait(false));
        }
        catch (MsalException ex)
        {
            throw new OutlookCalendarSyncException($"Microsoft Entra could not issue an app-only token for tenant {tenantId} now ({ex.ErrorCode}); the run is retried later.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OutlookCalendarSyncException($"Microsoft Entra could not be reached for an app-only token of tenant {tenantId} ({ex.Message}); the run is retried later.", ex);
        }

        if (HasCalendarsRole(result.AccessToken) == false)
        {
            throw Refusal(await RecordAsync(
                tenantId,
                TenantConsentStatus.ConsentRevoked,
                $"the app-only token of tenant {tenantId} carries no {CalendarsRole} application permission: the admin revoked it, or consented before the app registration asked for it. A tenant admin must grant consent again.",
                cancellationToken).ConfigureAwait(false));
        }

        if (Get(tenantId).Status != TenantConsentStatus.Consented)
        {
            await RecordAsync(tenantId, TenantConsentStatus.Consented, null, cancellationToken).ConfigureAwait(false);
        }

        return result.AccessToken;
    }

    private async Task<TenantConsent> RecordAsync(string tenantId, TenantConsentStatus status, string? detail, CancellationToken cancellationToken)
    {
        Instant now = clock.GetCurrentInstant();
        bool refused = status is TenantConsentStatus.ConsentRevoked or TenantConsentStatus.Misconfigured;
        var consent = new TenantConsent
        {
            TenantId = tenantId,
            Status = status,
            CheckedAt = now,
            Detail = detail,
            NextCheckAt = refused ? now + Options.ConsentRecheckInterval : null,
        };
        await store.SaveAsync(consent, cancellationToken).ConfigureAwait(false);
        _tenants[tenantId] = (consent, now);
        if (refused)
        {
            AppOnlyLog.Refused(logger, tenantId, status, detail ?? string.Empty, consent.NextCheckAt!.Value);
        }
        else
        {
            AppOnlyLog.Consented(logger, tenantId);
        }

        return consent;
    }

    private static TenantConsentRequiredException Refusal(TenantConsent consent) => new(
        consent.TenantId,
        consent.Status,
        consent.NextCheckAt,
        consent.Status == TenantConsentStatus.Misconfigured
            ? $"The app cannot get app-only tokens for tenant {consent.TenantId}: {consent.Detail} Fix AppOnlyOptions; the tenant is asked again at {consent.NextCheckAt}."
            : $"The app has no admin consent in tenant {consent.TenantId}: {consent.Detail} Send a tenant admin the admin-consent URL; the tenant is asked again at {consent.NextCheckAt}, or at once when the admin-consent callback succeeds.");

    /// <summary>Whether Entra's refusal is the tenant's (no consent) or the app's (credentials, tenant, scope); null when it may pass.</summary>
    private static TenantConsentStatus? Classify(MsalServiceException ex) => ex.ErrorCode switch
    {
        "unauthorized_client" => TenantConsentStatus.ConsentRevoked,
        "invalid_client" or "invalid_scope" or "invalid_resource" => TenantConsentStatus.Misconfigured,
        "invalid_request" when ex.Message.Contains("AADSTS90002", StringComparison.Ordinal) || ex.Message.Contains("AADSTS90009", StringComparison.Ordinal) => TenantConsentStatus.Misconfigured,
        _ when ex.Message.Contains("AADSTS700016", StringComparison.Ordinal) || ex.Message.Contains("AADSTS65001", StringComparison.Ordinal) => TenantConsentStatus.ConsentRevoked,
        _ => null,
    };

    private static string Explain(TenantConsentStatus status, MsalServiceException ex)
    {
        // MSAL's message carries Entra's AADSTS code and description (no secret); its first line is enough.
        string said = ex.Message.Split('\n', 2)[0].Trim();
        return status == TenantConsentStatus.ConsentRevoked
            ? $"Microsoft Entra does not know the app in this tenant ({ex.ErrorCode}: {said})."
            : $"Microsoft Entra refused the app's credentials or request ({ex.ErrorCode}: {said}).";
    }

    private IConfidentialClientApplication CreateClient(string tenantId)
    {
        AppOnlyOptions o = Options;
        ConfidentialClientApplicationBuilder builder = ConfidentialClientApplicationBuilder.Create(o.ClientId);
        builder = o.ClientCertificate is { } certificate ? builder.WithCertificate(certificate) : builder.WithClientSecret(o.ClientSecret);
        builder = builder.WithAuthority(new Uri(o.AuthorityHost, Uri.EscapeDataString(tenantId) + "/").ToString());
        if (!MicrosoftHosts.Contains(o.AuthorityHost.Host))
        {
            builder = builder.WithInstanceDiscovery(false);
        }

        if (o.HttpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(o.HttpClientFactory);
        }

        // MSAL's in-memory app token cache of this client holds the tenant's one token and renews it before it expires.
        return builder.Build();
    }
}
