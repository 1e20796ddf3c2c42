using Microsoft.Extensions.Configuration;

namespace OutlookCalendarSync.Cli.Configuration;

/// <summary>
/// The settings of the real-account commands, each read from its command-line option, else its environment variable, else the
/// tool's user secrets, else its default. Secrets are never printed: <see cref="Describe"/> says only where they came from.
/// </summary>
internal sealed class AccountSettings
{
    public const string ClientIdVariable = "OCS_CLIENT_ID";
    public const string ClientSecretVariable = "OCS_CLIENT_SECRET";
    public const string TenantVariable = "OCS_TENANT_ID";
    public const string DatabaseVariable = "OCS_DATABASE";
    public const string UserVariable = "OCS_USER";
    public const string RedirectPortVariable = "OCS_REDIRECT_PORT";
    public const string AccessTokenVariable = "OCS_ACCESS_TOKEN";
    public const string GraphUrlVariable = "OCS_GRAPH_URL";
    public const string AuthorityHostVariable = "OCS_AUTHORITY_HOST";
    public const string MailboxVariable = "OCS_MAILBOX";
    public const string SecretsSection = "OutlookCalendarSync";
    public const string DefaultTenant = "common";
    public const string DefaultUser = "me";
    public const int DefaultRedirectPort = 53682;

    private AccountSettings(SettingValue clientId, SettingValue clientSecret, SettingValue tenant, SettingValue database, SettingValue user, SettingValue redirectPort, SettingValue accessToken, SettingValue graphUrl, SettingValue authorityHost, SettingValue mailbox)
    {
        Mailbox = mailbox;
        AuthorityHost = authorityHost;
        AccessToken = accessToken;
        GraphUrl = graphUrl;
        ClientId = clientId;
        ClientSecret = clientSecret;
        Tenant = tenant;
        Database = database;
        User = user;
        RedirectPort = redirectPort;
    }

    public SettingValue ClientId { get; }

    public SettingValue ClientSecret { get; }

    public SettingValue Tenant { get; }

    public SettingValue Database { get; }

    public SettingValue User { get; }

    public SettingValue RedirectPort { get; }

    /// <summary>A Microsoft Graph access token obtained elsewhere (scope Calendars.ReadWrite), used instead of signing in.</summary>
    public SettingValue AccessToken { get; }

    public SettingValue GraphUrl { get; }

    /// <summary>The Microsoft Entra authority host <c>connect</c> signs in through: a national cloud, or a local emulator.</summary>
    public SettingValue AuthorityHost { get; }

    /// <summary>A mailbox (UPN or object id) synced with the app's own application permissions instead of a user's sign-in.</summary>
    public SettingValue Mailbox { get; }

    public string DatabasePath => Path.GetFullPath(Database.Value!);

    public string UserId => User.Value!;

