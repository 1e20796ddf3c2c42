using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Authentication;

/// <summary>The emulator's identity endpoints spoken to directly, as Microsoft Entra would answer.</summary>
public sealed class EmulatorIdentityTests : IAsyncLifetime, IDisposable
{
    private const string Redirect = "https://app.example.test/microsoft_account/authentication";
    private const string Verifier = "a-verifier-of-enough-length-0123456789-abcdefghijklmnop";
    private GraphEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { RequireIssuedAccessTokens = true, RedirectUris = { ["client"] = [new Uri(Redirect)] } });
        _http = new HttpClient(_emulator.CreateHttpsHandler());
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Token_RefreshToken_RotatesAndSpendsTheOldOne()
    {
        JsonObject first = await RedeemAsync(await AuthorizeAsync("alice"));
        string refreshToken = first["refresh_token"]!.GetValue<string>();

        (HttpStatusCode okStatus, JsonObject second) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });
        (HttpStatusCode replayStatus, JsonObject replay) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.NotEqual(refreshToken, second["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Equal("invalid_grant", replay["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_AuthorizationCode_AnswersWhatMsalNeeds()
    {
        JsonObject tokens = await RedeemAsync(await AuthorizeAsync("alice"));

        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
        Assert.Equal(3600, tokens["expires_in"]!.GetValue<long>());
        JsonObject clientInfo = JsonNode.Parse(Base64UrlDecode(tokens["client_info"]!.GetValue<string>()))!.AsObject();
        JsonObject idToken = JsonNode.Parse(Base64UrlDecode(tokens["id_token"]!.GetValue<string>().Split('.')[1]))!.AsObject();
        Assert.Equal(idToken["oid"]!.GetValue<string>(), clientInfo["uid"]!.GetValue<string>());
        Assert.Equal(idToken["tid"]!.GetValue<string>(), clientInfo["utid"]!.GetValue<string>());
        Assert.Equal("alice@emulator.test", idToken["preferred_username"]!.GetValue<string>());
        Assert.Equal("client", idToken["aud"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_CodeRedeemedTwice_SecondIsInvalidGrant()
    {
        string code = await AuthorizeAsync("alice");
        await RedeemAsync(code);

        (HttpStatusCode status, JsonObject body) = await TokenAsync(CodeForm(code, Verifier));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task GraphRoutes_IssuedTokenOfAlice_ReadAliceOnlyAndRejectOthers()
    {
        string accessToken = (await RedeemAsync(await AuthorizeAsync("alice")))["access_token"]!.GetValue<string>();
        _emulator.AddEvent("alice", """{"subject":"Alice's","start":{"dateTime":"2026-11-25T14:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-25T15:00:00","timeZone":"UTC"}}""");
        using var graph = new HttpClient();

        using var own = new HttpRequestMessage(HttpMethod.Get, new Uri(_emulator.GraphBaseUrl, "me/events"));
        own.Headers.Authorization = new("Bearer", accessToken);
        using HttpResponseMessage ownResponse = await graph.SendAsync(own);
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(_emulator.GraphBaseUrl, "me/events"));
        forged.Headers.Authorization = new("Bearer", accessToken + "x");
        using HttpResponseMessage forgedResponse = await graph.SendAsync(forged);

        Assert.Equal(HttpStatusCode.OK, ownResponse.StatusCode);
        Assert.Contains("Alice's", await ownResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
    }

    private async Task<string> AuthorizeAsync(string mailbox)
    {
        string challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
        string url = QueryHelpers.AddQueryString(new Uri(_emulator.AuthorityHost, "common/oauth2/v2.0/authorize").ToString(), new Dictionary<string, string?>
        {
            ["client_id"] = "client",
            ["response_type"] = "code",
            ["redirect_uri"] = Redirect,
            ["scope"] = "Calendars.ReadWrite openid offline_access",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = "s",
            ["login_hint"] = mailbox,
        });
        using HttpResponseMessage response = await _http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("s", query["state"].ToString());
        return query["code"].ToString();
    }

    private async Task<JsonObject> RedeemAsync(string code)
    {
        (HttpStatusCode status, JsonObject body) = await TokenAsync(CodeForm(code, Verifier));
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private static Dictionary<string, string> CodeForm(string code, string verifier) => new()
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = Redirect,
        ["code_verifier"] = verifier,
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> TokenAsync(Dictionary<string, string> form)
    {
        form["client_id"] = "client";
        form["client_secret"] = "secret";
        using var content = new FormUrlEncodedContent(form);
        using HttpResponseMessage response = await _http.PostAsync(new Uri(_emulator.AuthorityHost, "common/oauth2/v2.0/token"), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }
}
