using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>
/// The user's real Outlook calendar, through the Microsoft Graph adapter: with the tokens <c>connect</c> stored (MSAL,
/// authorization code with PKCE, the token cache encrypted with a key ring next to the database), with an access token
/// obtained elsewhere (<c>--access-token</c>), or with the app's own permission on a named mailbox (<c>--mailbox</c>).
/// </summary>
internal static class RealOutlook
{
    /// <summary>Registers Microsoft Graph on the builder, with the given access token or the signed-in Microsoft account.</summary>
    /// <exception cref="CliException">The configuration is missing or invalid.</exception>
    public static Action<OutlookCalendarSyncBuilder> Require(AccountSettings settings, CliContext context)
    {
        settings.RequireLocal();
        Uri graph = GraphUrl(settings);
        if (settings.AccessToken.IsSet)
        {
            string token = settings.AccessToken.Value!;
            return builder => builder
                .UseMicrosoftGraph(o => o.GraphBaseUrl = graph)
                .UseAccessTokenProvider(new GivenAccessToken(token));
        }

        if (settings.Mailbox.IsSet)
        {
            Action<OutlookCalendarSyncBuilder> appOnly = RequireAppOnly(settings, context);
            return builder => appOnly(builder.UseMicrosoftGraph(o => o.GraphBaseUrl = graph));
        }

        Action<OutlookCalendarSyncBuilder> account = RequireMicrosoftAccount(settings, context);
        return builder => account(builder.UseMicrosoftGraph(o => o.GraphBaseUrl = graph));
    }

    /// <summary>
    /// Registers app-only mode for the one mailbox of the settings: client-credentials tokens of the tenant with the app's secret,
    /// and the local user mapped to that mailbox.
    /// </summary>
    /// <exception cref="CliException">The Azure app configuration is missing or invalid, or the tenant is not one directory.</exception>
    public static Action<OutlookCalendarSyncBuilder> RequireAppOnly(AccountSettings settings, CliContext context)
    {
        settings.RequireAzureApp(requireSecret: true);
        string tenant = settings.Tenant.Value!;
        if (tenant is "common" or "organizations" or "consumers")
        {
            throw new CliException(ExitCodes.ConfigurationMissing, $"--mailbox syncs with the app's own permission in one directory: pass --tenant with the tenant id or domain of the mailbox (it is '{tenant}', {settings.Tenant.Source}).");
        }

        if (!Uri.TryCreate(settings.AuthorityHost.Value, UriKind.Absolute, out Uri? authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            throw new CliException(ExitCodes.ConfigurationMissing, $"The authority host '{settings.AuthorityHost.Value}' ({settings.AuthorityHost.Source}) is not an absolute HTTPS URL: use https://login.microsoftonline.com/ or your cloud's sign-in host.");
        }

        var mailbox = new AppOnlyMailbox(tenant, settings.Mailbox.Value!);
        string userId = settings.UserId;
        return builder => builder
            .UseAppOnly(o =>
            {
                o.ClientId = settings.ClientId.Value;
                o.ClientSecret = settings.ClientSecret.Value;
                o.AuthorityHost = authority;
                o.HttpClientFactory = context.MsalHttpClientFactory;
            })
            .UseMailboxDirectory((user, _) => ValueTask.FromResult(user == userId ? mailbox : null));
    }

    /// <summary>
    /// Registers the Microsoft account sign-in (<c>UseMicrosoftAccount</c>) for the Azure app of the settings: a public client
    /// (no secret needed), and a Web app too when the client secret is set.
    /// </summary>
    /// <exception cref="CliException">The Azure app configuration is missing or invalid.</exception>
    public static Action<OutlookCalendarSyncBuilder> RequireMicrosoftAccount(AccountSettings settings, CliContext context)
    {
        settings.RequireAzureApp();
        if (!Uri.TryCreate(settings.AuthorityHost.Value, UriKind.Absolute, out Uri? authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            throw new CliException(ExitCodes.ConfigurationMissing, $"The authority host '{settings.AuthorityHost.Value}' ({settings.AuthorityHost.Source}) is not an absolute HTTPS URL: use https://login.microsoftonline.com/ or your cloud's sign-in host.");
        }

        string keyRing = KeyRingDirectory(settings);
        return builder => builder.UseMicrosoftAccount(o =>
        {
            o.ClientId = settings.ClientId.Value;
            o.ClientSecret = settings.ClientSecret.Value;
            o.PublicClient = true;
            o.TenantId = settings.Tenant.Value!;
            o.RedirectUri = settings.RedirectUri;
            o.AuthorityHost = authority;
            o.KeyRingDirectory = keyRing;
            o.HttpClientFactory = context.MsalHttpClientFactory;
        });
    }

    /// <summary>The folder of the Data Protection key ring that encrypts the token cache: <c>keys</c> next to the database.</summary>
    public static string KeyRingDirectory(AccountSettings settings) =>
        Path.Combine(Path.GetDirectoryName(settings.DatabasePath) ?? ".", "keys");

    private static Uri GraphUrl(AccountSettings settings) =>
        Uri.TryCreate(settings.GraphUrl.Value, UriKind.Absolute, out Uri? graph)
            ? graph
            : throw new CliException(ExitCodes.ConfigurationMissing, $"The Graph URL '{settings.GraphUrl.Value}' ({settings.GraphUrl.Source}) is not an absolute URL: use https://graph.microsoft.com/v1.0/ or your cloud's endpoint.");

    /// <summary>An Outlook calendar that cannot be reached; local-only commands (status, disconnect, an offline reset) never call it.</summary>
    public static void RegisterUnreachable(OutlookCalendarSyncBuilder builder) => builder.UseOutlookCalendar(new Unreachable());

    private sealed class Unreachable : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => throw Fail();

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken) => throw Fail();

        public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken) => throw Fail();

        private static CliException Fail() => new(ExitCodes.NotAvailable, "This command does not reach Outlook.");
    }

    /// <summary>The same token for every request; a token Graph refuses makes the sync report NeedsReauthorization.</summary>
    private sealed class GivenAccessToken(string token) : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(token);
    }
}
