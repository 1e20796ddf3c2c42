using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// The admin-consent URL with a single-use, expiring <c>state</c>, and its callback, which trusts Entra's token endpoint rather
/// than the query string: consent counts once an app-only token of the tenant carries <c>Calendars.ReadWrite</c>.
/// </summary>
/// <remarks>
/// <para>
/// The statuses the callback records go to the <see cref="ITenantConsentStore"/>, so every server sharing it sees them.
/// </para>
/// <para>
/// The <c>state</c> carries its own pending consent: the tenant the URL named, when it expires (by the library's clock) and a random
/// nonce, protected with ASP.NET Core Data Protection (purpose <c>OutlookCalendarSync.AdminConsentState.v1</c>). Any server that
/// shares the key ring (the one the sign-ins and token caches need) completes the callback, whichever built the URL; nothing is
/// stored per URL, so no number of URLs built can fill a store. Without a registered <c>IDataProtectionProvider</c> (nor
/// <c>MicrosoftAccountOptions.KeyRingDirectory</c>) the key is this process's own, and only it completes its URLs.
/// </para>
/// <para>
/// Why not the <see cref="Stores.IPendingSignInStore"/>: <see cref="IAppOnlyAuthorization.BuildAdminConsentUrl"/> is synchronous
/// (public API) while the store is asynchronous, app-only hosts need not register one, and a row keyed by tenant could not be found
/// by the callback, which Microsoft answers with the tenant's id when the URL named its domain.
/// </para>
/// <para>
/// Single use: a state completed here is remembered by its nonce until it expires (so at most the states of one
/// <see cref="AppOnlyOptions.AdminConsentLifetime"/>, and at most <see cref="MaxUsedStates"/>: while that many are remembered, new
/// states answer <see cref="AdminConsentStatus.InvalidState"/> rather than forgetting an unexpired one), and answers
/// <see cref="AdminConsentStatus.InvalidState"/> if presented again. A replay on another server within the lifetime is accepted,
/// and is harmless: the callback grants nothing itself; it only asks Entra for an app-only token of the tenant and records what
/// that token carries (what any server's next token request finds anyway), and a replayed <c>error</c> answer changes nothing.
/// </para>
/// </remarks>
internal sealed class AppOnlyAuthorization(AppOnlyTokenProvider tokens, IClock clock, IDataProtectionProvider dataProtection, ILogger<AppOnlyAuthorization> logger) : IAppOnlyAuthorization
{
    /// <summary>
    /// How many completed states are remembered at most. While that many unexpired ones are remembered, further states answer
    /// <see cref="AdminConsentStatus.InvalidState"/> (fail closed) until some expire; none is forgotten before it expires.
    /// </summary>
    internal const int MaxUsedStates = 10_000;

    private const int NonceBytes = 16;
    private static readonly string[] TenantAliases = ["common", "organizations", "consumers"];
    private readonly IDataProtector _protector = dataProtection.CreateProtector("OutlookCalendarSync.AdminConsentState.v1");
    private readonly ConcurrentDictionary<string, Instant> _used = new(StringComparer.Ordinal);

