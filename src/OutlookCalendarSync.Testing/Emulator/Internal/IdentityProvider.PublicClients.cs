using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// Public clients (apps on the user's own device, with no secret): the loopback redirect of the "Mobile and desktop applications"
/// platform, and the device authorization grant (<c>/{tenant}/oauth2/v2.0/devicecode</c>, then the token endpoint's
/// <c>urn:ietf:params:oauth:grant-type:device_code</c> grant), as Microsoft's "OAuth 2.0 device authorization grant" page
/// describes them.
/// </summary>
internal sealed partial class IdentityProvider
{
    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>The short name MSAL.NET sends for the device code grant; Entra takes it as well as the documented URN.</summary>
    public const string DeviceCodeGrantShortName = "device_code";

    // Entra's user codes: short, upper-case letters and digits without the ones people confuse (0/O, 1/I/L).
    private const string UserCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>Registered public clients: client id → whether "Allow public client flows" (device code) is on.</summary>
    private readonly ConcurrentDictionary<string, bool> publicClients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DeviceAuthorization> deviceCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeviceAuthorization> userCodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly IssuedUserCodes issuedUserCodes = new();

    public void RegisterPublicClient(string clientId, bool allowPublicClientFlows) => publicClients[clientId] = allowPublicClientFlows;

    /// <summary>The next user code issued to <paramref name="clientId"/> (any client when null) that no test has taken yet.</summary>
    public Task<string> NextUserCodeAsync(string? clientId, CancellationToken cancellationToken) => issuedUserCodes.NextAsync(clientId, cancellationToken);

    public void ApproveDeviceCode(string userCode, string mailbox) => FindUserCode(userCode).Approve(MailboxName(mailbox));

    public void DeclineDeviceCode(string userCode) => FindUserCode(userCode).Decline();

    public void ExpireDeviceCode(string userCode) => FindUserCode(userCode).Expire();

    private DeviceAuthorization FindUserCode(string userCode) =>
        userCodes.TryGetValue(userCode, out var found)
            ? found
            : throw new ArgumentException($"No device code with the user code '{userCode}' is outstanding: it was never issued, or its client was already given tokens, the decline or the expiry.", nameof(userCode));

    /// <summary>
    /// Forgets a device code: once its client has been given the final answer (tokens, <c>authorization_declined</c> or
    /// <c>expired_token</c>), or once it has been expired for a whole further lifetime without a poll (a client that gave up).
    /// A later poll with it is answered <c>bad_verification_code</c>, as for a code never issued.
    /// </summary>
    private void Forget(DeviceAuthorization authorization)
    {
        deviceCodes.TryRemove(authorization.DeviceCode, out _);
        userCodes.TryRemove(authorization.UserCode, out _);
        issuedUserCodes.Forget(authorization.UserCode);
    }

    private void ForgetAbandonedDeviceCodes()
    {
        var abandonedBefore = backend.Now - Duration.FromTimeSpan(backend.Options.DeviceCodeLifetime);
        foreach (var authorization in deviceCodes.Values)
        {
            if (authorization.ExpiresAt <= abandonedBefore)
            {
                Forget(authorization);
            }
        }
    }

    /// <summary>
    /// Whether a token request may come without a client secret or assertion: only from an app registered as a public client,
    /// for the grants a public client uses. Any other secret-less request is answered AADSTS7000218, as Entra answers a
    /// confidential (Web) app, or an app whose "Allow public client flows" is off that asks for a device code token.
    /// </summary>
    private bool MaySkipCredential(string clientId, IFormCollection form)
    {
        if (!publicClients.TryGetValue(clientId, out bool allowPublicClientFlows))
        {
            return false;
        }

        return form["grant_type"].ToString() switch
        {
            DeviceCodeGrant or DeviceCodeGrantShortName => allowPublicClientFlows,

            // Only a code issued to a loopback redirect URI (the "Mobile and desktop applications" platform) is a public client's;
            // one issued to a Web redirect URI needs the secret.
            "authorization_code" => codes.TryGetValue(form["code"].ToString(), out var code) && IsLoopback(new Uri(code.RedirectUri)),

            // A refresh token issued without a secret is redeemed without one.
            "refresh_token" => refreshTokens.TryGetValue(form["refresh_token"].ToString(), out var refresh) && refresh.IssuedToPublicClient,
            _ => false,
        };
    }

    private static bool IsLoopback(Uri redirect) => redirect.Scheme == Uri.UriSchemeHttp && redirect.IsLoopback;

    /// <summary>The device authorization request: a device code for the client to poll with and a user code for the user.</summary>
    private async Task<int> DeviceCodeAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string clientId = form["client_id"].ToString();
        string scope = form["scope"].ToString();
        if (clientId.Length == 0)
        {
            return await WriteErrorAsync(context, 400, "invalid_request", "AADSTS900144", "The request body must contain the following parameter: 'client_id'.").ConfigureAwait(false);
        }

        if (scope.Length == 0)
        {
            return await WriteErrorAsync(context, 400, "invalid_request", "AADSTS900144", "The request body must contain the following parameter: 'scope'.").ConfigureAwait(false);
        }

