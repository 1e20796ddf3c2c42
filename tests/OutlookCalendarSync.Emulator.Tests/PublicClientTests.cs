using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Identity.Client;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>
/// Public clients on the emulator's identity endpoints: the device authorization grant spoken directly (as Microsoft's page on it
/// describes), and the real MSAL public client's device code and system-browser (loopback, PKCE, form_post) sign-ins.
/// </summary>
public sealed class PublicClientTests : IAsyncLifetime, IDisposable
{
    private const string ClientId = "0b7c6d5e-4f3a-2b1c-9d8e-7f6a5b4c3d2e";
    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private const string WebRedirect = "https://app.example.test/callback";
    private static readonly string[] Calendars = ["Calendars.ReadWrite"];
    private readonly FakeClock _clock = new(SystemClock.Instance.GetCurrentInstant());
    private GraphEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Clock = _clock,
            RequireIssuedAccessTokens = true,
            DeviceCodePollingInterval = TimeSpan.FromSeconds(1),
            RedirectUris = { [ClientId] = [new Uri("http://localhost"), new Uri(WebRedirect)] },
        });
        _http = new HttpClient(_emulator.CreateHttpsHandler()) { BaseAddress = _emulator.AuthorityHost };
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task DeviceCode_AnswersTheDocumentedFields()
    {
        _emulator.RegisterPublicClient(ClientId);

        (HttpStatusCode status, JsonObject body) = await PostAsync("common/oauth2/v2.0/devicecode", new() { ["client_id"] = ClientId, ["scope"] = "Calendars.ReadWrite offline_access openid profile" });

        Assert.Equal(HttpStatusCode.OK, status);
        string userCode = body["user_code"]!.GetValue<string>();
        string verificationUri = body["verification_uri"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(body["device_code"]!.GetValue<string>()));
        Assert.Equal(900, body["expires_in"]!.GetValue<long>());
        Assert.Equal(1, body["interval"]!.GetValue<long>());
        Assert.Equal(new Uri(_emulator.AuthorityHost, "devicelogin").ToString(), verificationUri);
        Assert.Equal($"To sign in, use a web browser to open the page {verificationUri} and enter the code {userCode} to authenticate.", body["message"]!.GetValue<string>());
        Assert.Equal(userCode, await _emulator.WaitForDeviceCodeAsync());
        using HttpResponseMessage page = await _http.GetAsync(new Uri(verificationUri));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task DeviceCodeGrant_PendingUntilApproved_ThenTokensOnce()
    {
        _emulator.RegisterPublicClient(ClientId);
        (string deviceCode, string userCode) = await StartDeviceCodeAsync();

        (HttpStatusCode pendingStatus, JsonObject pending) = await PollAsync(deviceCode);
        _emulator.ApproveDeviceCode(userCode, "alice");
        (HttpStatusCode okStatus, JsonObject tokens) = await PollAsync(deviceCode);
        (HttpStatusCode againStatus, JsonObject again) = await PollAsync(deviceCode);

        Assert.Equal(HttpStatusCode.BadRequest, pendingStatus);
        Assert.Equal("authorization_pending", pending["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS70016:", pending["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(tokens["refresh_token"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal("bad_verification_code", again["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeviceCodeGrant_Declined_AuthorizationDeclined()
    {
        _emulator.RegisterPublicClient(ClientId);
        (string deviceCode, string userCode) = await StartDeviceCodeAsync();

        _emulator.DeclineDeviceCode(userCode);
        Assert.Throws<InvalidOperationException>(() => _emulator.ApproveDeviceCode(userCode, "alice"));
        (HttpStatusCode status, JsonObject body) = await PollAsync(deviceCode);
        (_, JsonObject again) = await PollAsync(deviceCode);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("authorization_declined", body["error"]!.GetValue<string>());
        Assert.Equal("bad_verification_code", again["error"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => _emulator.ApproveDeviceCode(userCode, "alice"));
    }

    [Fact]
    public async Task DeviceCodeGrant_AfterTokensOrExpiry_CodeIsForgotten()
    {
        _emulator.RegisterPublicClient(ClientId);
        (string redeemedDeviceCode, string redeemedUserCode) = await StartDeviceCodeAsync();
        (string expiredDeviceCode, string expiredUserCode) = await StartDeviceCodeAsync();
        _emulator.ApproveDeviceCode(redeemedUserCode, "alice");
        _emulator.ExpireDeviceCode(expiredUserCode);

        (HttpStatusCode tokensStatus, _) = await PollAsync(redeemedDeviceCode);
        (_, JsonObject expired) = await PollAsync(expiredDeviceCode);
        (_, JsonObject expiredAgain) = await PollAsync(expiredDeviceCode);

        Assert.Equal(HttpStatusCode.OK, tokensStatus);
        Assert.Equal("expired_token", expired["error"]!.GetValue<string>());
        Assert.Equal("bad_verification_code", expiredAgain["error"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => _emulator.ApproveDeviceCode(redeemedUserCode, "bob"));
        Assert.Throws<ArgumentException>(() => _emulator.ExpireDeviceCode(expiredUserCode));
    }

    [Fact]
    public async Task DeviceCode_NeverPolledPastItsLifetime_ForgottenAndNotHandedToWaiters()
    {
        _emulator.RegisterPublicClient(ClientId);
        (_, string abandoned) = await StartDeviceCodeAsync();
        _clock.Advance(Duration.FromMinutes(30));

        (_, string fresh) = await StartDeviceCodeAsync();

        Assert.Throws<ArgumentException>(() => _emulator.ApproveDeviceCode(abandoned, "alice"));
        Assert.Equal(fresh, await _emulator.WaitForDeviceCodeAsync());
    }

    [Fact]
    public async Task WaitForDeviceCodeAsync_TwoAppsSigningInAtOnce_EachWaiterGetsItsAppsCode()
    {
        const string OtherClientId = "6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2918";
        _emulator.RegisterPublicClient(ClientId);
        _emulator.RegisterPublicClient(OtherClientId);
        IPublicClientApplication app = PublicApp(null);
        IPublicClientApplication other = PublicApp(null, OtherClientId);
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherShown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Both wait before either sign-in starts, and the other app asks for its code first.
        Task<string> waitForApp = _emulator.WaitForDeviceCodeAsync(ClientId);
        Task<string> waitForOther = _emulator.WaitForDeviceCodeAsync(OtherClientId);
        Task<AuthenticationResult> otherSignIn = other.AcquireTokenWithDeviceCode(Calendars, code => SetAsync(otherShown, code.UserCode)).ExecuteAsync();
        string otherCode = await waitForOther;
        Task<AuthenticationResult> signIn = app.AcquireTokenWithDeviceCode(Calendars, code => SetAsync(shown, code.UserCode)).ExecuteAsync();
        string appCode = await waitForApp;
        _emulator.ApproveDeviceCode(appCode, "alice");
        _emulator.ApproveDeviceCode(otherCode, "bob");

        Assert.Equal(await shown.Task, appCode);
        Assert.Equal(await otherShown.Task, otherCode);
        Assert.Equal("alice@emulator.test", (await signIn).Account.Username);
        Assert.Equal("bob@emulator.test", (await otherSignIn).Account.Username);
    }

    [Fact]
    public async Task WaitForDeviceCodeAsync_Cancelled_TheNextCodeGoesToTheNextWaiter()
    {
        _emulator.RegisterPublicClient(ClientId);
        using var cancel = new CancellationTokenSource();
        Task<string> cancelled = _emulator.WaitForDeviceCodeAsync(ClientId, cancel.Token);
        await cancel.CancelAsync();

        (_, string userCode) = await StartDeviceCodeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(userCode, await _emulator.WaitForDeviceCodeAsync(ClientId));
    }

    [Fact]
    public async Task DeviceCodeGrant_AfterExpiresIn_ExpiredTokenEvenWhenApprovedLate()
    {
        _emulator.RegisterPublicClient(ClientId);
        (string deviceCode, string userCode) = await StartDeviceCodeAsync();

        _clock.Advance(Duration.FromMinutes(15));
        _emulator.ApproveDeviceCode(userCode, "alice");
        (HttpStatusCode status, JsonObject body) = await PollAsync(deviceCode);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("expired_token", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeviceCodeGrant_UnknownDeviceCode_BadVerificationCode()
    {
        _emulator.RegisterPublicClient(ClientId);

        (HttpStatusCode status, JsonObject body) = await PollAsync("not-a-device-code");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_verification_code", body["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeviceCodeGrant_AppWithoutPublicClientFlows_Aadsts7000218(bool registeredForLoopbackOnly)
    {
        if (registeredForLoopbackOnly)
        {
            _emulator.RegisterPublicClient(ClientId, allowPublicClientFlows: false);
        }

        (string deviceCode, string userCode) = await StartDeviceCodeAsync();
        _emulator.ApproveDeviceCode(userCode, "alice");
        (HttpStatusCode status, JsonObject body) = await PollAsync(deviceCode);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Msal_DeviceCode_PendingThenApproved_TokensAndSilentRefreshWithoutSecret()
    {
        _emulator.RegisterPublicClient(ClientId);
        IPublicClientApplication app = PublicApp(null);
        var shown = new TaskCompletionSource<DeviceCodeResult>(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<AuthenticationResult> signIn = app.AcquireTokenWithDeviceCode(Calendars, code =>
        {
            shown.SetResult(code);
            return Task.CompletedTask;
        }).ExecuteAsync();
        string userCode = await _emulator.WaitForDeviceCodeAsync();
        await WaitForPollAsync();
        _emulator.ApproveDeviceCode(userCode, "alice");
        AuthenticationResult result = await signIn;
        IAccount account = Assert.Single(await app.GetAccountsAsync());
        AuthenticationResult refreshed = await app.AcquireTokenSilent(Calendars, account).WithForceRefresh(true).ExecuteAsync();

        DeviceCodeResult prompt = await shown.Task;
        Assert.Equal(userCode, prompt.UserCode);
        Assert.Contains(userCode, prompt.Message, StringComparison.Ordinal);
        Assert.Equal("alice@emulator.test", result.Account.Username);
        Assert.NotEqual(result.AccessToken, refreshed.AccessToken);
        Assert.True(_emulator.CountRequests("POST /{tenant}/oauth2/v2.0/token") >= 3);
    }

    [Fact]
    public async Task Msal_SystemBrowser_LoopbackFormPostWithPkce_SignsIn()
    {
        _emulator.RegisterPublicClient(ClientId, allowPublicClientFlows: false);
        using var browser = new EmulatorBrowser(_emulator);
        IPublicClientApplication app = PublicApp("http://localhost");
        Task<string>? page = null;
        Uri? opened = null;

        AuthenticationResult result = await app.AcquireTokenInteractive(Calendars)
            .WithUseEmbeddedWebView(false)
            .WithSystemWebViewOptions(new SystemWebViewOptions
            {
                OpenBrowserAsync = url =>
                {
                    opened = url;
                    page = browser.CompleteSignInAsync(url, "alice");
                    return Task.CompletedTask;
                },
            })
            .ExecuteAsync();

        Assert.Equal("alice@emulator.test", result.Account.Username);
        Assert.Contains("code_challenge_method=S256", opened!.Query, StringComparison.Ordinal);
        Assert.Contains("response_mode=form_post", opened.Query, StringComparison.Ordinal);
        Assert.Contains("Authentication complete", await page!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizationCode_IssuedToWebRedirectUri_NeedsTheSecretEvenForAPublicClient()
    {
        _emulator.RegisterPublicClient(ClientId);
        const string Verifier = "a-verifier-of-enough-length-0123456789-abcdefghijklmnop";
        string challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(Verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using HttpResponseMessage authorize = await _http.GetAsync(new Uri(
            $"common/oauth2/v2.0/authorize?client_id={ClientId}&redirect_uri={Uri.EscapeDataString(WebRedirect)}&response_type=code&scope=openid&code_challenge={challenge}&code_challenge_method=S256&login_hint=alice",
            UriKind.Relative));
        string code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Headers.Location!.Query)["code"].ToString();

        (HttpStatusCode status, JsonObject body) = await PostAsync("common/oauth2/v2.0/token", new()
        {
            ["client_id"] = ClientId,
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = WebRedirect,
            ["code_verifier"] = Verifier,
        });

        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("AADSTS7000218:", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshToken_IssuedToPublicClient_RefusedWithSecretAcceptedWithout()
    {
        _emulator.RegisterPublicClient(ClientId);
        (string deviceCode, string userCode) = await StartDeviceCodeAsync();
        _emulator.ApproveDeviceCode(userCode, "alice");
        (_, JsonObject tokens) = await PollAsync(deviceCode);
        string publicRefresh = tokens["refresh_token"]!.GetValue<string>();

        (HttpStatusCode withSecret, JsonObject refused) = await PostAsync("common/oauth2/v2.0/token", new()
        {
            ["client_id"] = ClientId,
            ["client_secret"] = "a-secret",
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = publicRefresh,
        });
        (HttpStatusCode withoutSecret, _) = await PostAsync("common/oauth2/v2.0/token", new()
        {
            ["client_id"] = ClientId,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = publicRefresh,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, withSecret);
        Assert.StartsWith("AADSTS700025:", refused["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, withoutSecret);
    }

    private static Task SetAsync(TaskCompletionSource<string> shown, string userCode)
    {
        shown.TrySetResult(userCode);
        return Task.CompletedTask;
    }

    private IPublicClientApplication PublicApp(string? redirectUri, string clientId = ClientId)
    {
        PublicClientApplicationBuilder builder = PublicClientApplicationBuilder.Create(clientId)
            .WithAuthority(new Uri(_emulator.AuthorityHost, "common/").ToString())
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(_emulator.MsalHttpClientFactory);
        return (redirectUri is null ? builder : builder.WithRedirectUri(redirectUri)).Build();
    }

    /// <summary>Waits until the client has polled at least once (and been told the sign-in is pending).</summary>
    private async Task WaitForPollAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_emulator.CountRequests("POST /{tenant}/oauth2/v2.0/token") == 0)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task<(string DeviceCode, string UserCode)> StartDeviceCodeAsync()
    {
        (HttpStatusCode status, JsonObject body) = await PostAsync("common/oauth2/v2.0/devicecode", new() { ["client_id"] = ClientId, ["scope"] = "Calendars.ReadWrite offline_access openid profile" });
        Assert.Equal(HttpStatusCode.OK, status);
        return (body["device_code"]!.GetValue<string>(), body["user_code"]!.GetValue<string>());
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> PollAsync(string deviceCode) =>
        PostAsync("common/oauth2/v2.0/token", new() { ["client_id"] = ClientId, ["grant_type"] = DeviceCodeGrant, ["device_code"] = deviceCode });

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using HttpResponseMessage response = await _http.PostAsync(new Uri(path, UriKind.Relative), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
