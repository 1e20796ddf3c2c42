using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Authentication;

/// <summary>
/// <see cref="IPublicClientSignIn"/> through the real MSAL public client against the emulator: device code and system-browser
/// sign-ins without the app's secret, then syncs whose tokens are refreshed silently, still without the secret.
/// </summary>
public sealed class PublicClientSignInTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 30, 8, 0);

    [Fact]
    public async Task SignInWithDeviceCodeAsync_PendingThenApproved_ConnectsSyncsAndRefreshesSilently()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, accessTokenLifetime: TimeSpan.FromMinutes(4), publicClient: PublicClientSetup.PublicOnly);
        host.Emulator.RegisterPublicClient(MicrosoftAccountTestHost.ClientId);
        DeviceCodePrompt? shown = null;

        Task<SignInResult> signIn = host.PublicClientSignIn.SignInWithDeviceCodeAsync("user-1", (prompt, _) =>
        {
            shown = prompt;
            return Task.CompletedTask;
        });
        string userCode = await host.Emulator.WaitForDeviceCodeAsync();
        await WaitForTokenPollAsync(host.Emulator);
        host.Emulator.ApproveDeviceCode(userCode, "alice");
        SignInResult result = await signIn;

        Assert.Equal(SignInStatus.Connected, result.Status);
        Assert.True(result.Connection!.PublicClient);
        Assert.Equal("alice@emulator.test", result.Connection.Username);
        Assert.Equal(userCode, shown!.UserCode);
        Assert.Contains(userCode, shown.Message, StringComparison.Ordinal);
        Assert.Equal(new Uri(host.Emulator.AuthorityHost, "devicelogin"), shown.VerificationUri);
        Assert.True((await host.Authorization.GetConnectionAsync("user-1"))!.PublicClient);

        SeedRemote(host, "Dentist");
        Assert.Equal(SyncRunStatus.Synced, (await host.Engine.SyncAsync("user-1")).Status);
        Assert.Equal("Dentist", Assert.Single(host.Local.GetAll("user-1")).Subject);

        // The access token has expired: the next run refreshes it through the public client, with no secret.
        host.Clock.Advance(Duration.FromMinutes(5));
        host.Emulator.ResetRequestLog();
        Assert.NotEqual(SyncRunStatus.NeedsReauthorization, (await host.Engine.SyncAsync("user-1")).Status);
        Assert.Contains(host.Emulator.RequestLog, e => e.Route == "POST /{tenant}/oauth2/v2.0/token" && e.StatusCode == 200);
    }

    [Fact]
    public async Task SyncAsync_ConnectedAsPublicClientWhileASecretIsSet_RefreshesWithoutTheSecret()
    {
        // The emulator refuses a refresh token issued to a public client when the secret comes with it (AADSTS700025).
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, accessTokenLifetime: TimeSpan.FromMinutes(4), publicClient: PublicClientSetup.PublicAndWeb);
        host.Emulator.RegisterPublicClient(MicrosoftAccountTestHost.ClientId);
        Assert.Equal(SignInStatus.Connected, (await ConnectWithDeviceCodeAsync(host, "user-1", "alice")).Status);
        Assert.Equal(SignInStatus.Connected, (await host.ConnectAsync("user-2", "bob")).Status);
        host.Clock.Advance(Duration.FromMinutes(5));
        host.Emulator.ResetRequestLog();

        SyncResult publicUser = await host.Engine.SyncAsync("user-1");
        SyncResult webUser = await host.Engine.SyncAsync("user-2");

        Assert.NotEqual(SyncRunStatus.NeedsReauthorization, publicUser.Status);
        Assert.NotEqual(SyncRunStatus.NeedsReauthorization, webUser.Status);
        Assert.Equal(2, host.Emulator.RequestLog.Count(e => e.Route == "POST /{tenant}/oauth2/v2.0/token" && e.StatusCode == 200));
        Assert.DoesNotContain(host.Emulator.RequestLog, e => e.Route == "POST /{tenant}/oauth2/v2.0/token" && e.StatusCode != 200);
        Assert.False((await host.Authorization.GetConnectionAsync("user-2"))!.PublicClient);
    }

    [Fact]
    public async Task SignInWithBrowserAsync_LoopbackAndPkce_Connects()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, publicClient: PublicClientSetup.PublicOnly);
        host.Emulator.RegisterPublicClient(MicrosoftAccountTestHost.ClientId, allowPublicClientFlows: false);
        using var browser = new EmulatorBrowser(host.Emulator);
        Task<string>? page = null;
        Uri? opened = null;

        SignInResult result = await host.PublicClientSignIn.SignInWithBrowserAsync("user-1", new BrowserSignInOptions
        {
            OpenBrowser = (url, cancellationToken) =>
            {
                opened = url;
                page = browser.CompleteSignInAsync(url, "alice", cancellationToken);
                return Task.CompletedTask;
            },
        });

        Assert.Equal(SignInStatus.Connected, result.Status);
        Assert.True(result.Connection!.PublicClient);
        Assert.StartsWith("http://localhost:", Uri.UnescapeDataString(opened!.Query.Split("redirect_uri=")[1]), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", opened.Query, StringComparison.Ordinal);
        Assert.Contains("Authentication complete", await page!, StringComparison.Ordinal);
        Assert.Equal(SyncStatus.Active, (await host.StateStore.GetHeaderAsync("user-1", default))!.Status);
    }

    [Fact]
    public async Task SignInWithDeviceCodeAsync_Declined_DeniedWithClearMessage()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, publicClient: PublicClientSetup.PublicOnly);
        host.Emulator.RegisterPublicClient(MicrosoftAccountTestHost.ClientId);

        Task<SignInResult> signIn = host.PublicClientSignIn.SignInWithDeviceCodeAsync("user-1", (_, _) => Task.CompletedTask);
        host.Emulator.DeclineDeviceCode(await host.Emulator.WaitForDeviceCodeAsync());
        SignInResult result = await signIn;

        Assert.Equal(SignInStatus.Denied, result.Status);
        Assert.Equal("authorization_declined", result.Error);
        Assert.Contains("declined", result.Message, StringComparison.Ordinal);
        Assert.Null(await host.TokenStore.GetAsync("user-1", default));
    }

    [Fact]
    public async Task SignInWithDeviceCodeAsync_Expired_FailedWithClearMessage()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, publicClient: PublicClientSetup.PublicOnly);
        host.Emulator.RegisterPublicClient(MicrosoftAccountTestHost.ClientId);

        Task<SignInResult> signIn = host.PublicClientSignIn.SignInWithDeviceCodeAsync("user-1", (_, _) => Task.CompletedTask);
        host.Emulator.ExpireDeviceCode(await host.Emulator.WaitForDeviceCodeAsync());
        SignInResult result = await signIn;

        Assert.Equal(SignInStatus.Failed, result.Status);
        Assert.Equal("expired_token", result.Error);
        Assert.Contains("expired", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignInWithDeviceCodeAsync_AppNotAllowingPublicClientFlows_SaysWhatToChangeInThePortal(bool desktopPlatformOnly)
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, publicClient: PublicClientSetup.PublicOnly);
        if (desktopPlatformOnly)
        {
            host.Emulator.RegisterPublicClient(MicrosoftAccountTestHost.ClientId, allowPublicClientFlows: false);
        }

        SignInResult result = await host.PublicClientSignIn.SignInWithDeviceCodeAsync("user-1", (_, _) => Task.CompletedTask);

        Assert.Equal(SignInStatus.Failed, result.Status);
        Assert.Equal("invalid_client", result.Error);
        Assert.Contains("AADSTS7000218", result.Message, StringComparison.Ordinal);
        Assert.Contains("'Allow public client flows' to Yes", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_PublicClientWithoutSecret_ThrowsSayingWhatIsMissing()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, publicClient: PublicClientSetup.PublicOnly);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Authorization.BuildSignInUrlAsync("user-1"));

        Assert.Contains("IPublicClientSignIn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetConnectionAsync_TokensStoredBeforePublicClients_ReadAsConfidential()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now);

        // Exactly what ProtectedTokenStore wrote before it knew public clients: no "client" property.
        byte[] plain = Encoding.UTF8.GetBytes("""{"accountId":"a.b","username":"alice@emulator.test","tenantId":"t","scopes":["Calendars.ReadWrite"],"connectedAt":"2026-11-01T08:00:00Z","msal":"e30="}""");
        IDataProtector protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("OutlookCalendarSync.TokenCache.v1");
        await host.TokenStore.SetAsync("user-1", protector.Protect(plain), default);

        MicrosoftAccountConnection connection = (await host.Authorization.GetConnectionAsync("user-1"))!;

        Assert.Equal("alice@emulator.test", connection.Username);
        Assert.False(connection.PublicClient);
    }

    [Fact]
    public void UseMicrosoftAccount_PublicClient_NeedsNeitherSecretNorWebRedirectUri()
    {
        static void Resolve(bool publicClient)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
            services.AddOutlookCalendarSync()
                .UseTokenStore(new OutlookCalendarSync.Testing.InMemoryTokenStore())
                .UseSyncStateStore(new OutlookCalendarSync.Testing.InMemorySyncStateStore(NodaTime.Testing.FakeClock.FromUtc(2026, 11, 30)))
                .UseMicrosoftAccount(o =>
                {
                    o.ClientId = MicrosoftAccountTestHost.ClientId;
                    o.PublicClient = publicClient;
                });
            using ServiceProvider provider = services.BuildServiceProvider();
            _ = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MicrosoftAccountOptions>>().Value;
        }

        Resolve(publicClient: true);
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Resolve(publicClient: false));

        Assert.Contains("Certificates & secrets", error.Message, StringComparison.Ordinal);
        Assert.Contains("Redirect URIs", error.Message, StringComparison.Ordinal);
    }

    private static async Task<SignInResult> ConnectWithDeviceCodeAsync(MicrosoftAccountTestHost host, string userId, string mailbox)
    {
        Task<SignInResult> signIn = host.PublicClientSignIn.SignInWithDeviceCodeAsync(userId, (_, _) => Task.CompletedTask);
        host.Emulator.ApproveDeviceCode(await host.Emulator.WaitForDeviceCodeAsync(), mailbox);
        return await signIn;
    }

    /// <summary>Waits until MSAL has polled at least once and been told the sign-in is pending.</summary>
    private static async Task WaitForTokenPollAsync(GraphEmulator emulator)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!emulator.RequestLog.Any(e => e.Route == "POST /{tenant}/oauth2/v2.0/token" && e.StatusCode == 400))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static void SeedRemote(MicrosoftAccountTestHost host, string subject)
    {
        string day = (host.Clock.GetCurrentInstant() + Duration.FromDays(1)).InUtc().Date.ToString("yyyy-MM-dd", null);
        host.Emulator.AddEvent("alice", $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"{{{day}}}T08:00:00","timeZone":"UTC"},"end":{"dateTime":"{{{day}}}T09:00:00","timeZone":"UTC"}}""");
    }
}