        ForgetAbandonedDeviceCodes();
        var lifetime = backend.Options.DeviceCodeLifetime;
        var authorization = new DeviceAuthorization(NewToken("emu-dc"), NewUserCode(), clientId, scope, backend.Now + Duration.FromTimeSpan(lifetime));
        deviceCodes[authorization.DeviceCode] = authorization;
        userCodes[authorization.UserCode] = authorization;
        var verificationUri = new Uri(AuthorityHost, "devicelogin").ToString();
        var body = new JsonObject
        {
            ["user_code"] = authorization.UserCode,
            ["device_code"] = authorization.DeviceCode,
            ["verification_uri"] = verificationUri,
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["interval"] = (long)backend.Options.DeviceCodePollingInterval.TotalSeconds,
            ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {authorization.UserCode} to authenticate.",
        };
        context.Response.StatusCode = 200;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        issuedUserCodes.Issued(clientId, authorization.UserCode);
        return 200;
    }

    /// <summary>The token endpoint's device code grant: pending until the user signs in, then tokens once.</summary>
    private async Task<int> DeviceCodeGrantAsync(HttpContext context, IFormCollection form, string clientId)
    {
        if (!deviceCodes.TryGetValue(form["device_code"].ToString(), out var authorization) || !string.Equals(authorization.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
        {
            return await BadVerificationCodeAsync(context).ConfigureAwait(false);
        }

        var (state, mailbox) = authorization.Observe(backend.Now);
        if (state == DeviceCodeState.Redeemed)
        {
            // Redeemed by a poll that raced this one, an instant before it was forgotten.
            return await BadVerificationCodeAsync(context).ConfigureAwait(false);
        }

        if (state != DeviceCodeState.Pending)
        {
            // The client now gets the final answer and stops polling (RFC 8628 §3.5): the code has served its purpose.
            Forget(authorization);
        }

        switch (state)
        {
            case DeviceCodeState.Pending:
                return await WriteErrorAsync(context, 400, "authorization_pending", "AADSTS70016", "The provided request has not yet been authorized by the user. The user must input their code.").ConfigureAwait(false);
            case DeviceCodeState.Declined:
                // Microsoft documents the error (authorization_declined), not its AADSTS number: this one is Entra's "user declined".
                return await WriteErrorAsync(context, 400, "authorization_declined", "AADSTS65004", "The user declined the authorization request.").ConfigureAwait(false);
            case DeviceCodeState.Expired:
                return await WriteErrorAsync(context, 400, "expired_token", "AADSTS70019", "Verification code expired.").ConfigureAwait(false);
            default:
                return await WriteTokensAsync(context, mailbox!, clientId, authorization.Scope, issuedToPublicClient: true).ConfigureAwait(false);
        }
    }

    private static Task<int> BadVerificationCodeAsync(HttpContext context) =>
        WriteErrorAsync(context, 400, "bad_verification_code", "AADSTS70018", "The device_code was not recognized.");

    /// <summary>The verification page named in <c>verification_uri</c>: the emulator signs users in only through the test's calls.</summary>
    private static async Task<int> DeviceLoginPageAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            "<!doctype html><html><head><title>Enter code</title></head><body><p>The Graph emulator signs a user in with a device code when the test calls GraphEmulator.ApproveDeviceCode (or declines it with DeclineDeviceCode).</p></body></html>",
            context.RequestAborted).ConfigureAwait(false);
        return 200;
    }

    private static string NewUserCode()
    {
        var code = new StringBuilder(9);
        for (int i = 0; i < 9; i++)
        {
            code.Append(UserCodeAlphabet[RandomNumberGenerator.GetInt32(UserCodeAlphabet.Length)]);
        }

        return code.ToString();
    }

    private enum DeviceCodeState
    {
        Pending,
        Approved,
        Declined,
        Expired,
        Redeemed,
    }

    /// <summary>One device authorization: pending until approved, declined or expired.</summary>
    private sealed class DeviceAuthorization(string deviceCode, string userCode, string clientId, string scope, Instant expiresAt)
    {
        private readonly object gate = new();
        private DeviceCodeState state = DeviceCodeState.Pending;
        private string? mailbox;
        private bool expired;

        public string DeviceCode { get; } = deviceCode;

        public string UserCode { get; } = userCode;

        public string ClientId { get; } = clientId;

        public string Scope { get; } = scope;

        public Instant ExpiresAt { get; } = expiresAt;

        public void Approve(string signedIn)
        {
            lock (gate)
            {
                if (state != DeviceCodeState.Pending)
                {
                    throw new InvalidOperationException($"The device code {UserCode} is {state.ToString().ToLowerInvariant()}: only a pending one can be approved.");
                }

                state = DeviceCodeState.Approved;
                mailbox = signedIn;
            }
        }

        public void Decline()
        {
            lock (gate)
            {
                if (state != DeviceCodeState.Pending)
                {
                    throw new InvalidOperationException($"The device code {UserCode} is {state.ToString().ToLowerInvariant()}: only a pending one can be declined.");
                }

                state = DeviceCodeState.Declined;
            }
        }

        public void Expire()
        {
            lock (gate)
            {
                expired = true;
            }
        }

        /// <summary>What a poll finds now.</summary>
        public (DeviceCodeState State, string? Mailbox) Observe(Instant now)
        {
            lock (gate)
            {
                if (state is DeviceCodeState.Pending or DeviceCodeState.Approved && (expired || now >= ExpiresAt))
                {
                    return (DeviceCodeState.Expired, null);
                }

                if (state == DeviceCodeState.Approved)
                {
                    // Tokens once, even to two polls that race.
                    state = DeviceCodeState.Redeemed;
                    return (DeviceCodeState.Approved, mailbox);
                }

                return (state, null);
            }
        }
    }
}
