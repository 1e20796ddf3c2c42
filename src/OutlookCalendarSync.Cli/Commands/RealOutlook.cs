using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>
/// The user's real Outlook calendar, through the Microsoft Graph adapter. Signing in (MSAL, authorization code with PKCE) is not
/// in this build yet, so the adapter can only be given an access token obtained elsewhere (<c>--access-token</c>); without one,
/// the commands that talk to Microsoft check the Azure app configuration and then stop with <see cref="ExitCodes.NotAvailable"/>.
/// </summary>
internal static class RealOutlook
{
    /// <summary>Registers Microsoft Graph on the builder, or explains why it cannot be reached.</summary>
    /// <exception cref="CliException">The configuration is missing, or sign-in would be needed.</exception>
    public static Action<OutlookCalendarSyncBuilder> Require(string what, AccountSettings settings)
    {
        settings.RequireLocal();
        if (!settings.AccessToken.IsSet)
        {
            settings.RequireAzureApp();
            throw NotAvailable(what, settings);
        }

        if (!Uri.TryCreate(settings.GraphUrl.Value, UriKind.Absolute, out Uri? graph))
        {
            throw new CliException(ExitCodes.ConfigurationMissing, $"The Graph URL '{settings.GraphUrl.Value}' ({settings.GraphUrl.Source}) is not an absolute URL: use https://graph.microsoft.com/v1.0/ or your cloud's endpoint.");
        }

        string token = settings.AccessToken.Value!;
        return builder => builder
            .UseMicrosoftGraph(o => o.GraphBaseUrl = graph)
            .UseAccessTokenProvider(new GivenAccessToken(token));
    }

    public static CliException NotAvailable(string what, AccountSettings settings) => new(
        ExitCodes.NotAvailable,
        $"{what} is not available in this build: signing in to a Microsoft account (the OAuth authorization-code flow with PKCE) has not landed yet. "
        + $"Your Azure app configuration is complete; keep {settings.RedirectUri} registered as a Web redirect URI. "
        + $"Meanwhile, pass a Microsoft Graph access token with the Calendars.ReadWrite scope as {AccountSettings.AccessTokenVariable} (or --access-token), "
        + "or run 'outlook-calendar-sync demo' to see a two-way sync on a local Graph emulator.");

    /// <summary>An Outlook calendar that cannot be reached; local-only commands (status, disconnect, an offline reset) never call it.</summary>
    public static void RegisterUnreachable(OutlookCalendarSyncBuilder builder) => builder.UseOutlookCalendar(new Unreachable());

    private sealed class Unreachable : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => throw Fail();

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken) => throw Fail();

        public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken) => throw Fail();

        private static CliException Fail() => new(ExitCodes.NotAvailable, "This command does not reach Outlook without an access token: pass --access-token or set OCS_ACCESS_TOKEN.");
    }

    /// <summary>The same token for every request; a token Graph refuses makes the sync report NeedsReauthorization.</summary>
    private sealed class GivenAccessToken(string token) : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(token);
    }
}
