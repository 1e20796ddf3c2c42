using System.Text.RegularExpressions;
using OutlookCalendarSync.Cli.Configuration;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>
/// Every command fed bad paths, bad values and bad environment variables: each ends with a message and the exit code
/// docs/configuration.md documents for it, never a stack trace or a .NET type name.
/// </summary>
public sealed partial class BadInputTests : IDisposable
{
    private const string ClientId = "0f3c7a52-9a59-4f3a-9a53-1b7f0b9d2c11";
    private static readonly int[] DocumentedExitCodes = [0, 1, 2, 3, 4, 5, 7, 8, 130];
    private readonly TemporaryFolder _folder = new();

    public BadInputTests()
    {
        Directory.CreateDirectory(_folder.File("a-folder"));
        File.WriteAllText(_folder.File("a-file.txt"), "not a database, and not a folder");
        Directory.CreateDirectory(_folder.File("used-demo"));
        File.WriteAllText(_folder.File("used-demo/calendar.db"), string.Empty);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// The cases: the expected exit code, the environment (NAME=value, separated by '|'), and the arguments (separated by '|').
    /// {folder} is an existing folder, {file} an existing text file, {db} a database path that can be created.
    /// </summary>
    public static TheoryData<int, string, string> Cases => new()
    {
        // OCS_DATABASE naming a folder: a configuration error, for every command that opens the database.
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}", "status" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}", "disconnect" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}", "pause" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}", "resume" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}", "reset|--delete|local|--resync|all|--yes" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}", "export-ics|{db}.ics" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}|OCS_ACCESS_TOKEN=t|OCS_GRAPH_URL=http://127.0.0.1:9/v1.0/", "sync" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}|OCS_ACCESS_TOKEN=t|OCS_GRAPH_URL=http://127.0.0.1:9/v1.0/", "preview" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={folder}|OCS_CLIENT_ID=" + ClientId + "|OCS_CLIENT_SECRET=s", "connect|--timeout|1" },

        // A database that cannot be created (its folder is a file) or is not a database: a file error.
        { ExitCodes.FileError, "OCS_DATABASE={file}/calendar.db", "status" },
        { ExitCodes.FileError, "", "disconnect|--database|{file}/calendar.db" },
        { ExitCodes.FileError, "OCS_DATABASE={file}", "status" },
        { ExitCodes.FileError, "OCS_DATABASE={file}", "pause" },
        { ExitCodes.FileError, "OCS_DATABASE={file}", "export-ics|{db}.ics" },
        { ExitCodes.FileError, "OCS_DATABASE={file}|OCS_ACCESS_TOKEN=t|OCS_GRAPH_URL=http://127.0.0.1:9/v1.0/", "sync" },

        // demo --folder that cannot be used.
        { ExitCodes.FileError, "", "demo|--folder|{file}" },
        { ExitCodes.FileError, "", "demo|--folder|{file}/sub" },
        { ExitCodes.FileError, "", "demo|--folder|{used-demo}" },
        { ExitCodes.UsageError, "", "demo|--folder|" },

        // Files of import-ics and export-ics.
        { ExitCodes.FileError, "OCS_DATABASE={db}", "import-ics|{folder}/missing.ics" },
        { ExitCodes.FileError, "OCS_DATABASE={db}", "import-ics|{folder}" },
        { ExitCodes.FileError, "OCS_DATABASE={db}", "import-ics|{file}" },
        { ExitCodes.FileError, "OCS_DATABASE={db}", "export-ics|{folder}" },
        { ExitCodes.FileError, "OCS_DATABASE={db}", "export-ics|{file}/out.ics" },

        // Bad values on the command line: usage errors.
        { ExitCodes.UsageError, "", "connect|--port|abc" },
        { ExitCodes.UsageError, "", "connect|--port|70000" },
        { ExitCodes.UsageError, "", "sync|--port|-1" },
        { ExitCodes.UsageError, "", "connect|--timeout|soon" },
        { ExitCodes.UsageError, "", "connect|--timeout|0" },
        { ExitCodes.UsageError, "", "connect|--timeout|99999999999" },
        { ExitCodes.UsageError, "", "reset|--delete|everything" },
        { ExitCodes.UsageError, "", "reset|--resync|some" },
        { ExitCodes.UsageError, "", "status|--no-such-option" },
        { ExitCodes.UsageError, "", "import-ics" },
        { ExitCodes.UsageError, "", "import-ics|" },
        { ExitCodes.UsageError, "", "export-ics| " },

        // Bad environment variables: configuration errors.
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_CLIENT_ID=" + ClientId + "|OCS_CLIENT_SECRET=s|OCS_REDIRECT_PORT=abc", "connect" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_CLIENT_ID=" + ClientId + "|OCS_CLIENT_SECRET=s|OCS_REDIRECT_PORT=0", "connect" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_CLIENT_ID=my-app|OCS_CLIENT_SECRET=s", "connect" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_CLIENT_ID=" + ClientId + "|OCS_CLIENT_SECRET=s|OCS_TENANT_ID=not a tenant!", "connect" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_CLIENT_ID=" + ClientId + "|OCS_CLIENT_SECRET=s|OCS_AUTHORITY_HOST=http://login.example", "connect" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_ACCESS_TOKEN=t|OCS_GRAPH_URL=graph.local", "sync" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_ACCESS_TOKEN=t|OCS_GRAPH_URL=http://graph.example/v1.0/", "preview" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}|OCS_ACCESS_TOKEN=t|OCS_GRAPH_URL=http://127.0.0.1:9/v1.0/", "reset|--delete|outlook|--graph-url|ftp://x" },
        { ExitCodes.ConfigurationMissing, "OCS_DATABASE={db}", "sync" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_BadInput_MessageAndDocumentedExitCodeWithoutStackTrace(int expected, string environment, string args)
    {
        Dictionary<string, string?> variables = Split(environment)
            .Select(v => v.Split('=', 2))
            .ToDictionary(v => v[0], v => (string?)Expand(v[1]));
        var cli = new CliRun(variables);

        int exitCode = await cli.RunAsync(Split(args).Select(Expand).ToArray());

        string all = cli.Output + cli.Error;
        Assert.True(exitCode == expected, $"exit code {exitCode}, expected {expected}{Environment.NewLine}{all}");
        Assert.Contains(exitCode, DocumentedExitCodes);
        Assert.StartsWith("error: ", cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotMatch(DotNetTypeName(), all);
    }

    [Fact]
    public async Task RunAsync_FailureNoCommandExpected_MessageAndExitCodeWithoutStackTrace()
    {
        var cli = new CliRun(new Dictionary<string, string?>
        {
            [AccountSettings.DatabaseVariable] = _folder.File("unexpected.db"),
            [AccountSettings.ClientIdVariable] = ClientId,
            [AccountSettings.ClientSecretVariable] = "s",
            [AccountSettings.AuthorityHostVariable] = "https://127.0.0.1:9/",
            [AccountSettings.RedirectPortVariable] = "53699",
        });
        cli.Context = cli.Context with { OpenBrowser = _ => throw new FormatException("The browser answered in riddles.") };

        int exitCode = await cli.RunAsync("connect", "--timeout", "5");

        Assert.Equal(ExitCodes.SyncFailures, exitCode);
        Assert.Contains("error: The browser answered in riddles.", cli.Error, StringComparison.Ordinal);
        Assert.Contains(Documentation.Issues, cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(DotNetTypeName(), cli.Error);
    }

    private static string[] Split(string list) => list.Length == 0 ? [] : list.Split('|');

    private string Expand(string value) => value
        .Replace("{folder}", _folder.File("a-folder"), StringComparison.Ordinal)
        .Replace("{file}", _folder.File("a-file.txt"), StringComparison.Ordinal)
        .Replace("{used-demo}", _folder.File("used-demo"), StringComparison.Ordinal)
        .Replace("{db}", _folder.File("calendar.db"), StringComparison.Ordinal);

    /// <summary>An exception's name (IOException, SqliteException) or a namespace-qualified .NET type (System.Int32).</summary>
    [GeneratedRegex(@"\w+Exception\b|\b(System|Microsoft)\.[A-Z]\w*")]
    private static partial Regex DotNetTypeName();
}
