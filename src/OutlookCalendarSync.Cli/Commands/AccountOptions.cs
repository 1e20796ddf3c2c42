using System.CommandLine;
using OutlookCalendarSync.Cli.Configuration;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>The options every real-account command takes: the Azure app, the local database and the user.</summary>
internal sealed class AccountOptions
{
    public Option<string?> ClientId { get; } = new("--client-id")
    {
        Description = $"The Application (client) ID of the Azure app registration [env: {AccountSettings.ClientIdVariable}]",
        HelpName = "guid",
    };

    public Option<string?> ClientSecret { get; } = new("--client-secret")
    {
        Description = $"The client secret; prefer the environment variable, which stays out of your shell history [env: {AccountSettings.ClientSecretVariable}]",
        HelpName = "secret",
    };

    public Option<string?> Tenant { get; } = new("--tenant")
    {
        Description = $"The tenant id or domain, or 'common' [env: {AccountSettings.TenantVariable}; default: {AccountSettings.DefaultTenant}]",
        HelpName = "tenant",
    };

    public Option<string?> Database { get; } = new("--database")
    {
        Description = $"The SQLite file of the local calendar [env: {AccountSettings.DatabaseVariable}; default: {AccountSettings.DefaultDatabasePath}]",
        HelpName = "path",
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"The local user id whose calendar is synced [env: {AccountSettings.UserVariable}; default: {AccountSettings.DefaultUser}]",
        HelpName = "id",
    };

    public Option<int?> Port { get; } = new("--port")
    {
        Description = $"The localhost port of the sign-in redirect URI [env: {AccountSettings.RedirectPortVariable}; default: {AccountSettings.DefaultRedirectPort}]",
        HelpName = "port",
        CustomParser = result => WholeNumber.InRange(result, 1, 65535, "the port of the sign-in redirect URI"),
    };

    public Option<string?> AccessToken { get; } = new("--access-token")
    {
        Description = $"A Microsoft Graph access token (scope Calendars.ReadWrite) obtained elsewhere, used instead of 'connect' [env: {AccountSettings.AccessTokenVariable}]",
        HelpName = "token",
    };

    public Option<string?> GraphUrl { get; } = new("--graph-url")
    {
        Description = $"The Microsoft Graph endpoint: a national cloud, or a local Graph emulator [env: {AccountSettings.GraphUrlVariable}; default: https://graph.microsoft.com/v1.0/]",
        HelpName = "url",
    };

    public Option<string?> AuthorityHost { get; } = new("--authority-host")
    {
        Description = $"The Microsoft Entra authority host 'connect' signs in through: a national cloud, or a local emulator [env: {AccountSettings.AuthorityHostVariable}; default: https://login.microsoftonline.com/]",
        HelpName = "url",
    };

    public Option<string?> Mailbox { get; } = new("--mailbox")
    {
        Description = $"Sync this mailbox (a UPN such as ada@contoso.com, or a user id) with the app's application permission Calendars.ReadWrite, after a tenant admin consented; needs --tenant and the client secret, no sign-in [env: {AccountSettings.MailboxVariable}]",
        HelpName = "upn",
    };

    public void AddTo(Command command, bool includeApp)
    {
        if (includeApp)
        {
            command.Add(Mailbox);
            command.Add(AccessToken);
            command.Add(GraphUrl);
            command.Add(AuthorityHost);
            command.Add(ClientId);
            command.Add(ClientSecret);
            command.Add(Tenant);
            command.Add(Port);
        }

        command.Add(Database);
        command.Add(User);
    }

    public AccountSettings Resolve(ParseResult parse, CliContext context) => AccountSettings.Resolve(
        new AccountOptionValues(
            TryGet(parse, ClientId),
            TryGet(parse, ClientSecret),
            TryGet(parse, Tenant),
            TryGet(parse, Database),
            TryGet(parse, User),
            parse.GetResult(Port) is null ? null : parse.GetValue(Port),
            TryGet(parse, AccessToken),
            TryGet(parse, GraphUrl),
            TryGet(parse, AuthorityHost),
            TryGet(parse, Mailbox)),
        context);

    private static string? TryGet(ParseResult parse, Option<string?> option) => parse.GetResult(option) is null ? null : parse.GetValue(option);
}
