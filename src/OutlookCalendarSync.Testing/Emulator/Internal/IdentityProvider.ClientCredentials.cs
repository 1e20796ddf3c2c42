using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// Application (app-only) access: the client-credentials grant with a secret or a certificate-signed client assertion, and the
/// <c>/{tenant}/v2.0/adminconsent</c> endpoint a tenant admin grants the app's application permissions through.
/// </summary>
internal sealed partial class IdentityProvider
{
    private const string JwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static readonly string[] MultiTenantAliases = ["common", "organizations", "consumers"];

    public required ApplicationDirectory Applications { get; init; }

    /// <summary>The application an unexpired app-only access token was issued to, or null.</summary>
    public AppCaller? ApplicationOfAccessToken(string token) => Applications.CallerOf(token, backend.Now);

    /// <summary>Why Graph refuses an app-only access token the emulator issued (expired, revoked, another audience), or null.</summary>
    public string? RejectionOfAppAccessToken(string token) => Applications.RejectionOf(token, backend.Now);

    private async Task<int> ClientCredentialsAsync(HttpContext context, IFormCollection form, string tenant)
    {
        string clientId = form["client_id"].ToString();
        string scope = form["scope"].ToString();
        if (MultiTenantAliases.Contains(tenant, StringComparer.OrdinalIgnoreCase))
        {
            return await WriteErrorAsync(context, 400, "invalid_request", "AADSTS90009", $"Application '{clientId}' is requesting a token for itself with tenant '{tenant}': the client-credentials grant needs a tenant id or domain.").ConfigureAwait(false);
        }

        string[] scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0 || !scopes.All(s => s.EndsWith("/.default", StringComparison.Ordinal)))
        {
            return await WriteErrorAsync(context, 400, "invalid_scope", "AADSTS1002012", $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).").ConfigureAwait(false);
        }

