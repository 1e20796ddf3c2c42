using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary><c>sync --mailbox</c>: a named mailbox synced with the app's own permission, against the emulator's Entra and Graph.</summary>
public sealed class AppOnlyCommandTests : IAsyncLifetime, IDisposable
{
    private const string ClientId = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
    private const string Secret = "cli-app-only-secret";
    private const string Tenant = "contoso.onmicrosoft.com";
    private readonly TemporaryFolder _folder = new();
    private GraphEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { RequireIssuedAccessTokens = true });
        _emulator.RegisterApplication(ClientId, Secret);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_SyncMailboxWithConsent_SyncsThroughUsersRoute()
    {
        _emulator.GrantAdminConsent(Tenant, ClientId);
        string day = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        _emulator.AddEvent("ada", $$$"""{"subject":"Board meeting","start":{"dateTime":"{{{day}}}T09:00:00","timeZone":"UTC"},"end":{"dateTime":"{{{day}}}T10:00:00","timeZone":"UTC"}}""");

        CliRun cli = Cli();
        int exitCode = await cli.RunAsync("sync", "--mailbox", "ada@emulator.test", "--tenant", Tenant);

        Assert.True(exitCode == ExitCodes.Ok, cli.Output + cli.Error);
        Assert.Contains("synced, 1 writes", cli.Output, StringComparison.Ordinal);
        Assert.Contains(_emulator.RequestLog, e => e.Path.StartsWith("/v1.0/users/ada@emulator.test/", StringComparison.Ordinal));
        Assert.DoesNotContain(_emulator.RequestLog, e => e.Path.StartsWith("/v1.0/me/", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, cli.Output + cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SyncMailboxWithoutConsent_ExitCodeFourAndWhatToDo()
    {
        CliRun cli = Cli();
        int exitCode = await cli.RunAsync("sync", "--mailbox", "ada@emulator.test", "--tenant", Tenant);

        Assert.True(exitCode == ExitCodes.NeedsReauthorization, cli.Output + cli.Error);
        Assert.Contains("needs a tenant admin's consent", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SyncMailboxOutsideAccessPolicy_ExitCodeFive()
    {
        _emulator.GrantAdminConsent(Tenant, ClientId);
        _emulator.SetApplicationAccessPolicy(Tenant, ClientId, ["someone-else"]);

        CliRun cli = Cli();
        int exitCode = await cli.RunAsync("sync", "--mailbox", "ada@emulator.test", "--tenant", Tenant);

        Assert.True(exitCode == ExitCodes.SyncBlocked, cli.Output + cli.Error);
        Assert.Contains("the app may not reach this mailbox", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SyncMailboxWithCommonTenant_ConfigurationMissing()
    {
        CliRun cli = Cli();
        int exitCode = await cli.RunAsync("sync", "--mailbox", "ada@emulator.test", "--tenant", "common");

        Assert.Equal(ExitCodes.ConfigurationMissing, exitCode);
        Assert.Contains("--tenant", cli.Error, StringComparison.Ordinal);
    }

    private CliRun Cli()
    {
        var cli = new CliRun(new Dictionary<string, string?>
        {
            [AccountSettings.DatabaseVariable] = _folder.File("calendar.db"),
            [AccountSettings.UserVariable] = "ada",
            [AccountSettings.ClientIdVariable] = ClientId,
            [AccountSettings.ClientSecretVariable] = Secret,
            [AccountSettings.GraphUrlVariable] = _emulator.GraphBaseUrl.ToString(),
            [AccountSettings.AuthorityHostVariable] = _emulator.AuthorityHost.ToString(),
        });
        cli.Context = cli.Context with { MsalHttpClientFactory = _emulator.MsalHttpClientFactory };
        return cli;
    }
}
