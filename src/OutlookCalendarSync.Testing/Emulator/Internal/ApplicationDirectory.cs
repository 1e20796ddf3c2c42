using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// The tenant side of application (app-only) access: registered apps and their credentials, each tenant's admin consent, the
/// application access policies that scope an app to some mailboxes, the mailboxes' availability, and the access tokens issued
/// by the client-credentials grant.
/// </summary>
internal sealed class ApplicationDirectory
{
    /// <summary>The application permission the emulator's calendar routes need.</summary>
    public const string CalendarsRole = "Calendars.ReadWrite";

    /// <summary>The audiences Graph accepts: its resource URI and its application id.</summary>
    private static readonly string[] GraphAudiences = ["https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"];

    private readonly ConcurrentDictionary<string, Registration> registrations = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Tenant, string ClientId), bool> consents = new(TenantAppComparer.Instance);
    private readonly ConcurrentDictionary<(string Tenant, string ClientId), HashSet<string>> policies = new(TenantAppComparer.Instance);
    private readonly ConcurrentDictionary<string, bool> adminDeclines = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, MailboxAvailability> availability = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AppCaller> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> revokedTokens = new(StringComparer.Ordinal);

    public void Register(string clientId, string? secret, X509Certificate2? certificate) =>
        registrations[clientId] = new Registration(
            secret,
            certificate?.GetRSAPublicKey(),
            certificate?.GetCertHash(),
            certificate?.GetCertHash(HashAlgorithmName.SHA256));

    public Registration? Find(string clientId) => registrations.TryGetValue(clientId, out var found) ? found : null;

    /// <summary>Records the tenant admin's consent, or its revocation (the service principal stays, its app role grants go).</summary>
    public void SetConsent(string tenant, string clientId, bool granted) => consents[(tenant, clientId)] = granted;

    /// <summary>Null when the app was never consented in the tenant (no service principal), else whether the grant stands.</summary>
    public bool? Consent(string tenant, string clientId) => consents.TryGetValue((tenant, clientId), out var granted) ? granted : null;

    public void DeclineAdminConsent(string tenant, bool decline) => adminDeclines[tenant] = decline;

    public bool AdminDeclines(string tenant) => adminDeclines.TryGetValue(tenant, out var declines) && declines;

    public void SetPolicy(string tenant, string clientId, IEnumerable<string>? allowedMailboxes)
    {
        if (allowedMailboxes is null)
        {
            policies.TryRemove((tenant, clientId), out _);
        }
        else
        {
            policies[(tenant, clientId)] = new HashSet<string>(allowedMailboxes, StringComparer.OrdinalIgnoreCase);
        }
    }

    public void SetAvailability(string mailbox, MailboxAvailability value) => availability[mailbox] = value;

    public MailboxAvailability AvailabilityOf(string mailbox) => availability.TryGetValue(mailbox, out var value) ? value : MailboxAvailability.Available;

    public bool IsDisabled(string mailbox) => AvailabilityOf(mailbox) == MailboxAvailability.AccountDisabled;

    public void Issue(string token, AppCaller caller) => tokens[token] = caller;

    /// <summary>The application an app-only token was issued to, or null when the token is not one, or Graph refuses it.</summary>
    public AppCaller? CallerOf(string token, Instant now) => tokens.TryGetValue(token, out var caller) && RejectionOf(token, now) is null ? caller : null;

    /// <summary>
    /// Why Graph refuses an app-only token the emulator issued: expired, revoked (<see cref="RevokeTokens"/>), or issued for
    /// another resource than Graph (a scope such as <c>https://outlook.office.com/.default</c>); null when Graph accepts it or it
    /// is no app-only token of the emulator.
    /// </summary>
    public string? RejectionOf(string token, Instant now)
    {
        if (!tokens.TryGetValue(token, out var caller))
        {
            return null;
        }

        if (caller.ExpiresAt <= now)
        {
            return "Lifetime validation failed, the token is expired.";
        }

        if (revokedTokens.ContainsKey(token))
        {
            return "Access token validation failure: the token was revoked.";
        }

        return GraphAudiences.Contains(caller.Audience, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"Access token validation failure. Invalid audience '{caller.Audience}'.";
    }

    /// <summary>Makes Graph refuse every app-only token issued so far to the app in the tenant; tokens issued later are accepted.</summary>
    public void RevokeTokens(string tenant, string clientId)
    {
        foreach (var (token, caller) in tokens)
        {
            if (string.Equals(caller.Tenant, tenant, StringComparison.OrdinalIgnoreCase) && string.Equals(caller.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
            {
                revokedTokens[token] = true;
            }
        }
    }

    /// <summary>
    /// The mailbox an application may reach through <c>/users/{id}</c>, or the error Graph answers: 403 <c>ErrorAccessDenied</c>
    /// without the <c>Calendars.ReadWrite</c> role ("Access is denied. Check credentials and try again.") or outside the tenant's
    /// application access policy ("Access to OData is disabled: [RAOP] ..."), 404 for a user or mailbox that is not there.
    /// </summary>
    public string Authorize(AppCaller caller, string mailbox, string pathSegment)
    {
        if (!caller.Roles.Contains(CalendarsRole, StringComparer.OrdinalIgnoreCase))
        {
            throw new GraphErrorException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }

        CheckAvailable(mailbox, pathSegment);
        if (policies.TryGetValue((caller.Tenant, caller.ClientId), out var allowed) && !allowed.Contains(mailbox))
        {
            throw new GraphErrorException(403, "ErrorAccessDenied", "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.");
        }

        return mailbox;
    }

    /// <summary>Throws the 404 Graph answers for a user without a mailbox, or a user that does not exist.</summary>
    public void CheckAvailable(string mailbox, string pathSegment)
    {
        switch (AvailabilityOf(mailbox))
        {
            case MailboxAvailability.NoMailbox:
                throw new GraphErrorException(404, "MailboxNotEnabledForRESTAPI", "REST API is not yet supported for this mailbox.");
            case MailboxAvailability.UserNotFound:
                throw new GraphErrorException(404, "ErrorInvalidUser", $"The requested user '{pathSegment}' is invalid.");
        }
    }

    /// <summary>An app registration: its secret and its certificate's public key and thumbprints (SHA-1, SHA-256), either or both.</summary>
    internal sealed record Registration(string? Secret, RSA? Key, byte[]? Sha1Thumbprint, byte[]? Sha256Thumbprint);

    private sealed class TenantAppComparer : IEqualityComparer<(string Tenant, string ClientId)>
    {
        public static readonly TenantAppComparer Instance = new();

        public bool Equals((string Tenant, string ClientId) x, (string Tenant, string ClientId) y) =>
            string.Equals(x.Tenant, y.Tenant, StringComparison.OrdinalIgnoreCase) && string.Equals(x.ClientId, y.ClientId, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Tenant, string ClientId) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Tenant), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.ClientId));
    }
}

/// <summary>An application calling Graph with an app-only token: its tenant, client id, granted roles, the token's expiry and audience.</summary>
internal sealed record AppCaller(string Tenant, string ClientId, IReadOnlyList<string> Roles, Instant ExpiresAt, string Audience);
