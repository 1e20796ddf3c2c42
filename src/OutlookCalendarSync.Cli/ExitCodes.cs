namespace OutlookCalendarSync.Cli;

/// <summary>The process exit codes of <c>outlook-calendar-sync</c>; docs/configuration.md lists them for scripts.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked (a sync with nothing new included).</summary>
    public const int Ok = 0;

    /// <summary>
    /// The sync ran but some events failed (they are listed and retried on the next run), or it failed as a whole; also a failure
    /// the tool did not expect.
    /// </summary>
    public const int SyncFailures = 1;

    /// <summary>Unknown command or option, a missing or malformed argument, or <c>reset --delete</c> with nobody to confirm and no <c>--yes</c>.</summary>
    public const int UsageError = 2;

    /// <summary>Client id, client secret or another required setting is missing or invalid (a database path that is a folder, too).</summary>
    public const int ConfigurationMissing = 3;

    /// <summary>
    /// The account is not connected, or its sign-in can no longer be used: run <c>connect</c>. With <c>--mailbox</c>: the tenant's
    /// admin has not consented (or the app's secret is refused).
    /// </summary>
    public const int NeedsReauthorization = 4;

    /// <summary>
    /// The sync did not run: paused, stopped, another run in progress, the mass-deletion guard stopped it, or (with
    /// <c>--mailbox</c>) Graph refuses the app that mailbox (access policy, no mailbox, unknown user).
    /// </summary>
    public const int SyncBlocked = 5;

    /// <summary>The command needs Outlook but cannot reach it: a local-only command was asked to, without sign-in or token.</summary>
    public const int NotAvailable = 6;

    /// <summary>An input file could not be read or an output file written: the database, an .ics file, the demo's folder.</summary>
    public const int FileError = 7;

    /// <summary><c>connect</c> did not connect: the sign-in was declined, failed, expired, or timed out.</summary>
    public const int SignInFailed = 8;

    /// <summary>Cancelled by the user: Ctrl+C, or no to the question of <c>reset --delete</c>.</summary>
    public const int Cancelled = 130;
}
