using System.Net;
using System.Net.Http.Headers;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using NodaTime;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>
/// App-only tokens Graph refuses (revoked, expired, for another resource) and app-only subscriptions on <c>users/{id}/events</c>,
/// through the real MSAL confidential client and the real GraphServiceClient.
/// </summary>
public sealed class AppOnlyTokenAndSubscriptionTests : EmulatorTestBase
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private const string ClientId = "5b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e";
    private const string Secret = "app-secret-value";
    private NotificationReceiver receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        receiver = await NotificationReceiver.StartAsync();
        Emulator.RegisterApplication(ClientId, Secret);
        Emulator.GrantAdminConsent(Tenant, ClientId);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task RevokedToken_Answers401InvalidAuthenticationToken_ABatchAsAWhole_ANewTokenWorks()
    {
        string revoked = await AcquireAsync("https://graph.microsoft.com/.default");
        Emulator.RevokeApplicationTokens(Tenant, ClientId);
        using HttpClient http = RawClient(token: null);

        using HttpResponseMessage get = await SendAsync(http, HttpMethod.Get, "users/alice/events", revoked);
        using HttpResponseMessage batch = await SendAsync(http, HttpMethod.Post, "$batch", revoked, """{"requests":[{"id":"1","method":"GET","url":"/users/alice/events"}]}""");
        string fresh = await AcquireAsync("https://graph.microsoft.com/.default", forceRefresh: true);
        using HttpResponseMessage again = await SendAsync(http, HttpMethod.Get, "users/alice/events", fresh);

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Contains("\"InvalidAuthenticationToken\"", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_Answers401LifetimeValidationFailed()
    {
        string token = await AcquireAsync("https://graph.microsoft.com/.default");
        Clock.Advance(Duration.FromHours(2));
        using HttpClient http = RawClient(token: null);

        using HttpResponseMessage get = await SendAsync(http, HttpMethod.Get, "users/alice/events", token);

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Contains("Lifetime validation failed", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenForAnotherResource_Answers401InvalidAudience()
    {
        string token = await AcquireAsync("https://outlook.office.com/.default");
        using HttpClient http = RawClient(token: null);

        using HttpResponseMessage get = await SendAsync(http, HttpMethod.Get, "users/alice/events", token);

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Contains("Invalid audience 'https://outlook.office.com'", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_AppToken_UsersResource_NotifiesThatMailboxAndBelongsToTheApp()
    {
        GraphServiceClient app = AppClient(await AcquireAsync("https://graph.microsoft.com/.default"));

        Subscription created = (await app.Subscriptions.PostAsync(NewSubscription("users/bob@emulator.test/events")))!;
        Emulator.AddEvent("bob", SeedJson("Board", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        var (path, item) = await receiver.NextAsync();
        var listedByTheApp = await app.Subscriptions.GetAsync();
        var notTheUsers = await Assert.ThrowsAsync<ODataError>(() => CreateClient("bob").Subscriptions[created.Id].GetAsync());
        await app.Subscriptions[created.Id].DeleteAsync();

        Assert.Equal("/notify", path);
        Assert.Equal(created.Id, (string?)item["subscriptionId"]);
        Assert.Equal("secret-state", (string?)item["clientState"]);
        Assert.Equal(created.Id, Assert.Single(listedByTheApp!.Value!).Id);
        Assert.Equal(404, notTheUsers.ResponseStatusCode);
        Assert.Empty(Emulator.GetSubscriptions("bob"));
    }

    [Fact]
    public async Task Subscription_AppToken_MeOrAMailboxItMayNotReach_IsRefused()
    {
        Emulator.SetApplicationAccessPolicy(Tenant, ClientId, ["alice"]);
        GraphServiceClient app = AppClient(await AcquireAsync("https://graph.microsoft.com/.default"));

        var me = await Assert.ThrowsAsync<ODataError>(() => app.Subscriptions.PostAsync(NewSubscription("me/events")));
        var outsidePolicy = await Assert.ThrowsAsync<ODataError>(() => app.Subscriptions.PostAsync(NewSubscription("users/bob/events")));
        Emulator.RevokeAdminConsent(Tenant, ClientId);
        GraphServiceClient withoutRole = AppClient(await AcquireAsync("https://graph.microsoft.com/.default", forceRefresh: true));
        var noRole = await Assert.ThrowsAsync<ODataError>(() => withoutRole.Subscriptions.PostAsync(NewSubscription("users/alice/events")));

        Assert.Equal(400, me.ResponseStatusCode);
        Assert.Equal(403, outsidePolicy.ResponseStatusCode);
        Assert.Contains("Access to OData is disabled", outsidePolicy.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(403, noRole.ResponseStatusCode);
        Assert.Empty(Emulator.GetSubscriptions("alice"));
        Assert.Empty(Emulator.GetSubscriptions("bob"));
        Assert.Empty(receiver.ValidationTokens);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string relative, string token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, relative);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    private Subscription NewSubscription(string resource) => new()
    {
        ChangeType = "created,updated,deleted",
        NotificationUrl = receiver.NotificationUrl.ToString(),
        LifecycleNotificationUrl = receiver.LifecycleUrl.ToString(),
        Resource = resource,
        ExpirationDateTime = Clock.GetCurrentInstant().ToDateTimeOffset().AddMinutes(4230),
        ClientState = "secret-state",
    };

    private async Task<string> AcquireAsync(string scope, bool forceRefresh = false) =>
        (await ConfidentialClientApplicationBuilder.Create(ClientId)
            .WithClientSecret(Secret)
            .WithAuthority(new Uri(Emulator.AuthorityHost, Tenant + "/").ToString())
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(Emulator.MsalHttpClientFactory)
            .Build()
            .AcquireTokenForClient([scope]).WithForceRefresh(forceRefresh).ExecuteAsync()).AccessToken;

    private GraphServiceClient AppClient(string token) =>
        new(new HttpClient(), new BaseBearerTokenAuthenticationProvider(new FixedToken(token)), Emulator.GraphBaseUrl.ToString());

    private sealed class FixedToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}
