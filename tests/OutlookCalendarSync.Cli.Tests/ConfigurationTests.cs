using OutlookCalendarSync.Cli.Configuration;

namespace OutlookCalendarSync.Cli.Tests;

public sealed class ConfigurationTests
{
    private const string ClientId = "0f3c7a52-9a59-4f3a-9a53-1b7f0b9d2c11";
    private const string Secret = "s3cr3t~value-that-must-never-show";

    [Fact]
    public async Task RunAsync_SyncWithoutConfiguration_ConfigurationExitCodeSayingWhatToSet()
    {
        using var folder = new TemporaryFolder();
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("c.db") });

        int exitCode = await cli.RunAsync("sync");

        Assert.Equal(ExitCodes.ConfigurationMissing, exitCode);
        Assert.Contains(AccountSettings.ClientIdVariable, cli.Error, StringComparison.Ordinal);
        Assert.Contains(AccountSettings.ClientSecretVariable, cli.Error, StringComparison.Ordinal);
        Assert.Contains("getting-started.md", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MessagesAboutSetup_LinkToTheGettingStartedPageOnline()
    {
        using var folder = new TemporaryFolder();
        var environment = new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("c.db") };
        var sync = new CliRun(environment);
        var status = new CliRun(environment);

        await sync.RunAsync("sync");
        await status.RunAsync("status");

        const string url = "https://github.com/outlookcalendarsync/OutlookCalendarSync/blob/main/docs/getting-started.md";
        Assert.Contains(url, sync.Error, StringComparison.Ordinal);
        Assert.Contains(url + Environment.NewLine, status.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!blob/main/)docs/getting-started\.md", sync.Error + status.Output);
    }

    [Fact]
    public async Task RunAsync_StatusWithInvalidEnvironmentValues_WarnsAboutEach()
    {
        using var folder = new TemporaryFolder();
        var cli = new CliRun(new Dictionary<string, string?>
        {
            [AccountSettings.DatabaseVariable] = folder.File("status.db"),
            [AccountSettings.ClientIdVariable] = "my-app",
            [AccountSettings.RedirectPortVariable] = "abc",
            [AccountSettings.GraphUrlVariable] = "graph.local",
            [AccountSettings.AuthorityHostVariable] = "http://login.example",
            [AccountSettings.TenantVariable] = "not a tenant!",
        });
        cli.Context.Console.Profile.Width = 400;

        int exitCode = await cli.RunAsync("status");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("warning: the client id 'my-app' (environment variable OCS_CLIENT_ID) is not an Application (client) ID", cli.Output, StringComparison.Ordinal);
        Assert.Contains("warning: the redirect port 'abc' (environment variable OCS_REDIRECT_PORT) is not a number from 1 to 65535", cli.Output, StringComparison.Ordinal);
        Assert.Contains("warning: the Graph URL 'graph.local' (environment variable OCS_GRAPH_URL) is not an absolute https URL", cli.Output, StringComparison.Ordinal);
        Assert.Contains("warning: the authority host 'http://login.example' (environment variable OCS_AUTHORITY_HOST) is not an absolute HTTPS URL", cli.Output, StringComparison.Ordinal);
        Assert.Contains("warning: the tenant 'not a tenant!' (environment variable OCS_TENANT_ID) is not a tenant id", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StatusWithValidValues_NoWarning()
    {
        using var folder = new TemporaryFolder();
        var cli = new CliRun(new Dictionary<string, string?>
        {
            [AccountSettings.DatabaseVariable] = folder.File("status.db"),
            [AccountSettings.ClientIdVariable] = ClientId,
            [AccountSettings.TenantVariable] = "contoso.onmicrosoft.com",
        });

        await cli.RunAsync("status");

        Assert.DoesNotContain("warning", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DisconnectNeverConnected_SaysThereWasNothingToForget()
    {
        using var folder = new TemporaryFolder();
        var environment = new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("d.db") };
        var first = new CliRun(environment);
        var second = new CliRun(environment);

        int firstExit = await first.RunAsync("disconnect");
        int secondExit = await second.RunAsync("disconnect");

        Assert.Equal(ExitCodes.Ok, firstExit);
        Assert.Contains("'me' had no Microsoft sign-in to forget", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Disconnected", first.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, secondExit);
        Assert.Contains("'me' is already disconnected", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SyncWithClientIdNotAGuid_ConfigurationExitCode()
    {
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.ClientSecretVariable] = Secret });

        int exitCode = await cli.RunAsync("sync", "--client-id", "my-app");

        Assert.Equal(ExitCodes.ConfigurationMissing, exitCode);
        Assert.Contains("Application (client) ID", cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, cli.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("preview")]
    public async Task RunAsync_RealAccountCommandConfiguredButNotConnected_NeedsReauthorization(string command)
    {
        using var folder = new TemporaryFolder();
        var cli = new CliRun(
            OfflineEnvironment(folder.File("not-connected.db")),
            new Dictionary<string, string?> { ["OutlookCalendarSync:ClientSecret"] = Secret });

        int exitCode = await cli.RunAsync(command);

        Assert.True(exitCode == ExitCodes.NeedsReauthorization, cli.Output + cli.Error);
        Assert.DoesNotContain(Secret, cli.Error + cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Status_ShowsWhereTheSecretComesFromButNeverItsValue()
    {
        using var folder = new TemporaryFolder();
        var cli = new CliRun(new Dictionary<string, string?>
        {
            [AccountSettings.ClientIdVariable] = ClientId,
            [AccountSettings.ClientSecretVariable] = Secret,
            [AccountSettings.DatabaseVariable] = folder.File("status.db"),
        });

        int exitCode = await cli.RunAsync("status", "--user", "grace");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("set (environment variable OCS_CLIENT_SECRET)", cli.Output, StringComparison.Ordinal);
        Assert.Contains(ClientId, cli.Output, StringComparison.Ordinal);
        Assert.Contains("never synced", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, cli.Output + cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OptionBeatsEnvironmentBeatsUserSecrets()
    {
        var cli = new CliRun(
            new Dictionary<string, string?> { [AccountSettings.TenantVariable] = "from-env", [AccountSettings.UserVariable] = "env-user" },
            new Dictionary<string, string?> { ["OutlookCalendarSync:TenantId"] = "from-secrets", ["OutlookCalendarSync:User"] = "secret-user", ["OutlookCalendarSync:ClientId"] = ClientId });

        AccountSettings settings = AccountSettings.Resolve(new AccountOptionValues(null, null, null, null, "option-user", null), cli.Context);

        Assert.Equal("option-user", settings.UserId);
        Assert.Equal("from-env", settings.Tenant.Value);
        Assert.Equal(ClientId, settings.ClientId.Value);
        Assert.Equal("user secret OutlookCalendarSync:ClientId", settings.ClientId.Source);
        Assert.False(settings.ClientSecret.IsSet);
    }

    [Fact]
    public async Task RunAsync_ResetThatKeepsOutlook_WorksOffline()
    {
        using var folder = new TemporaryFolder();
        var cli = new CliRun(new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("reset.db") });
        cli.Context.Console.Profile.Width = 400;

        int exitCode = await cli.RunAsync("reset", "--delete", "local", "--resync", "all");

        Assert.True(exitCode == ExitCodes.Ok, cli.Output + cli.Error);
        Assert.Contains("0 events deleted in the local calendar, the Outlook ones kept", cli.Output, StringComparison.Ordinal);
        Assert.Contains("The next sync brings over every event again.", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DeleteInHost", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResetThatDeletesInOutlookNotConnected_NeedsReauthorization()
    {
        using var folder = new TemporaryFolder();
        Dictionary<string, string?> environment = OfflineEnvironment(folder.File("reset-outlook.db"));
        environment[AccountSettings.ClientSecretVariable] = Secret;
        var cli = new CliRun(environment);

        int exitCode = await cli.RunAsync("reset", "--delete", "outlook");

        Assert.True(exitCode == ExitCodes.NeedsReauthorization, cli.Output + cli.Error);
    }

    [Fact]
    public async Task RunAsync_Disconnect_StopsSync()
    {
        using var folder = new TemporaryFolder();
        var environment = new Dictionary<string, string?> { [AccountSettings.DatabaseVariable] = folder.File("d.db") };
        var disconnect = new CliRun(environment);
        var status = new CliRun(environment);

        int exitCode = await disconnect.RunAsync("disconnect");
        await status.RunAsync("status");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("Stopped", status.Output, StringComparison.Ordinal);
    }

    /// <summary>A configured app whose Graph and sign-in endpoints are a closed loopback port: nothing may call Microsoft.</summary>
    private static Dictionary<string, string?> OfflineEnvironment(string database) => new()
    {
        [AccountSettings.ClientIdVariable] = ClientId,
        [AccountSettings.DatabaseVariable] = database,
        [AccountSettings.GraphUrlVariable] = "http://127.0.0.1:9/v1.0/",
        [AccountSettings.AuthorityHostVariable] = "https://127.0.0.1:9/",
    };
}
