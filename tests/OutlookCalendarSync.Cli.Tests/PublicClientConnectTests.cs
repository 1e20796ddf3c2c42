using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>
/// <c>connect</c> without the client secret, as a public client, through the real MSAL against the emulator's identity endpoints:
/// <c>--device-code</c> (the test approves, declines or expires the code on the emulator) and the browser with a loopback
/// redirect (the test plays the browser); then <c>sync</c> refreshes the tokens silently, still without a secret.
/// </summary>
public sealed class PublicClientConnectTests : IAsyncLifetime, IDisposable
{
    private const string ClientId = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
    private const string TokenRoute = "POST /{tenant}/oauth2/v2.0/token";
    private readonly TemporaryFolder _folder = new();
    private readonly FakeClock _clock = new(SystemClock.Instance.GetCurrentInstant());
    private GraphEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
    {
        Clock = _clock,
        RequireIssuedAccessTokens = true,
        AccessTokenLifetime = TimeSpan.FromMinutes(4),
        DeviceCodePollingInterval = TimeSpan.FromSeconds(1),
    });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_ConnectDeviceCodePendingThenApproved_ConnectsAndSyncRefreshesSilently()
    {
        _emulator.RegisterPublicClient(ClientId);
        CliRun connect = Cli(_ => throw new InvalidOperationException("the device code flow must not open a browser"));

        Task<int> running = connect.RunAsync("connect", "--device-code", "--timeout", "60");
        string userCode = await _emulator.WaitForDeviceCodeAsync();
        await WaitForPendingPollAsync();
        _emulator.ApproveDeviceCode(userCode, "alice");
        int connected = await running;

        Assert.True(connected == ExitCodes.Ok, connect.Output + connect.Error);
        Assert.Contains($"To sign in, use a web browser to open the page {new Uri(_emulator.AuthorityHost, "devicelogin")} and enter the code {userCode} to authenticate.", connect.Output, StringComparison.Ordinal);
        Assert.Contains("Connected 'ada' to the Microsoft account alice@emulator.test (as a public client: no client secret is used).", connect.Output, StringComparison.Ordinal);

        string day = (_clock.GetCurrentInstant() + Duration.FromDays(2)).InUtc().Date.ToString("yyyy-MM-dd", null);
        _emulator.AddEvent("alice", $$$"""{"subject":"Dentist","start":{"dateTime":"{{{day}}}T08:00:00","timeZone":"UTC"},"end":{"dateTime":"{{{day}}}T09:00:00","timeZone":"UTC"}}""");
        _clock.Advance(Duration.FromMinutes(5));
        _emulator.ResetRequestLog();
        CliRun sync = Cli(_ => throw new InvalidOperationException("sync must not open a browser"));
        int synced = await sync.RunAsync("sync");

        Assert.True(synced == ExitCodes.Ok, sync.Output + sync.Error);
        var local = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = _folder.File("calendar.db") });
        Assert.Equal("Dentist", Assert.Single(local.GetAll("ada")).Subject);
        Assert.Contains(_emulator.RequestLog, e => e.Route == TokenRoute && e.StatusCode == 200);
        Assert.DoesNotContain(_emulator.RequestLog, e => e.Route == TokenRoute && e.StatusCode != 200);

        CliRun status = Cli(_ => false);
        Assert.Equal(ExitCodes.Ok, await status.RunAsync("status"));
        Assert.Contains("as a public client, without the client secret", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConnectWithoutSecret_BrowserLoopbackWithPkceConnects()
    {
        _emulator.RegisterPublicClient(ClientId, allowPublicClientFlows: false);
        using var browser = new EmulatorBrowser(_emulator);
        Task<string>? page = null;
        CliRun connect = Cli(url => (page = browser.CompleteSignInAsync(url, "alice")) is not null);

        int connected = await connect.RunAsync("connect", "--timeout", "60");

        Assert.True(connected == ExitCodes.Ok, connect.Output + connect.Error);
        Assert.Contains("code_challenge_method=S256", connect.Output, StringComparison.Ordinal);
        Assert.Contains("Waiting up to 60 s for the sign-in to come back to http://localhost:", connect.Output, StringComparison.Ordinal);
        Assert.Contains("alice@emulator.test (as a public client", connect.Output, StringComparison.Ordinal);
        Assert.Contains("Authentication complete", await page!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConnectDeviceCodeDeclined_SignInFailedWithMessageNoStackTrace()
    {
        _emulator.RegisterPublicClient(ClientId);
        CliRun connect = Cli(_ => false);

        Task<int> running = connect.RunAsync("connect", "--device-code");
        _emulator.DeclineDeviceCode(await _emulator.WaitForDeviceCodeAsync());
        int exitCode = await running;

        Assert.Equal(ExitCodes.SignInFailed, exitCode);
        Assert.StartsWith("error: The sign-in did not connect (Denied: authorization_declined). The sign-in was declined on the Microsoft page", connect.Error, StringComparison.Ordinal);
        AssertNoStackTrace(connect);
    }

    [Fact]
    public async Task RunAsync_ConnectDeviceCodeExpired_SignInFailedWithMessageNoStackTrace()
    {
        _emulator.RegisterPublicClient(ClientId);
        CliRun connect = Cli(_ => false);

        Task<int> running = connect.RunAsync("connect", "--device-code");
        _emulator.ExpireDeviceCode(await _emulator.WaitForDeviceCodeAsync());
        int exitCode = await running;

        Assert.Equal(ExitCodes.SignInFailed, exitCode);
        Assert.Contains("(Failed: expired_token). The code was not entered in time", connect.Error, StringComparison.Ordinal);
        AssertNoStackTrace(connect);
    }

    [Fact]
    public async Task RunAsync_ConnectDeviceCodeNeverUsed_TimesOutWithSignInFailed()
    {
        _emulator.RegisterPublicClient(ClientId);
        CliRun connect = Cli(_ => false);

        int exitCode = await connect.RunAsync("connect", "--device-code", "--timeout", "1");

        Assert.Equal(ExitCodes.SignInFailed, exitCode);
        Assert.Contains("The code was not used to sign in within 1 s", connect.Error, StringComparison.Ordinal);
        AssertNoStackTrace(connect);
    }

    [Fact]
    public async Task RunAsync_ConnectDeviceCodeToAConfidentialApp_SaysToAllowPublicClientFlows()
    {
        // The emulator was not told the app is a public client: a Web app, which Entra answers with AADSTS7000218.
        CliRun connect = Cli(_ => false);

        int exitCode = await connect.RunAsync("connect", "--device-code");

        Assert.Equal(ExitCodes.SignInFailed, exitCode);
        Assert.Contains("AADSTS7000218", connect.Error, StringComparison.Ordinal);
        Assert.Contains("'Allow public client flows' to Yes", connect.Error, StringComparison.Ordinal);
        Assert.Contains("Mobile and desktop applications", connect.Error, StringComparison.Ordinal);
        AssertNoStackTrace(connect);
    }

    [Fact]
    public async Task RunAsync_CtrlCWhileWaitingForTheDeviceCode_ExitsCancelledWithOneLine()
    {
        _emulator.RegisterPublicClient(ClientId);
        using var ctrlC = new CancelKeyHandler();
        CliRun connect = Cli(_ => false);

        Task<int> running = CliApplication.RunAsync(["connect", "--device-code", "--timeout", "60"], connect.Context, ctrlC.Token);
        await _emulator.WaitForDeviceCodeAsync();
        await WaitForPendingPollAsync();
        ctrlC.Press();
        int exitCode = await running;

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Equal("Cancelled (Ctrl+C)." + Environment.NewLine, connect.Error);
    }

    [Fact]
    public async Task RunAsync_SyncAfterTheSecretOfAWebSignInIsRemoved_NeedsReauthorizationSayingWhy()
    {
        // Connected as a Web app, with the secret; then the secret is gone from the environment.
        Task? browser = null;
        CliRun connect = Cli(url => (browser = Task.Run(() => FollowWebSignInAsync(url, "alice"))) is not null, secret: "web-app-secret", port: FreePort());
        Assert.Equal(ExitCodes.Ok, await connect.RunAsync("connect", "--timeout", "60"));
        await browser!;
        Assert.DoesNotContain("public client", connect.Output, StringComparison.Ordinal);
        _clock.Advance(Duration.FromMinutes(5));

        CliRun sync = Cli(_ => false);
        int exitCode = await sync.RunAsync("sync");

        Assert.Equal(ExitCodes.NeedsReauthorization, exitCode);
        Assert.Contains("connected with the app's client secret, which is not configured now", sync.Output + sync.Error, StringComparison.Ordinal);
        AssertNoStackTrace(sync);
    }

    /// <summary>The user's browser for the Web sign-in: signs in on the emulator, then follows the redirect to the tool's listener.</summary>
    private async Task FollowWebSignInAsync(Uri signInUrl, string mailbox)
    {
        using var browser = new EmulatorBrowser(_emulator);
        string page = await browser.CompleteSignInAsync(signInUrl, mailbox);
        Assert.Contains("Signed in", page, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void AssertNoStackTrace(CliRun run)
    {
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
    }

    private async Task WaitForPendingPollAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_emulator.RequestLog.Any(e => e.Route == TokenRoute && e.StatusCode == 400))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private CliRun Cli(Func<Uri, bool> openBrowser, string? secret = null, int? port = null)
    {
        var cli = new CliRun(new Dictionary<string, string?>
        {
            [AccountSettings.ClientIdVariable] = ClientId,
            [AccountSettings.ClientSecretVariable] = secret,
            [AccountSettings.RedirectPortVariable] = port?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [AccountSettings.DatabaseVariable] = _folder.File("calendar.db"),
            [AccountSettings.UserVariable] = "ada",
            [AccountSettings.GraphUrlVariable] = _emulator.GraphBaseUrl.ToString(),
            [AccountSettings.AuthorityHostVariable] = _emulator.AuthorityHost.ToString(),
        });
        cli.Context = cli.Context with { OpenBrowser = openBrowser, MsalHttpClientFactory = _emulator.MsalHttpClientFactory };
        return cli;
    }
}
