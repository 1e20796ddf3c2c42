using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>Application (app-only) access through the real MSAL confidential client and the real GraphServiceClient.</summary>
public sealed class AppOnlyAccessTests : EmulatorTestBase
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private const string ClientId = "7d9a52c1-1f0e-4d59-9b5e-6a1f2c3d4e5f";
    private const string Secret = "app-secret-value";
    private static readonly string[] GraphDefault = ["https://graph.microsoft.com/.default"];

    [Fact]
    public async Task ClientCredentials_WithSecret_ReadsAndWritesUsersRoutes()
    {
        Emulator.RegisterApplication(ClientId, Secret);
        Emulator.GrantAdminConsent(Tenant, ClientId);
        var graph = AppClient(await AcquireAsync(SecretApp()));

        var created = await graph.Users["bob@emulator.test"].Events.PostAsync(NewEvent("Board", new DateTime(2024, 5, 2, 9, 0, 0)));
        var delta = await graph.Users["bob"].CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-05-10T00:00:00Z";
        });

        Assert.Equal("Board", Assert.Single(Emulator.GetEvents("bob"))["subject"]!.GetValue<string>());
        Assert.Equal(created!.Id, Assert.Single(delta!.Value!).Id);
        Assert.StartsWith(Emulator.GraphBaseUrl + "users/bob/calendarView/delta?", delta.OdataDeltaLink, StringComparison.Ordinal);
        Assert.Empty(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task ClientCredentials_WithCertificate_IssuesTokenWithTheRole()
    {
        using var certificate = CreateCertificate();
        using var publicPart = X509CertificateLoader.LoadCertificate(certificate.RawData);
        Emulator.RegisterApplication(ClientId, certificate: publicPart);
        Emulator.GrantAdminConsent(Tenant, ClientId);
        var app = ConfidentialClientApplicationBuilder.Create(ClientId)
            .WithCertificate(certificate)
            .WithAuthority(new Uri(Emulator.AuthorityHost, Tenant + "/").ToString())
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(Emulator.MsalHttpClientFactory)
            .Build();

        var token = await AcquireAsync(app);
        var events = await AppClient(token).Users["alice"].Events.GetAsync();

        Assert.Contains("Calendars.ReadWrite", Claims(token), StringComparison.Ordinal);
        Assert.NotNull(events);
    }

    [Fact]
    public async Task ClientCredentials_CertificateNotRegistered_InvalidClient()
    {
        using var registered = CreateCertificate();
        using var other = CreateCertificate();
        Emulator.RegisterApplication(ClientId, certificate: registered);
        Emulator.GrantAdminConsent(Tenant, ClientId);
        var app = ConfidentialClientApplicationBuilder.Create(ClientId)
            .WithCertificate(other)
            .WithAuthority(new Uri(Emulator.AuthorityHost, Tenant + "/").ToString())
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(Emulator.MsalHttpClientFactory)
            .Build();

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => AcquireAsync(app));

        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.Contains("AADSTS700027", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_InvalidClient()
    {
        Emulator.RegisterApplication(ClientId, "the-right-one");
        Emulator.GrantAdminConsent(Tenant, ClientId);

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => AcquireAsync(SecretApp()));

        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_TenantNeverConsented_UnauthorizedClient()
    {
        Emulator.RegisterApplication(ClientId, Secret);

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => AcquireAsync(SecretApp()));

        Assert.Equal("unauthorized_client", error.ErrorCode);
        Assert.Contains("AADSTS700016", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppToken_OnMe_BadRequest()
    {
        Emulator.RegisterApplication(ClientId, Secret);
        Emulator.GrantAdminConsent(Tenant, ClientId);
        var graph = AppClient(await AcquireAsync(SecretApp()));

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Me.Events.GetAsync());

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("/me request is only valid with delegated authentication flow", error.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessPolicy_MailboxOutside_ErrorAccessDeniedAlsoInsideBatch()
    {
        Emulator.RegisterApplication(ClientId, Secret);
        Emulator.GrantAdminConsent(Tenant, ClientId);
        Emulator.SetApplicationAccessPolicy(Tenant, ClientId, ["alice"]);
        var graph = AppClient(await AcquireAsync(SecretApp()));

        var allowed = await graph.Users["alice@emulator.test"].Events.GetAsync();
        var denied = await Assert.ThrowsAsync<ODataError>(() => graph.Users["bob@emulator.test"].Events.GetAsync());
        var batch = new BatchRequestContentCollection(graph);
        string aliceStep = await batch.AddBatchRequestStepAsync(graph.Users["alice"].Events.ToGetRequestInformation());
        string bobStep = await batch.AddBatchRequestStepAsync(graph.Users["bob"].Events.ToPostRequestInformation(NewEvent("Nope", new DateTime(2024, 5, 2, 9, 0, 0))));
        var statuses = await (await graph.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();

        Assert.NotNull(allowed);
        Assert.Equal(403, denied.ResponseStatusCode);
        Assert.Equal("ErrorAccessDenied", denied.Error!.Code);
        Assert.StartsWith("Access to OData is disabled", denied.Error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, statuses[aliceStep]);
        Assert.Equal(HttpStatusCode.Forbidden, statuses[bobStep]);
        Assert.Empty(Emulator.GetEvents("bob"));
    }

    [Fact]
    public async Task RevokedConsent_NewTokenHasNoRole_GraphAnswersAccessDenied()
    {
        Emulator.RegisterApplication(ClientId, Secret);
        Emulator.GrantAdminConsent(Tenant, ClientId);
        var before = await AcquireAsync(SecretApp());
        Emulator.RevokeAdminConsent(Tenant, ClientId);

        var after = await AcquireAsync(SecretApp());
        var error = await Assert.ThrowsAsync<ODataError>(() => AppClient(after).Users["alice"].Events.GetAsync());

        Assert.Contains("Calendars.ReadWrite", Claims(before), StringComparison.Ordinal);
        Assert.DoesNotContain("roles", Claims(after), StringComparison.Ordinal);
        Assert.Equal(403, error.ResponseStatusCode);
        Assert.Equal("Access is denied. Check credentials and try again.", error.Error!.Message);
        Assert.NotNull(await AppClient(before).Users["alice"].Events.GetAsync());
    }

    [Fact]
    public async Task MailboxAvailability_NoMailboxAndUnknownUser_AnswerGraphsNotFoundCodes()
    {
        Emulator.RegisterApplication(ClientId, Secret);
        Emulator.GrantAdminConsent(Tenant, ClientId);
        Emulator.SetMailboxAvailability("guest", MailboxAvailability.NoMailbox);
        Emulator.SetMailboxAvailability("leaver", MailboxAvailability.UserNotFound);
        Emulator.SetMailboxAvailability("shared", MailboxAvailability.AccountDisabled);
        var graph = AppClient(await AcquireAsync(SecretApp()));

        var noMailbox = await Assert.ThrowsAsync<ODataError>(() => graph.Users["guest"].Events.GetAsync());
        var unknown = await Assert.ThrowsAsync<ODataError>(() => graph.Users["leaver@emulator.test"].Events.GetAsync());
        var disabled = await graph.Users["shared"].Events.GetAsync();

        Assert.Equal((404, "MailboxNotEnabledForRESTAPI"), (noMailbox.ResponseStatusCode, noMailbox.Error!.Code));
        Assert.Equal((404, "ErrorInvalidUser"), (unknown.ResponseStatusCode, unknown.Error!.Code));
        Assert.Equal("The requested user 'leaver@emulator.test' is invalid.", unknown.Error.Message);
        Assert.NotNull(disabled);
    }

    [Fact]
    public async Task AdminConsentPage_GrantsAndRedirectsWithTenantAndState()
    {
        Emulator.RegisterApplication(ClientId, Secret);
        using var browser = new HttpClient(Emulator.CreateHttpsHandler());

        using var answer = await browser.GetAsync(new Uri(Emulator.AuthorityHost, $"{Tenant}/v2.0/adminconsent?client_id={ClientId}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fcalendar.example.test%2Fmicrosoft_account%2Fadmin_consent&state=s-1"));
        var token = await AcquireAsync(SecretApp());

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal($"https://calendar.example.test/microsoft_account/admin_consent?tenant={Uri.EscapeDataString(Tenant)}&admin_consent=True&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&state=s-1", answer.Headers.Location!.ToString());
        Assert.Contains("Calendars.ReadWrite", Claims(token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminConsentPage_AdminDeclines_RedirectsWithAccessDenied()
    {
        Emulator.RegisterApplication(ClientId, Secret);
        Emulator.DeclineAdminConsent(Tenant);
        using var browser = new HttpClient(Emulator.CreateHttpsHandler());

        using var answer = await browser.GetAsync(new Uri(Emulator.AuthorityHost, $"{Tenant}/v2.0/adminconsent?client_id={ClientId}&redirect_uri=https%3A%2F%2Fcalendar.example.test%2Fmicrosoft_account%2Fadmin_consent&state=s-2"));

        Assert.StartsWith("https://calendar.example.test/microsoft_account/admin_consent?error=access_denied&", answer.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("&state=s-2", answer.Headers.Location!.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<MsalServiceException>(() => AcquireAsync(SecretApp()));
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=OutlookCalendarSync app-only test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static string Claims(string token) =>
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Split('.')[1].Replace('-', '+').Replace('_', '/'))));

    private static string Pad(string text) => text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');

    private static async Task<string> AcquireAsync(IConfidentialClientApplication app) =>
        (await app.AcquireTokenForClient(GraphDefault).ExecuteAsync()).AccessToken;

    private IConfidentialClientApplication SecretApp() => ConfidentialClientApplicationBuilder.Create(ClientId)
        .WithClientSecret(Secret)
        .WithAuthority(new Uri(Emulator.AuthorityHost, Tenant + "/").ToString())
        .WithInstanceDiscovery(false)
        .WithHttpClientFactory(Emulator.MsalHttpClientFactory)
        .Build();

    private GraphServiceClient AppClient(string token) =>
        new(new HttpClient(), new BaseBearerTokenAuthenticationProvider(new FixedToken(token)), Emulator.GraphBaseUrl.ToString());

    private sealed class FixedToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}
