using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// The Microsoft Entra endpoints MSAL's authorization-code flow uses: <c>/{tenant}/oauth2/v2.0/authorize</c> and
/// <c>/{tenant}/oauth2/v2.0/token</c> (authorization code with PKCE S256, refresh token with rotation), and the device code flow
/// of public clients (<c>/{tenant}/oauth2/v2.0/devicecode</c>).
/// </summary>
internal sealed partial class IdentityProvider(EmulatorBackend backend, RequestLog log)
{
    private readonly ConcurrentDictionary<string, IssuedCode> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedRefreshToken> refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedAccessToken> accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> denyConsent = new(StringComparer.OrdinalIgnoreCase);
    private readonly RegisteredRedirectUris redirectUris = new(backend.Options);

    public Uri AuthorityHost { get; set; } = null!;

    public string TenantId => backend.Options.TenantId;

    public void DenyConsent(string mailbox, bool deny) => denyConsent[mailbox] = deny;

    public void RevokeConsent(string mailbox)
    {
        foreach (var (token, issued) in refreshTokens)
        {
            if (string.Equals(issued.Mailbox, mailbox, StringComparison.OrdinalIgnoreCase))
            {
                refreshTokens.TryRemove(token, out _);
            }
        }
    }

    /// <summary>The mailbox an unexpired access token was issued for, or null.</summary>
    public string? MailboxOfAccessToken(string token) =>
        accessTokens.TryGetValue(token, out var issued) && issued.ExpiresAt > backend.Now ? issued.Mailbox : null;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int status;
        if (segments.Length == 4 && segments[1] == "oauth2" && segments[2] == "v2.0" && segments[3] == "authorize" && HttpMethods.IsGet(context.Request.Method))
        {
            status = await AuthorizeAsync(context).ConfigureAwait(false);
        }
        else if (segments.Length == 4 && segments[1] == "oauth2" && segments[2] == "v2.0" && segments[3] == "token" && HttpMethods.IsPost(context.Request.Method))
        {
            status = await TokenAsync(context, segments[0]).ConfigureAwait(false);
        }
        else if (segments.Length == 4 && segments[1] == "oauth2" && segments[2] == "v2.0" && segments[3] == "devicecode" && HttpMethods.IsPost(context.Request.Method))
        {
            status = await DeviceCodeAsync(context).ConfigureAwait(false);
        }
        else if (segments.Length == 1 && segments[0] == "devicelogin" && HttpMethods.IsGet(context.Request.Method))
        {
            status = await DeviceLoginPageAsync(context).ConfigureAwait(false);
        }
        else if (segments.Length == 3 && segments[1] == "v2.0" && segments[2] == "adminconsent" && HttpMethods.IsGet(context.Request.Method))
        {
            status = await AdminConsentAsync(context, segments[0]).ConfigureAwait(false);
        }
        else
        {
            status = await WriteErrorAsync(context, 404, "invalid_request", "AADSTS90002", "The emulator answers only /{tenant}/oauth2/v2.0/authorize, /{tenant}/oauth2/v2.0/token, /{tenant}/oauth2/v2.0/devicecode and /{tenant}/v2.0/adminconsent.").ConfigureAwait(false);
        }

