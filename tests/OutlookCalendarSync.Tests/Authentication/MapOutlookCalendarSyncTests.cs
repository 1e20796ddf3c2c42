using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Authentication;

/// <summary>The ASP.NET Core endpoints in a real Kestrel host on loopback, with the emulator as Microsoft Entra.</summary>
public sealed class MapOutlookCalendarSyncTests : IAsyncLifetime
{
    private const string UserHeader = "X-Test-User";
    private GraphEmulator _emulator = null!;
    private WebApplication _app = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 24, 8, 0));
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = clock, RequireIssuedAccessTokens = true });
        int port = FreePort();
        _baseUrl = new Uri($"http://127.0.0.1:{port}/");
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_baseUrl.ToString());
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore(clock))
            .UseSyncStateStore(new InMemorySyncStateStore(clock))
            .UseTokenStore(new InMemoryTokenStore())
            .UseMicrosoftGraph(o => o.GraphBaseUrl = _emulator.GraphBaseUrl)
            .UseMicrosoftAccount(o =>
            {
                o.ClientId = MicrosoftAccountTestHost.ClientId;
                o.ClientSecret = MicrosoftAccountTestHost.ClientSecret;
                o.PublicBaseUrl = _baseUrl;
                o.AuthorityHost = _emulator.AuthorityHost;
                o.HttpClientFactory = _emulator.MsalHttpClientFactory;
            });
        _app = builder.Build();
        _app.MapOutlookCalendarSync(o => o.GetUserId = context => context.Request.Headers[UserHeader].FirstOrDefault());
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task MapOutlookCalendarSync_ConnectThenCallback_ConnectsTheSignedInUser()
    {
        using var app = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _baseUrl };
        using var entra = new HttpClient(_emulator.CreateHttpsHandler());
        app.DefaultRequestHeaders.Add(UserHeader, "user-1");

        using HttpResponseMessage connect = await app.GetAsync(new Uri("microsoft_account/connect?login_hint=alice", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        using HttpResponseMessage signIn = await entra.GetAsync(connect.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Uri callback = signIn.Headers.Location!;
        Assert.Equal(_baseUrl + "microsoft_account/authentication", callback.GetLeftPart(UriPartial.Path));
        using HttpResponseMessage done = await app.GetAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/?microsoft_account=connected", done.Headers.Location!.ToString());
        MicrosoftAccountConnection? connection = await _app.Services.GetRequiredService<IMicrosoftAccountAuthorization>().GetConnectionAsync("user-1");
        Assert.Equal("alice@emulator.test", connection?.Username);
    }

    [Fact]
    public async Task MapOutlookCalendarSync_CallbackForAnotherSignedInUser_IsRejected()
    {
        using var app = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _baseUrl };
        using var entra = new HttpClient(_emulator.CreateHttpsHandler());
        using var attackerRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("microsoft_account/connect?login_hint=alice", UriKind.Relative));
        attackerRequest.Headers.Add(UserHeader, "attacker");
        using HttpResponseMessage connect = await app.SendAsync(attackerRequest);
        using HttpResponseMessage signIn = await entra.GetAsync(connect.Headers.Location);

        using var victimRequest = new HttpRequestMessage(HttpMethod.Get, signIn.Headers.Location);
        victimRequest.Headers.Add(UserHeader, "victim");
        using HttpResponseMessage done = await app.SendAsync(victimRequest);

        Assert.Equal("/?microsoft_account=invalid_state", done.Headers.Location!.ToString());
        Assert.Null(await _app.Services.GetRequiredService<IMicrosoftAccountAuthorization>().GetConnectionAsync("attacker"));
    }

    [Fact]
    public async Task MapOutlookCalendarSync_Connect_RedirectsToAnEscapedAbsoluteSignInUrl()
    {
        using var app = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _baseUrl };
        app.DefaultRequestHeaders.Add(UserHeader, "user-1");

        using HttpResponseMessage connect = await app.GetAsync(new Uri("microsoft_account/connect?login_hint=alice", UriKind.Relative));

        string location = Assert.Single(connect.Headers.NonValidated["Location"]);
        Assert.DoesNotContain(' ', location);
        Assert.True(Uri.IsWellFormedUriString(location, UriKind.Absolute), location);
        Assert.StartsWith(_emulator.AuthorityHost.AbsoluteUri, location, StringComparison.Ordinal);
        Assert.Contains("%20", location, StringComparison.Ordinal);
        Assert.Contains("Calendars.ReadWrite", QueryHelpers.ParseQuery(new Uri(location).Query)["scope"].ToString().Split(' '));
    }

    [Fact]
    public async Task MapOutlookCalendarSync_NobodySignedIn_Answers401()
    {
        using var app = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _baseUrl };

        using HttpResponseMessage connect = await app.GetAsync(new Uri("microsoft_account/connect", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, connect.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