    public Uri BuildAdminConsentUrl(string tenantId)
    {
        Guard.NotNullOrWhiteSpace(tenantId);
        AppOnlyOptions options = tokens.Options;
        Uri redirect = options.AdminConsentRedirectUri
            ?? throw new InvalidOperationException($"Set {nameof(AppOnlyOptions)}.{nameof(AppOnlyOptions.AdminConsentRedirectUri)} (registered as a Web redirect URI of the app) to build admin-consent URLs.");
        string tenant = tenantId.Trim();
        Instant expiresAt = clock.GetCurrentInstant() + options.AdminConsentLifetime;

        // [expires at, unix ticks: 8 bytes][nonce: 16 bytes][tenant: UTF-8], protected: opaque, tamper-proof, only readable with the key ring.
        byte[] tenantBytes = Encoding.UTF8.GetBytes(tenant);
        byte[] plain = new byte[8 + NonceBytes + tenantBytes.Length];
        BinaryPrimitives.WriteInt64BigEndian(plain, expiresAt.ToUnixTimeTicks());
        RandomNumberGenerator.Fill(plain.AsSpan(8, NonceBytes));
        tenantBytes.CopyTo(plain, 8 + NonceBytes);
        string state = Convert.ToBase64String(_protector.Protect(plain)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        AppOnlyLog.ConsentUrlBuilt(logger, tenant);
        return new Uri(
            options.AuthorityHost,
            $"{Uri.EscapeDataString(tenant)}/v2.0/adminconsent?client_id={Uri.EscapeDataString(options.ClientId!)}&scope={Uri.EscapeDataString(options.GraphScope)}&redirect_uri={Uri.EscapeDataString(redirect.AbsoluteUri)}&state={state}");
    }

    public async Task<AdminConsentResult> CompleteAdminConsentAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        Guard.NotNull(query);
        if (!query.TryGetValue("state", out string? state) || Take(state) is not { } pending)
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
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Entra unreachable (OutlookCalendarSyncException), or the consent store failed while recording the status (any
            // exception of the host's store): the callback still answers, never throws.
            return NotChecked(tenantId, ex);
        }

        if (!string.Equals(pending.TenantId, tenantId, StringComparison.OrdinalIgnoreCase) && !TenantAliases.Contains(pending.TenantId, StringComparer.OrdinalIgnoreCase))
        {
            // The URL named the tenant by its domain, Microsoft answers with its id: users may be mapped by either.
            try
            {
                await tokens.CheckAsync(pending.TenantId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return NotChecked(tenantId, ex);
            }
        }

        return checkedTenant.Status == TenantConsentStatus.Consented
            ? new AdminConsentResult { Status = AdminConsentStatus.Consented, TenantId = tenantId, Tenant = checkedTenant, Message = $"Tenant {tenantId} granted the app access to its calendars; its users are synced from their next run." }
            : new AdminConsentResult { Status = AdminConsentStatus.NotEffective, TenantId = tenantId, Tenant = checkedTenant, Message = $"Microsoft reported the admin's consent for tenant {tenantId}, but the app cannot use it yet: {checkedTenant.Detail} Check that the app registration asks for the Calendars.ReadWrite application permission; a new consent can take a few minutes to apply." };
    }

    private AdminConsentResult NotChecked(string tenantId, Exception ex) => new()
    {
        Status = AdminConsentStatus.NotEffective,
        TenantId = tenantId,
        Tenant = tokens.Get(tenantId),
        Message = $"Microsoft reported the admin's consent for tenant {tenantId}, but it could not be checked or recorded now ({ex.Message}); the tenant's users find out on their next run.",
    };

    public TenantConsent GetTenantConsent(string tenantId) => tokens.Get(Guard.NotNullOrWhiteSpace(tenantId));

    public async Task<TenantConsent> GetSharedTenantConsentAsync(string tenantId, CancellationToken cancellationToken) =>
        await tokens.GetSharedAsync(Guard.NotNullOrWhiteSpace(tenantId), fresh: true, cancellationToken).ConfigureAwait(false);

    public Task<TenantConsent> CheckTenantAsync(string tenantId, CancellationToken cancellationToken) => tokens.CheckAsync(Guard.NotNullOrWhiteSpace(tenantId), cancellationToken);

    /// <summary>Reads a state and marks it used.</summary>
    /// <returns>The pending consent, or <see langword="null"/> when the state is not one of this app's, has expired or was used here.</returns>
    private PendingConsent? Take(string state)
    {
        byte[] plain;
        try
        {
            plain = _protector.Unprotect(FromBase64Url(state));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Not built by this app, tampered with, or this server does not share the key ring of the one that built the URL.
            return null;
        }

        if (plain.Length <= 8 + NonceBytes)
        {
            return null;
        }

        Instant now = clock.GetCurrentInstant();
        Instant expiresAt = Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64BigEndian(plain));
        if (expiresAt <= now)
        {
            return null;
        }

        foreach ((string used, Instant usedExpiresAt) in _used)
        {
            if (usedExpiresAt <= now)
            {
                _used.TryRemove(used, out _);
            }
        }

        if (_used.Count >= MaxUsedStates)
        {
            // Fail closed: forgetting an unexpired nonce would let its state be replayed, so new states are refused (InvalidState)
            // until enough of the remembered ones expire. The admin starts the consent again later.
            return null;
        }

        // Of concurrent callbacks with the same state on this server, exactly one gets here.
        if (!_used.TryAdd(Convert.ToBase64String(plain, 8, NonceBytes), expiresAt))
        {
            return null;
        }

        return new PendingConsent(Encoding.UTF8.GetString(plain, 8 + NonceBytes, plain.Length - 8 - NonceBytes), expiresAt);
    }

    private static byte[] FromBase64Url(string value)
    {
        string base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private sealed record PendingConsent(string TenantId, Instant ExpiresAt);
}
