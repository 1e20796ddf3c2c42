using NodaTime;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>
/// The user's real Outlook calendar. Reaching it needs the user's sign-in (MSAL, authorization code with PKCE), which this build
/// does not have yet: every command that would talk to Microsoft stops with <see cref="ExitCodes.NotAvailable"/>.
/// </summary>
internal static class RealOutlook
{
    public const bool IsAvailable = false;

    public static CliException NotAvailable(string what, AccountSettings settings) => new(
        ExitCodes.NotAvailable,
        $"{what} is not available in this build: signing in to a Microsoft account (the OAuth authorization-code flow with PKCE) has not landed yet, "
        + $"so the tool cannot reach a real Outlook calendar. Your configuration is complete; keep {settings.RedirectUri} registered as a Web redirect URI "
        + "of the Azure app. To see a two-way sync now, run 'outlook-calendar-sync demo' (a local Microsoft Graph emulator).");

    /// <summary>An Outlook calendar that cannot be reached; local-only commands (status, disconnect, reset that keeps Outlook) never call it.</summary>
    public sealed class Unreachable : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => throw Fail();

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken) => throw Fail();

        public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken) => throw Fail();

        private static CliException Fail() => new(ExitCodes.NotAvailable, "Reaching Outlook is not available in this build: signing in to a Microsoft account has not landed yet.");
    }
}