        var registration = Applications.Find(clientId);
        if (registration is null || Applications.Consent(tenant, clientId) is null)
        {
            return await WriteErrorAsync(context, 400, "unauthorized_client", "AADSTS700016", $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.").ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(form["client_secret"]))
        {
            if (registration.Secret is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(registration.Secret), Encoding.UTF8.GetBytes(form["client_secret"].ToString())))
            {
                return await WriteErrorAsync(context, 401, "invalid_client", "AADSTS7000215", $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.").ConfigureAwait(false);
            }
        }
        else
        {
            string? problem = form["client_assertion_type"] != JwtBearerAssertion
                ? $"client_assertion_type must be {JwtBearerAssertion}."
                : VerifyAssertion(form["client_assertion"].ToString(), registration, clientId, tenant);
            if (problem is not null)
            {
                return await WriteErrorAsync(context, 401, "invalid_client", "AADSTS700027", problem).ConfigureAwait(false);
            }
        }

        // A revoked grant leaves the service principal: Entra still issues a token, without the role, and Graph answers 403.
        string[] roles = Applications.Consent(tenant, clientId) == true ? [ApplicationDirectory.CalendarsRole] : [];
        var now = backend.Now;
        var lifetime = backend.Options.AccessTokenLifetime;
        var expires = now + Duration.FromTimeSpan(lifetime);
        var seconds = now.ToUnixTimeSeconds();
        // The token is for the resource the scope names: Graph refuses one for another resource (401 "Invalid audience").
        var audience = scopes[0][..^"/.default".Length];
        var claims = new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{tenant}/",
            ["iat"] = seconds,
            ["nbf"] = seconds,
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["appid"] = clientId,
            ["idtyp"] = "app",
            ["tid"] = tenant,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (roles.Length > 0)
        {
            claims["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]);
        }

        // Shaped like Entra's: a JWT whose claims a client may read. Unsigned: only the emulator checks it, by lookup.
        var accessToken = Base64Url("""{"alg":"none","typ":"JWT"}"""u8.ToArray()) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString())) + "." + Base64Url(RandomNumberGenerator.GetBytes(16));
        Applications.Issue(accessToken, new AppCaller(tenant, clientId, roles, expires, audience));
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["ext_expires_in"] = (long)lifetime.TotalSeconds,
            ["access_token"] = accessToken,
        };
        context.Response.StatusCode = 200;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        return 200;
    }

    /// <summary>
    /// Checks a client assertion as Entra does: a JWT signed (RS256 or PS256) by a certificate registered on the app, named by
    /// <c>x5t</c> or <c>x5t#S256</c>, with the app as issuer and subject and the token endpoint as audience.
    /// </summary>
    /// <returns>Null when valid, else what is wrong.</returns>
    private string? VerifyAssertion(string assertion, ApplicationDirectory.Registration registration, string clientId, string tenant)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "The client assertion is not a signed JWT.";
        }

        JsonObject header;
        JsonObject payload;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(FromBase64Url(parts[0]))!.AsObject();
            payload = JsonNode.Parse(FromBase64Url(parts[1]))!.AsObject();
            signature = FromBase64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return "The client assertion is not a valid JWT.";
        }

        byte[]? sha256 = (string?)header["x5t#S256"] is { } s256 ? FromBase64Url(s256) : null;
        byte[]? sha1 = (string?)header["x5t"] is { } s1 ? FromBase64Url(s1) : null;
        bool known = registration.Key is not null
            && ((sha256 is not null && registration.Sha256Thumbprint is not null && sha256.AsSpan().SequenceEqual(registration.Sha256Thumbprint))
                || (sha1 is not null && registration.Sha1Thumbprint is not null && sha1.AsSpan().SequenceEqual(registration.Sha1Thumbprint)));
        if (!known)
        {
            return $"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'.]";
        }

        RSASignaturePadding? padding = (string?)header["alg"] switch
        {
            "RS256" => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        byte[] signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (padding is null || !registration.Key!.VerifyData(signed, signature, HashAlgorithmName.SHA256, padding))
        {
            return "Client assertion failed signature validation.";
        }

        var audience = new Uri(AuthorityHost, tenant + "/oauth2/v2.0/token").ToString();
        if (!string.Equals(((string?)payload["aud"])?.TrimEnd('/'), audience.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            return $"The audience '{(string?)payload["aud"]}' of the client assertion is not the token endpoint {audience}.";
        }

        return (string?)payload["iss"] == clientId && (string?)payload["sub"] == clientId
            ? null
            : "The client assertion's issuer and subject must be the application's client id.";
    }

    /// <summary>
    /// The admin-consent page: the admin (who the emulator does not ask) grants the app's application permissions in the tenant,
    /// and the browser goes back to <c>redirect_uri</c> with <c>tenant</c>, <c>state</c>, <c>admin_consent=True</c> and
    /// <c>scope</c>, or with <c>error=access_denied</c> in a tenant given to <c>GraphEmulator.DeclineAdminConsent</c>.
    /// </summary>
    private async Task<int> AdminConsentAsync(HttpContext context, string tenant)
    {
        var query = context.Request.Query;
        string? redirectUri = query["redirect_uri"];
        string clientId = query["client_id"].ToString();
        if (string.IsNullOrEmpty(redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect))
        {
            context.Response.StatusCode = 400;
            return 400;
        }

        // The admin-consent page sends the browser back only to a redirect URI of the app, as the authorize page does.
        if (await RefuseRedirectAsync(context, clientId, redirect).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        // The admin signs in to their own directory: the aliases mean the emulator's tenant.
        if (MultiTenantAliases.Contains(tenant, StringComparer.OrdinalIgnoreCase))
        {
            tenant = TenantId;
        }

        string? state = query["state"];
        if (Applications.Find(clientId) is null)
        {
            return Redirect(context, redirect, state, ("error", "unauthorized_client"), ("error_description", $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenant}'."));
        }

        if (Applications.AdminDeclines(tenant))
        {
            return Redirect(context, redirect, state, ("error", "access_denied"), ("error_description", "AADSTS65004: The admin declined to consent to the app."));
        }

        Applications.SetConsent(tenant, clientId, granted: true);
        return Redirect(context, redirect, state, ("tenant", tenant), ("admin_consent", "True"), ("scope", query["scope"].ToString()));
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