    public int Port => int.Parse(RedirectPort.Value!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The Web redirect URI to register in Azure for the <c>connect</c> command with the client secret.</summary>
    public Uri RedirectUri => new($"http://localhost:{Port}/microsoft_account/authentication");

    /// <summary>
    /// The loopback redirect URI of <c>connect</c> as a public client (no secret): <c>http://localhost</c> with any free port, or
    /// the port given with <c>--port</c> / <c>OCS_REDIRECT_PORT</c>. Register <c>http://localhost</c>: Entra ignores its port.
    /// </summary>
    public Uri PublicClientRedirectUri => RedirectPort.Source == "default"
        ? OutlookCalendarSync.Authentication.BrowserSignInOptions.DefaultRedirectUri
        : new Uri($"http://localhost:{Port}");

    public static string DefaultDatabasePath => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } data
            ? data
            : Path.GetTempPath(),
        "OutlookCalendarSync",
        "calendar.db");

    public static AccountSettings Resolve(AccountOptionValues options, CliContext context) => new(
        Read(options.ClientId, "--client-id", ClientIdVariable, "ClientId", null, context),
        Read(options.ClientSecret, "--client-secret", ClientSecretVariable, "ClientSecret", null, context),
        Read(options.Tenant, "--tenant", TenantVariable, "TenantId", DefaultTenant, context),
        Read(options.Database, "--database", DatabaseVariable, "Database", DefaultDatabasePath, context),
        Read(options.User, "--user", UserVariable, "User", DefaultUser, context),
        Read(options.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture), "--port", RedirectPortVariable, "RedirectPort", DefaultRedirectPort.ToString(System.Globalization.CultureInfo.InvariantCulture), context),
        Read(options.AccessToken, "--access-token", AccessTokenVariable, "AccessToken", null, context),
        Read(options.GraphUrl, "--graph-url", GraphUrlVariable, "GraphUrl", OutlookCalendarSync.Graph.MicrosoftGraphOptions.DefaultGraphBaseUrl.ToString(), context),
        Read(options.AuthorityHost, "--authority-host", AuthorityHostVariable, "AuthorityHost", OutlookCalendarSync.Authentication.MicrosoftAccountOptions.DefaultAuthorityHost.ToString(), context),
        Read(options.Mailbox, "--mailbox", MailboxVariable, "Mailbox", null, context));

    /// <summary>Checks the settings every command needs (database, user); throws a configuration error.</summary>
    public void RequireLocal()
    {
        if (DatabaseProblem() is { } problem)
        {
            throw new CliException(ExitCodes.ConfigurationMissing, $"The {problem}.");
        }

        if (string.IsNullOrWhiteSpace(User.Value))
        {
            throw new CliException(ExitCodes.ConfigurationMissing, $"The user id is empty ({User.Source}): pass --user NAME or set {UserVariable}.");
        }
    }

    /// <summary>Checks the settings the commands talking to Microsoft need; throws a configuration error naming every missing one.</summary>
    /// <param name="requireSecret">
    /// Whether the client secret is required (the app's own permission, <c>--mailbox</c>); a user's sign-in works without it, as
    /// a public client.
    /// </param>
    public void RequireAzureApp(bool requireSecret = false)
    {
        RequireLocal();
        var problems = new List<string>();
        if (!ClientId.IsSet)
        {
            problems.Add($"the Application (client) ID: pass --client-id, set {ClientIdVariable}, or run 'dotnet user-secrets set {SecretsSection}:ClientId <id> --id outlook-calendar-sync-cli'"
                + (requireSecret ? string.Empty : $" (a client secret, {ClientSecretVariable}, is needed only when the app is registered as a Web app; without one, 'connect' signs in as a public client)"));
        }
        else if (ClientIdProblem() is { } clientId)
        {
            problems.Add(clientId);
        }

        if (requireSecret && !ClientSecret.IsSet)
        {
            problems.Add($"the client secret: set {ClientSecretVariable} (preferred: it stays out of your shell history), or use the user secrets key {SecretsSection}:ClientSecret; create one under Certificates & secrets in the app registration");
        }

        if (!Tenant.IsSet)
        {
            problems.Add($"the tenant: pass --tenant (a tenant id, a domain, or 'common'), or set {TenantVariable}");
        }
        else if (TenantProblem() is { } tenant)
        {
            problems.Add(tenant);
        }

        if (RedirectPortProblem() is { } port)
        {
            problems.Add(port);
        }

        if (problems.Count > 0)
        {
            throw new CliException(
                ExitCodes.ConfigurationMissing,
                "The Azure app registration is not configured. Missing or invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)) + Environment.NewLine
                + $"{Documentation.GettingStarted} shows how to register the app and where to find each value.");
        }
    }

    /// <summary>
    /// The values that are set but cannot work, each in words naming where it came from (for <c>status</c>, which shows the
    /// settings without using them); missing values are not listed.
    /// </summary>
    public IReadOnlyList<string> InvalidValues()
    {
        string?[] problems =
        [
            ClientId.IsSet ? ClientIdProblem() : null,
            Tenant.IsSet ? TenantProblem() : null,
            RedirectPortProblem(),
            GraphUrlProblem(),
            AuthorityHostProblem(),
            DatabaseProblem(),
        ];
        return problems.OfType<string>().ToList();
    }

    /// <summary>The settings as lines for <c>status</c>; the secret shows only whether it is set and where from.</summary>
    public IEnumerable<(string Name, string Value)> Describe()
    {
        yield return ("client id", ClientId.IsSet ? $"{ClientId.Value} ({ClientId.Source})" : "not set");
        yield return ("client secret", ClientSecret.IsSet ? $"set ({ClientSecret.Source})" : "not set");
        yield return ("tenant", $"{Tenant.Value} ({Tenant.Source})");
        yield return ("database", $"{DatabasePath} ({Database.Source})");
        yield return ("user", $"{User.Value} ({User.Source})");
        yield return ("access token", AccessToken.IsSet ? $"set ({AccessToken.Source})" : "not set");
        yield return ("Graph URL", $"{GraphUrl.Value} ({GraphUrl.Source})");
        yield return ("authority host", $"{AuthorityHost.Value} ({AuthorityHost.Source})");
        yield return ("app-only mailbox", Mailbox.IsSet ? $"{Mailbox.Value} ({Mailbox.Source})" : "not set");
        yield return ("redirect URI", ClientSecret.IsSet
            ? $"http://localhost:{RedirectPort.Value}/microsoft_account/authentication, a Web redirect URI, since the client secret is set ({RedirectPort.Source})"
            : $"{(RedirectPort.Source == "default" ? "http://localhost (any free port)" : $"http://localhost:{RedirectPort.Value}")}, a 'Mobile and desktop applications' redirect URI: no client secret, so 'connect' signs in as a public client ({RedirectPort.Source})");
    }

    private string? ClientIdProblem() => Guid.TryParse(ClientId.Value, out _)
        ? null
        : $"client id '{ClientId.Value}' ({ClientId.Source}) is not an Application (client) ID: copy the GUID shown under Overview in the Azure app registration";

    private string? TenantProblem() => Tenant.Value!.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')
        ? null
        : $"tenant '{Tenant.Value}' ({Tenant.Source}) is not a tenant id, a domain such as contoso.onmicrosoft.com, 'organizations' or 'common'";

    private string? RedirectPortProblem()
        => int.TryParse(RedirectPort.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
            ? null
            : $"redirect port '{RedirectPort.Value}' ({RedirectPort.Source}) is not a number from 1 to 65535";

    private string? GraphUrlProblem()
        => Uri.TryCreate(GraphUrl.Value, UriKind.Absolute, out Uri? graph) && (graph.Scheme == Uri.UriSchemeHttps || (graph.Scheme == Uri.UriSchemeHttp && graph.IsLoopback))
            ? null
            : $"Graph URL '{GraphUrl.Value}' ({GraphUrl.Source}) is not an absolute https URL (plain http only on loopback, for an emulator): use https://graph.microsoft.com/v1.0/ or your cloud's endpoint";

    private string? AuthorityHostProblem()
        => Uri.TryCreate(AuthorityHost.Value, UriKind.Absolute, out Uri? authority) && authority.Scheme == Uri.UriSchemeHttps
            ? null
            : $"authority host '{AuthorityHost.Value}' ({AuthorityHost.Source}) is not an absolute HTTPS URL: use https://login.microsoftonline.com/ or your cloud's sign-in host";

    private string? DatabaseProblem()
    {
        if (Database.Value!.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return $"database path '{Database.Value}' ({Database.Source}) is not a valid path: give a file path such as ./calendar.db";
        }

        return Directory.Exists(DatabasePath)
            ? $"database path '{DatabasePath}' ({Database.Source}) is a folder: give the path of a file, such as {Path.Combine(DatabasePath, "calendar.db")}"
            : null;
    }

    private static SettingValue Read(string? option, string optionName, string variable, string secretKey, string? fallback, CliContext context)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return new SettingValue(option.Trim(), $"option {optionName}");
        }

        if (context.Environment(variable) is { Length: > 0 } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new SettingValue(fromEnvironment.Trim(), $"environment variable {variable}");
        }

        if (context.UserSecrets[$"{SecretsSection}:{secretKey}"] is { Length: > 0 } fromSecrets && !string.IsNullOrWhiteSpace(fromSecrets))
        {
            return new SettingValue(fromSecrets.Trim(), $"user secret {SecretsSection}:{secretKey}");
        }

        return new SettingValue(fallback, fallback is null ? "not set" : "default");
    }
}

/// <summary>The raw values of the account options on the command line.</summary>
internal sealed record AccountOptionValues(
    string? ClientId, string? ClientSecret, string? Tenant, string? Database, string? User, int? Port, string? AccessToken = null, string? GraphUrl = null, string? AuthorityHost = null, string? Mailbox = null);
