using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>The admin-consent endpoints in a real Kestrel host on loopback, with the emulator as Microsoft Entra.</summary>
public sealed class MapAdminConsentTests : IAsyncLifetime
{
    private GraphEmulator _emulator = null!;
    private WebApplication _app = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 24, 8, 0));
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = clock, RequireIssuedAccessTokens = true });
        _emulator.RegisterApplication(AppOnlyTestHost.ClientId, AppOnlyTestHost.ClientSecret);
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            _baseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
            listener.Stop();
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_baseUrl.ToString());
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore(clock))
            .UseSyncStateStore(new InMemorySyncStateStore(clock))
            .UseMicrosoftGraph(o => o.GraphBaseUrl = _emulator.GraphBaseUrl)
            .UseAppOnly(o =>
            {
                o.ClientId = AppOnlyTestHost.ClientId;
                o.ClientSecret = AppOnlyTestHost.ClientSecret;
                o.AuthorityHost = _emulator.AuthorityHost;
                o.HttpClientFactory = _emulator.MsalHttpClientFactory;
                o.AdminConsentRedirectUri = new Uri(_baseUrl, "microsoft_account/admin_consent");
            })
            .UseMailboxDirectory((userId, _) => ValueTask.FromResult<AppOnlyMailbox?>(new AppOnlyMailbox(AppOnlyTestHost.Tenant, userId)));
        _app = builder.Build();
        _app.MapOutlookCalendarSyncAdminConsent(o => o.ReturnPath = "/admin");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task MapOutlookCalendarSyncAdminConsent_StartThenCallback_RecordsTheTenantConsented()
    {
        using var app = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _baseUrl };
        using var entra = new HttpClient(_emulator.CreateHttpsHandler());

        using HttpResponseMessage start = await app.GetAsync(new Uri($"microsoft_account/admin_consent/start?tenant={AppOnlyTestHost.Tenant}", UriKind.Relative));
        using HttpResponseMessage consent = await entra.GetAsync(start.Headers.Location);
        Uri callback = consent.Headers.Location!;
        using HttpResponseMessage done = await app.GetAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal(_baseUrl + "microsoft_account/admin_consent", callback.GetLeftPart(UriPartial.Path));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"/admin?admin_consent=consented&tenant={AppOnlyTestHost.Tenant}", done.Headers.Location!.ToString());
        Assert.Equal(TenantConsentStatus.Consented, _app.Services.GetRequiredService<IAppOnlyAuthorization>().GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task MapOutlookCalendarSyncAdminConsent_CallbackWithoutState_InvalidState()
    {
        using var app = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _baseUrl };

        using HttpResponseMessage done = await app.GetAsync(new Uri($"microsoft_account/admin_consent?tenant={AppOnlyTestHost.Tenant}&admin_consent=True", UriKind.Relative));

        Assert.Equal("/admin?admin_consent=invalid_state", done.Headers.Location!.ToString());
        Assert.Equal(0, _emulator.CountRequests("POST /{tenant}/oauth2/v2.0/token"));
    }
}
