using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Identity.Client;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>
/// The redirect URIs of app registrations, through the real MSAL confidential client and a browser played over HTTPS: Entra sends
/// the browser back only to a redirect URI the app lists (AADSTS50011 otherwise), and redeems a code only with the redirect URI of
/// its authorize request (AADSTS500112).
/// </summary>
public sealed class RedirectUriTests : IAsyncLifetime, IDisposable
{
    private const string ClientId = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98";
    private const string Registered = "https://app.example.test/signin";
    private const string Tenant = "contoso.onmicrosoft.com";
    private static readonly string[] Calendars = ["Calendars.ReadWrite"];
    private GraphEmulator _emulator = null!;
    private EmulatorBrowser _browser = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            RedirectUris = { [ClientId] = [new Uri(Registered), new Uri("http://localhost/signin")] },
        });
        _browser = new EmulatorBrowser(_emulator);
        _http = new HttpClient(_emulator.CreateHttpsHandler());
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose()
    {
        _browser.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task SignIn_RegisteredRedirectUri_RedeemsTheCode()
    {
        IConfidentialClientApplication app = WebApp(Registered);

        AuthenticationResult result = await SignInAsync(app, app);

        Assert.Equal("alice@emulator.test", result.Account.Username);
    }

    [Theory]
    [InlineData("https://app.example.test/other")]
    [InlineData("https://app.example.test/SIGNIN")]
    [InlineData("https://app.example.test/signin/")]
    [InlineData("https://app.example.test:8443/signin")]
    [InlineData("http://app.example.test/signin")]
    [InlineData("https://calendar.example.test/microsoft_account/authentication")]
    public async Task Authorize_RedirectUriTheAppDoesNotList_ErrorPageAadsts50011AndNoRedirect(string redirect)
    {
        Uri url = await WebApp(redirect).GetAuthorizationRequestUrl(Calendars).WithPkce(out _).ExecuteAsync();

        using HttpResponseMessage page = await _http.GetAsync(new Uri(QueryHelpers.AddQueryString(url.AbsoluteUri, "login_hint", "alice")));
        string body = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Null(page.Headers.Location);
        Assert.Contains($"AADSTS50011: The redirect URI '{redirect}' specified in the request does not match the redirect URIs configured for the application '{ClientId}'.", body, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _browser.SignInAsync(url, "alice"));
    }

    [Theory]
    [InlineData("http://localhost:5000/signin")]
    [InlineData("http://localhost:61234/signin")]
    public async Task Authorize_LoopbackRedirectUri_AnyPortMatches(string redirect)
    {
        Uri url = await WebApp(redirect).GetAuthorizationRequestUrl(Calendars).WithPkce(out _).ExecuteAsync();

        IReadOnlyDictionary<string, string> callback = await _browser.SignInAsync(url, "alice");

        Assert.True(callback.ContainsKey("code"));
    }

    [Fact]
    public async Task Authorize_AppWithoutOwnRegistration_HasTheDefaultRedirectUris()
    {
        const string Other = "99999999-8888-7777-6666-555555555555";
        Uri listed = await WebApp("https://calendar.example.test/microsoft_account/authentication", Other).GetAuthorizationRequestUrl(Calendars).WithPkce(out _).ExecuteAsync();
        Uri unlisted = await WebApp(Registered, Other).GetAuthorizationRequestUrl(Calendars).WithPkce(out _).ExecuteAsync();

        IReadOnlyDictionary<string, string> callback = await _browser.SignInAsync(listed, "alice");
        using HttpResponseMessage refused = await _http.GetAsync(new Uri(QueryHelpers.AddQueryString(unlisted.AbsoluteUri, "login_hint", "alice")));

        Assert.True(callback.ContainsKey("code"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("AADSTS50011", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_RedirectUriOtherThanTheAuthorizeRequests_InvalidClientAadsts500112()
    {
        // Both URIs are registered; the code was issued to the first, the redemption names the second.
        var error = await Assert.ThrowsAsync<MsalServiceException>(() => SignInAsync(WebApp(Registered), WebApp("http://localhost:5000/signin")));

        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.Contains($"AADSTS500112: The reply address 'http://localhost:5000/signin' does not match the reply address '{Registered}' provided when requesting Authorization code.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_RedirectUriTheAppDoesNotList_InvalidClientAadsts50011()
    {
        var error = await Assert.ThrowsAsync<MsalServiceException>(() => SignInAsync(WebApp(Registered), WebApp("https://attacker.example.test/signin")));

        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.Contains("AADSTS50011: The redirect URI 'https://attacker.example.test/signin' specified in the request does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminConsent_RedirectUriTheAppDoesNotList_ErrorPageAndNoConsent()
    {
        _emulator.RegisterApplication(ClientId, "secret");

        using HttpResponseMessage refused = await _http.GetAsync(new Uri(_emulator.AuthorityHost, $"{Tenant}/v2.0/adminconsent?client_id={ClientId}&redirect_uri={Uri.EscapeDataString("https://attacker.example.test/consent")}&state=s"));
        using HttpResponseMessage granted = await _http.GetAsync(new Uri(_emulator.AuthorityHost, $"{Tenant}/v2.0/adminconsent?client_id={ClientId}&redirect_uri={Uri.EscapeDataString(Registered)}&state=s"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(refused.Headers.Location);
        Assert.Contains("AADSTS50011", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        Assert.StartsWith(Registered + "?tenant=", granted.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Signs alice in through <paramref name="authorizing"/>'s sign-in URL and redeems the code with <paramref name="redeeming"/>.</summary>
    private async Task<AuthenticationResult> SignInAsync(IConfidentialClientApplication authorizing, IConfidentialClientApplication redeeming)
    {
        Uri url = await authorizing.GetAuthorizationRequestUrl(Calendars).WithPkce(out string verifier).ExecuteAsync();
        IReadOnlyDictionary<string, string> callback = await _browser.SignInAsync(url, "alice");
        return await redeeming.AcquireTokenByAuthorizationCode(Calendars, callback["code"]).WithPkceCodeVerifier(verifier).ExecuteAsync();
    }

    private IConfidentialClientApplication WebApp(string redirectUri, string clientId = ClientId) =>
        ConfidentialClientApplicationBuilder.Create(clientId)
            .WithClientSecret("secret")
            .WithAuthority(new Uri(_emulator.AuthorityHost, "common/").ToString())
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(_emulator.MsalHttpClientFactory)
            .WithRedirectUri(redirectUri)
            .Build();
}