        string route = segments.LastOrDefault() switch
        {
            "adminconsent" => "GET /{tenant}/v2.0/adminconsent",
            "devicelogin" => "GET /devicelogin",
            var last => $"{context.Request.Method} /{{tenant}}/oauth2/v2.0/{last}",
        };
        log.Add(new RequestLogEntry(context.Request.Method, path, route, status, null, InBatch: false));
    }

    private async Task<int> AuthorizeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? redirectUri = query["redirect_uri"];
        if (string.IsNullOrEmpty(redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect))
        {
            context.Response.StatusCode = 400;
            return 400;
        }

        string clientId = query["client_id"].ToString();
        if (await RefuseRedirectAsync(context, clientId, redirect).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        string? state = query["state"];
        bool formPost = query["response_mode"] == "form_post";
        string? loginHint = query["login_hint"];
        if (string.IsNullOrEmpty(loginHint))
        {
            return await AnswerAsync(context, redirect, formPost, state, ("error", "login_required"), ("error_description", "AADSTS50058: The emulator signs in the user named by login_hint; add &login_hint=<mailbox> to the sign-in URL.")).ConfigureAwait(false);
        }

        var mailbox = MailboxName(loginHint);
        if (denyConsent.TryGetValue(mailbox, out var denied) && denied)
        {
            return await AnswerAsync(context, redirect, formPost, state, ("error", "access_denied"), ("error_description", "AADSTS65004: User declined to consent to access the app.")).ConfigureAwait(false);
        }

        string? challenge = query["code_challenge"];
        if (string.IsNullOrEmpty(challenge) || query["code_challenge_method"] != "S256")
        {
            return await AnswerAsync(context, redirect, formPost, state, ("error", "invalid_request"), ("error_description", "AADSTS9002325: Proof Key for Code Exchange is required (code_challenge with code_challenge_method=S256).")).ConfigureAwait(false);
        }

        var code = NewToken("emu-code");
        codes[code] = new IssuedCode(mailbox, clientId, redirectUri, challenge, query["scope"].ToString(), backend.Now + Duration.FromMinutes(10));
        return await AnswerAsync(context, redirect, formPost, state, ("code", code)).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the browser back to the app: a 302 with the parameters in the query, or with <c>response_mode=form_post</c> (which
    /// MSAL's loopback listener requires since 4.7x) a page whose form posts them to the redirect URI, as Entra does.
    /// </summary>
    private static async Task<int> AnswerAsync(HttpContext context, Uri redirect, bool formPost, string? state, params (string Name, string Value)[] parameters)
    {
        if (!formPost)
        {
            return Redirect(context, redirect, state, parameters);
        }

        var html = new StringBuilder("<html><head><title>Working...</title></head><body><form method=\"POST\" name=\"hiddenform\" action=\"")
            .Append(System.Net.WebUtility.HtmlEncode(redirect.AbsoluteUri)).Append("\">");
        foreach (var (name, value) in parameters.Append(("state", state ?? string.Empty)).Where(p => p.Item2.Length > 0))
        {
            html.Append("<input type=\"hidden\" name=\"").Append(System.Net.WebUtility.HtmlEncode(name))
                .Append("\" value=\"").Append(System.Net.WebUtility.HtmlEncode(value)).Append("\" />");
        }

        html.Append("<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" /></noscript></form>")
            .Append("<script language=\"javascript\">document.forms[0].submit();</script></body></html>");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        byte[] body = Encoding.UTF8.GetBytes(html.ToString());
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        return 200;
    }

    private async Task<int> TokenAsync(HttpContext context, string tenant)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string clientId = form["client_id"].ToString();
        bool hasCredential = !string.IsNullOrEmpty(form["client_secret"]) || !string.IsNullOrEmpty(form["client_assertion"]);
        if (!hasCredential && !MaySkipCredential(clientId, form))
        {
            return await WriteErrorAsync(context, 401, "invalid_client", "AADSTS7000218", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.").ConfigureAwait(false);
        }

        switch (form["grant_type"].ToString())
        {
            case DeviceCodeGrant:
            case DeviceCodeGrantShortName:
                return await DeviceCodeGrantAsync(context, form, clientId).ConfigureAwait(false);

            case "authorization_code":
                if (!codes.TryRemove(form["code"].ToString(), out var code) || code.ExpiresAt <= backend.Now)
                {
                    return await WriteErrorAsync(context, 400, "invalid_grant", "AADSTS70008", "The provided authorization code or refresh token has expired or was already redeemed. Send a new interactive authorization request.").ConfigureAwait(false);
                }

                if (!string.Equals(code.ClientId, clientId, StringComparison.Ordinal))
                {
                    return await WriteErrorAsync(context, 400, "invalid_grant", "AADSTS70000", "The provided authorization code was issued to another client.").ConfigureAwait(false);
                }

                // Entra refuses a redemption whose redirect_uri the app does not list (AADSTS50011, as on the authorize page) and
                // one whose redirect_uri is not the authorize request's: "AADSTS500112: The reply address '…' does not match the
                // reply address '…' provided when requesting Authorization code.", both as invalid_client (the reply address is
                // the client's configuration; older answers said AADSTS70002 + AADSTS50011). Entra does not document the status;
                // the emulator answers 401 as for its other invalid_client answers, and MSAL fails the same on 400 or 401.
                string redeemedWith = form["redirect_uri"].ToString();
                if (!Uri.TryCreate(redeemedWith, UriKind.Absolute, out var redeemedRedirect) || !redirectUris.Allows(clientId, redeemedRedirect))
                {
                    return await WriteErrorAsync(context, 401, "invalid_client", "AADSTS50011", RedirectMismatch(redeemedWith, clientId)).ConfigureAwait(false);
                }

                if (!string.Equals(code.RedirectUri, redeemedWith, StringComparison.Ordinal))
                {
                    return await WriteErrorAsync(context, 401, "invalid_client", "AADSTS500112", $"The reply address '{redeemedWith}' does not match the reply address '{code.RedirectUri}' provided when requesting Authorization code.").ConfigureAwait(false);
                }

                if (!string.Equals(Challenge(form["code_verifier"].ToString()), code.Challenge, StringComparison.Ordinal))
                {
                    return await WriteErrorAsync(context, 400, "invalid_grant", "AADSTS501481", "The Code_Verifier does not match the code_challenge supplied in the authorization request.").ConfigureAwait(false);
                }

                return await WriteTokensAsync(context, code.Mailbox, clientId, code.Scope, issuedToPublicClient: !hasCredential).ConfigureAwait(false);

            case "refresh_token":
                if (hasCredential && refreshTokens.TryGetValue(form["refresh_token"].ToString(), out var publicGrant) && publicGrant.IssuedToPublicClient)
                {
                    // Entra binds a refresh token to the kind of client it was issued to; the library refreshes through the
                    // kind that connected the account, so it is safe whether or not Entra would accept the secret here.
                    return await WriteErrorAsync(context, 401, "invalid_client", "AADSTS700025", "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.").ConfigureAwait(false);
                }

                if (!refreshTokens.TryRemove(form["refresh_token"].ToString(), out var refresh))
                {
                    return await WriteErrorAsync(context, 400, "invalid_grant", "AADSTS50173", "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password, or consent was revoked.").ConfigureAwait(false);
                }

                if (Applications.IsDisabled(refresh.Mailbox))
                {
                    return await WriteErrorAsync(context, 400, "invalid_grant", "AADSTS50057", "The user account is disabled.").ConfigureAwait(false);
                }

                return await WriteTokensAsync(context, refresh.Mailbox, clientId, refresh.Scope, refresh.IssuedToPublicClient).ConfigureAwait(false);

            case "client_credentials":
                return await ClientCredentialsAsync(context, form, tenant).ConfigureAwait(false);

            default:
                return await WriteErrorAsync(context, 400, "unsupported_grant_type", "AADSTS70003", "The app requested an unsupported grant type.").ConfigureAwait(false);
        }
    }

    private async Task<int> WriteTokensAsync(HttpContext context, string mailbox, string clientId, string scope, bool issuedToPublicClient)
    {
        var state = backend.Mailbox(mailbox);
        var now = backend.Now;
        var lifetime = backend.Options.AccessTokenLifetime;
        var accessToken = NewToken("emu-at");
        var refreshToken = NewToken("emu-rt");
        accessTokens[accessToken] = new IssuedAccessToken(mailbox, now + Duration.FromTimeSpan(lifetime));
        refreshTokens[refreshToken] = new IssuedRefreshToken(mailbox, scope, issuedToPublicClient);
        var objectId = ObjectId(mailbox);
        var seconds = now.ToUnixTimeSeconds();
        var idToken = new JsonObject
        {
            ["aud"] = clientId,
            ["iss"] = new Uri(AuthorityHost, TenantId + "/v2.0").ToString(),
            ["iat"] = seconds,
            ["nbf"] = seconds,
            ["exp"] = seconds + 3600,
            ["name"] = mailbox,
            ["oid"] = objectId,
            ["preferred_username"] = state.Address,
            ["sub"] = Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(clientId + objectId))),
            ["tid"] = TenantId,
            ["ver"] = "2.0",
        };
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = scope,
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["ext_expires_in"] = (long)lifetime.TotalSeconds,
            ["access_token"] = accessToken,
            ["refresh_token"] = refreshToken,
            ["id_token"] = Base64Url("""{"alg":"none","typ":"JWT"}"""u8.ToArray()) + "." + Base64Url(Encoding.UTF8.GetBytes(idToken.ToJsonString())) + ".",
            ["client_info"] = Base64Url(Encoding.UTF8.GetBytes(new JsonObject { ["uid"] = objectId, ["utid"] = TenantId }.ToJsonString())),
        };
        context.Response.StatusCode = 200;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        return 200;
    }

    private static async Task<int> WriteErrorAsync(HttpContext context, int status, string error, string code, string description)
    {
        // No Retry-After: MSAL would throttle every later request of the process for that long.
        var body = new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"{code}: {description}",
            ["error_codes"] = new JsonArray(int.Parse(code["AADSTS".Length..], CultureInfo.InvariantCulture)),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        return status;
    }

    /// <summary>
    /// Answers Entra's error page for a <c>redirect_uri</c> the app does not list, or null when it lists it. Entra does not send
    /// the browser to an untrusted redirect URI: it shows "Sorry, but we're having trouble signing you in." with AADSTS50011
    /// (Microsoft's troubleshooting article "Error AADSTS50011 with OpenID authentication" quotes the message).
    /// </summary>
    private async Task<int?> RefuseRedirectAsync(HttpContext context, string clientId, Uri redirect)
    {
        if (clientId.Length == 0)
        {
            return await WriteErrorPageAsync(context, "AADSTS900144", "The request body must contain the following parameter: 'client_id'.").ConfigureAwait(false);
        }

        return redirectUris.Allows(clientId, redirect)
            ? null
            : await WriteErrorPageAsync(context, "AADSTS50011", RedirectMismatch(redirect.OriginalString, clientId)).ConfigureAwait(false);
    }

    private static string RedirectMismatch(string redirect, string clientId) =>
        $"The redirect URI '{redirect}' specified in the request does not match the redirect URIs configured for the application '{clientId}'. "
        + "Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. "
        + "Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.";

    /// <summary>The sign-in error page a browser shows; the status of Entra's page is not documented, the emulator answers 400.</summary>
    private static async Task<int> WriteErrorPageAsync(HttpContext context, string code, string description)
    {
        context.Response.StatusCode = 400;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(
            "<!doctype html><html><head><title>Sign in to your account</title></head><body><p>Sorry, but we're having trouble signing you in.</p><p>"
            + System.Net.WebUtility.HtmlEncode($"{code}: {description}") + "</p></body></html>",
            context.RequestAborted).ConfigureAwait(false);
        return 400;
    }

    private static int Redirect(HttpContext context, Uri redirect, string? state, params (string Name, string Value)[] parameters)
    {
        var query = new StringBuilder(redirect.Query.Length > 1 ? redirect.Query + "&" : "?");
        foreach (var (name, value) in parameters.Append(("state", state ?? string.Empty)).Where(p => p.Item2.Length > 0))
        {
            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        context.Response.StatusCode = 302;
        context.Response.Headers.Location = redirect.GetLeftPart(UriPartial.Path) + query.ToString().TrimEnd('&');
        return 302;
    }

    private string MailboxName(string loginHint)
    {
        var suffix = "@" + backend.Options.MailboxDomain;
        return loginHint.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? loginHint[..^suffix.Length] : loginHint;
    }

    private static string ObjectId(string mailbox) =>
        new Guid(MD5Hash(mailbox.ToUpperInvariant())).ToString();

#pragma warning disable CA5351 // Not security: a stable, made-up object id per mailbox name.
    private static byte[] MD5Hash(string text) => MD5.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5351

    private static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string NewToken(string prefix) => prefix + "." + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record IssuedCode(string Mailbox, string ClientId, string RedirectUri, string Challenge, string Scope, Instant ExpiresAt);

    private sealed record IssuedRefreshToken(string Mailbox, string Scope, bool IssuedToPublicClient);

    private sealed record IssuedAccessToken(string Mailbox, Instant ExpiresAt);
}
