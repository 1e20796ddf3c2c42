using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>
/// <c>connect</c> end to end against the Graph emulator's HTTPS identity endpoints (never Microsoft): the test plays the
/// browser, and <c>sync</c> then runs on the tokens stored in the SQLite database.
/// </summary>
public sealed class ConnectCommandTests : IAsyncLifetime, IDisposable
{
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private const string ClientSecret = "cli-emulator-client-secret";
    private readonly TemporaryFolder _folder = new();
    private GraphEmulator _emulator = null!;

    public async Task InitializeAsync()
        => _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { RequireIssuedAccessTokens = true });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_ConnectThenSync_SignsInAndSyncsWithStoredTokens()
    {
        int port = FreePort();
        Task? browser = null;
        CliRun connect = Cli(port, url => (browser = Task.Run(() => FollowSignInAsync(url, "alice"))) is not null);

        int connected = await connect.RunAsync("connect", "--timeout", "60");
        await browser!;

        Assert.True(connected == ExitCodes.Ok, connect.Output + connect.Error);
        Assert.Contains("alice", connect.Output, StringComparison.Ordinal);
        Assert.Contains("tenant:", connect.Output, StringComparison.Ordinal);
        Assert.Contains("Calendars.ReadWrite", connect.Output, StringComparison.Ordinal);
        Assert.Contains(_emulator.AuthorityHost.Host, connect.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, connect.Output + connect.Error, StringComparison.Ordinal);
        Assert.True(Directory.Exists(_folder.File("keys")));

        string day = (SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(2)).InUtc().Date.ToString("yyyy-MM-dd", null);
        _emulator.AddEvent("alice", $$$"""{"subject":"Dentist","start":{"dateTime":"{{{day}}}T08:00:00","timeZone":"UTC"},"end":{"dateTime":"{{{day}}}T09:00:00","timeZone":"UTC"}}""");
        CliRun sync = Cli(port, _ => throw new InvalidOperationException("sync must not open a browser"));
        int synced = await sync.RunAsync("sync");

        Assert.True(synced == ExitCodes.Ok, sync.Output + sync.Error);
        var local = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = _folder.File("calendar.db") });
        Assert.Equal("Dentist", Assert.Single(local.GetAll("ada")).Subject);

        CliRun status = Cli(port, _ => false);
        Assert.Equal(ExitCodes.Ok, await status.RunAsync("status"));
        Assert.Contains("alice", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, sync.Output + sync.Error + status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConnectConsentDenied_SignInFailedExitCode()
    {
        _emulator.DenyConsent("alice");
        Task? browser = null;
        CliRun connect = Cli(FreePort(), url => (browser = Task.Run(() => FollowSignInAsync(url, "alice"))) is not null);

        int exitCode = await connect.RunAsync("connect", "--timeout", "60");
        await browser!;

        Assert.Equal(ExitCodes.SignInFailed, exitCode);
        Assert.Contains("access_denied", connect.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConnectBrowserNeverComesBack_TimesOutWithSignInFailed()
    {
        CliRun connect = Cli(FreePort(), _ => false);

        int exitCode = await connect.RunAsync("connect", "--timeout", "1");

        Assert.Equal(ExitCodes.SignInFailed, exitCode);
        Assert.Contains("did not come back within 1 s", connect.Error, StringComparison.Ordinal);
    }

    private CliRun Cli(int port, Func<Uri, bool> openBrowser)
    {
        var cli = new CliRun(new Dictionary<string, string?>
        {
            [AccountSettings.ClientIdVariable] = ClientId,
            [AccountSettings.ClientSecretVariable] = ClientSecret,
            [AccountSettings.DatabaseVariable] = _folder.File("calendar.db"),
            [AccountSettings.UserVariable] = "ada",
            [AccountSettings.RedirectPortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [AccountSettings.GraphUrlVariable] = _emulator.GraphBaseUrl.ToString(),
            [AccountSettings.AuthorityHostVariable] = _emulator.AuthorityHost.ToString(),
        });
        cli.Context = cli.Context with { OpenBrowser = openBrowser, MsalHttpClientFactory = _emulator.MsalHttpClientFactory };
        return cli;
    }

    /// <summary>The user's browser: signs in as the mailbox on the emulator, then follows the redirect to the CLI's listener.</summary>
    private async Task FollowSignInAsync(Uri signInUrl, string mailbox)
    {
        using var identity = new HttpClient(_emulator.CreateHttpsHandler());
        using HttpResponseMessage signIn = await identity.GetAsync(new Uri(QueryHelpers.AddQueryString(signInUrl.ToString(), "login_hint", mailbox)));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Uri callback = signIn.Headers.Location!;
        Assert.Equal("localhost", callback.Host);
        using var loopback = new HttpClient();
        using HttpResponseMessage back = await loopback.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
