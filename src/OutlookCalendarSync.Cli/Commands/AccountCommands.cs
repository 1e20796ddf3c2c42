using System.CommandLine;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Cli.SignIn;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Cli.Rendering;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using Spectre.Console;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>The real-account commands: connect, sync, preview, status, disconnect, reset.</summary>
internal sealed class AccountCommands
{
    /// <summary>The longest wait of <c>connect</c>: a day.</summary>
    private const int MaxTimeoutSeconds = 86_400;

    private readonly CliContext _context;
    private readonly AccountOptions _options = new();

    private readonly Option<string> _delete = new("--delete")
    {
        Description = "Which synced events to delete: keep (none), outlook, local or both",
        DefaultValueFactory = _ => "keep",
        HelpName = "keep|outlook|local|both",
    };

    private readonly Option<string> _resync = new("--resync")
    {
        Description = "What the next sync brings over: new (only events created from now on) or all",
        DefaultValueFactory = _ => "new",
        HelpName = "new|all",
    };

    private readonly Option<bool> _yes = new("--yes", "-y")
    {
        Description = "Delete without asking; needed when nobody can answer the question (a script, a pipe, CI)",
    };

    private readonly Option<int> _timeout = new("--timeout")
    {
        Description = "How many seconds 'connect' waits for the browser to come back from the Microsoft sign-in, or for the device code to be used",
        DefaultValueFactory = _ => 300,
        HelpName = "seconds",
        CustomParser = result => WholeNumber.InRange(result, 1, MaxTimeoutSeconds, "how many seconds to wait for the sign-in") ?? 0,
    };

    private readonly Option<bool> _deviceCode = new("--device-code")
    {
        Description = "Sign in with a code entered in a browser on any device (a machine without a browser, over SSH); needs 'Allow public client flows' in the app registration, never the client secret",
    };

    private readonly Option<string?> _loginHint = new("--login-hint")
    {
        Description = "The Microsoft account to suggest on the sign-in page, such as alice@contoso.com",
        HelpName = "account",
    };

    public AccountCommands(CliContext context)
    {
        _context = context;
        _delete.AcceptOnlyFromAmong("keep", "outlook", "local", "both");
        _resync.AcceptOnlyFromAmong("new", "all");
        Commands =
        [
            CreateConnect(),
            Create("sync", "Syncs the local SQLite calendar with the Outlook calendar, both ways", includeApp: true, SyncAsync),
            Create("preview", "Dry run: what a sync would create, update and delete on each side, and the invitation emails it would cause", includeApp: true, PreviewAsync),
            Create("status", "Shows the configuration (secrets masked), the connection and the sync state", includeApp: true, StatusAsync),
            Create("disconnect", "Forgets the Microsoft sign-in and stops syncing; events and links are kept", includeApp: false, DisconnectAsync),
            Create("pause", "Pauses syncing for the user until 'resume'", includeApp: false, (settings, token) => SetStatusAsync(settings, SyncStatus.Paused, token)),
            Create("resume", "Resumes syncing after 'pause', 'disconnect' or a refused sign-in", includeApp: false, (settings, token) => SetStatusAsync(settings, SyncStatus.Active, token)),
            CreateReset(),
        ];
    }

    public IReadOnlyList<Command> Commands { get; }

    private Command Create(string name, string description, bool includeApp, Func<AccountSettings, CancellationToken, Task<int>> action)
    {
        var command = new Command(name, description);
        _options.AddTo(command, includeApp);
        command.SetAction((parse, cancellationToken) => action(_options.Resolve(parse, _context), cancellationToken));
        return command;
    }

    private Command CreateConnect()
    {
        var command = new Command(
            "connect",
            "Signs in to the Microsoft account whose Outlook calendar is synced: in the browser, as a public client with a loopback redirect and no client secret; with --device-code, on any device; with the client secret set, as a Web app");
        _options.AddTo(command, includeApp: true);
        command.Add(_timeout);
        command.Add(_loginHint);
        command.Add(_deviceCode);
        command.SetAction((parse, cancellationToken) => ConnectAsync(_options.Resolve(parse, _context), parse.GetValue(_timeout), parse.GetValue(_loginHint), parse.GetValue(_deviceCode), cancellationToken));
        return command;
    }

    private Command CreateReset()
    {
        var command = new Command("reset", "Forgets the links between the two calendars, optionally deleting the synced events on one or both sides");
        _options.AddTo(command, includeApp: true);
        command.Add(_delete);
        command.Add(_resync);
        command.Add(_yes);
        command.SetAction((parse, cancellationToken) => ResetAsync(_options.Resolve(parse, _context), parse.GetValue(_delete)!, parse.GetValue(_resync)!, parse.GetValue(_yes), cancellationToken));
        return command;
    }

    private async Task<int> ConnectAsync(AccountSettings settings, int timeoutSeconds, string? loginHint, bool deviceCode, CancellationToken cancellationToken)
    {
        Action<OutlookCalendarSyncBuilder> microsoftAccount = RealOutlook.RequireMicrosoftAccount(settings, _context);
        await using LocalAccount account = LocalAccount.Open(settings, _context, microsoftAccount);
        string? hint = string.IsNullOrWhiteSpace(loginHint) ? null : loginHint.Trim();
        SignInResult result = deviceCode ? await ConnectWithDeviceCodeAsync(account, timeoutSeconds, cancellationToken).ConfigureAwait(false)
            : settings.ClientSecret.IsSet ? await ConnectAsWebAppAsync(account, timeoutSeconds, hint, cancellationToken).ConfigureAwait(false)
            : await ConnectWithBrowserAsync(account, timeoutSeconds, hint, cancellationToken).ConfigureAwait(false);
        if (result.Connection is not { } connection || !result.IsConnected)
        {
            throw new CliException(ExitCodes.SignInFailed, $"The sign-in did not connect ({result.Status}{(result.Error is null ? string.Empty : ": " + result.Error)}). {result.Message}");
        }

        IAnsiConsole console = _context.Console;
        console.MarkupLineInterpolated($"Connected '{settings.UserId}' to the Microsoft account {connection.Username}{(connection.PublicClient ? " (as a public client: no client secret is used)" : string.Empty)}.");
        console.MarkupLineInterpolated($"  tenant: {connection.TenantId}");
        console.MarkupLineInterpolated($"  scopes: {string.Join(" ", connection.Scopes)}");
        console.MarkupLine("Run 'sync' to sync the calendars, or 'preview' to see what a sync would do first.");
        return ExitCodes.Ok;
    }

    /// <summary>The confidential Web app's sign-in (the client secret is set): the tool's own listener on the Web redirect URI.</summary>
    private async Task<SignInResult> ConnectAsWebAppAsync(LocalAccount account, int timeoutSeconds, string? loginHint, CancellationToken cancellationToken)
    {
        AccountSettings settings = account.Settings;
        IMicrosoftAccountAuthorization authorization = account.Authorization!;
        using var listener = new SignInCallbackListener(settings.Port);
        listener.Start();
        Uri signInUrl = await authorization.BuildSignInUrlAsync(settings.UserId, loginHint, cancellationToken).ConfigureAwait(false);
        await ShowSignInUrlAsync(settings.UserId, signInUrl, cancellationToken).ConfigureAwait(false);
        _context.Console.MarkupLineInterpolated($"Waiting up to {timeoutSeconds} s for the sign-in to come back to {listener.RedirectUri}...");
        OpenBrowser(signInUrl);

        IReadOnlyDictionary<string, string> query;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
            try
            {
                query = await listener.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.SignInFailed, $"The sign-in did not come back within {timeoutSeconds} s. Run 'connect' again (--timeout sets the wait), and check that {listener.RedirectUri} is registered as a Web redirect URI.");
            }
        }

        return await authorization.CompleteSignInAsync(query, settings.UserId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The public client's browser sign-in (no client secret): MSAL listens on the loopback redirect URI and exchanges the code with
    /// its PKCE verifier.
    /// </summary>
    private async Task<SignInResult> ConnectWithBrowserAsync(LocalAccount account, int timeoutSeconds, string? loginHint, CancellationToken cancellationToken)
    {
        AccountSettings settings = account.Settings;
        IPublicClientSignIn signIn = account.PublicClientSignIn!;
        var options = new BrowserSignInOptions
        {
            RedirectUri = settings.PublicClientRedirectUri,
            LoginHint = loginHint,
            OpenBrowser = async (url, token) =>
            {
                await ShowSignInUrlAsync(settings.UserId, url, token).ConfigureAwait(false);
                string redirect = System.Web.HttpUtility.ParseQueryString(url.Query)["redirect_uri"] ?? settings.PublicClientRedirectUri.ToString();
                _context.Console.MarkupLineInterpolated($"Waiting up to {timeoutSeconds} s for the sign-in to come back to {redirect}...");
                OpenBrowser(url);
            },
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            return await signIn.SignInWithBrowserAsync(settings.UserId, options, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.SignInFailed, $"The sign-in did not come back within {timeoutSeconds} s. Run 'connect' again (--timeout sets the wait), check that http://localhost is registered as a redirect URI of the platform 'Mobile and desktop applications', or use 'connect --device-code'.");
        }
    }

    /// <summary>The public client's device code sign-in: Microsoft's message says where to enter which code, on any device.</summary>
    private async Task<SignInResult> ConnectWithDeviceCodeAsync(LocalAccount account, int timeoutSeconds, CancellationToken cancellationToken)
    {
        AccountSettings settings = account.Settings;
        IPublicClientSignIn signIn = account.PublicClientSignIn!;
        IAnsiConsole console = _context.Console;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            return await signIn.SignInWithDeviceCodeAsync(
                settings.UserId,
                async (prompt, token) =>
                {
                    console.MarkupLineInterpolated($"To connect '{settings.UserId}' to a Microsoft account, sign in on any device with a browser:");

                    // Microsoft's own words, written as is: the console would wrap the URL, and it must stay whole to be copied.
                    TextWriter output = console.Profile.Out.Writer;
                    await output.WriteLineAsync(prompt.Message).ConfigureAwait(false);
                    await output.FlushAsync(token).ConfigureAwait(false);
                    long seconds = Math.Min(timeoutSeconds, Math.Max(0, (long)(prompt.ExpiresAt - _context.Clock.GetCurrentInstant()).TotalSeconds));
                    console.MarkupLineInterpolated($"Waiting up to {seconds} s for the sign-in with the code {prompt.UserCode}...");
                },
                timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.SignInFailed, $"The code was not used to sign in within {timeoutSeconds} s. Run 'connect --device-code' again (--timeout sets the wait).");
        }
    }

    private async Task ShowSignInUrlAsync(string userId, Uri signInUrl, CancellationToken cancellationToken)
    {
        IAnsiConsole console = _context.Console;
        console.MarkupLineInterpolated($"Sign in to the Microsoft account to sync with '{userId}' in your browser. If it does not open, open this URL:");

        // Written as is: the console would wrap a long URL, and it must stay one line to be copied.
        TextWriter output = console.Profile.Out.Writer;
        await output.WriteLineAsync(signInUrl.AbsoluteUri).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OpenBrowser(Uri signInUrl)
    {
        try
        {
            _context.OpenBrowser(signInUrl);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
        {
            // The URL is printed: the user opens it.
        }
    }

    private async Task<int> SyncAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        Action<OutlookCalendarSyncBuilder> outlook = RealOutlook.Require(settings, _context);
        await using LocalAccount account = LocalAccount.Open(settings, _context, outlook);
        ISyncEngine engine = account.Engine;
        await ResumeAfterRefusedTokenAsync(account, cancellationToken).ConfigureAwait(false);
        var activity = new SyncActivity();
        SyncResult result = await SyncProgressDisplay.RunAsync(
            _context, $"Syncing {settings.UserId}", activity, plannedWrites: 0, () => engine.SyncAsync(settings.UserId, cancellationToken)).ConfigureAwait(false);
        SyncReport.Write(_context.Console, result);
        return ExitCodeOf(result.Status);
    }

    private async Task<int> PreviewAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        Action<OutlookCalendarSyncBuilder> outlook = RealOutlook.Require(settings, _context);
        await using LocalAccount account = LocalAccount.Open(settings, _context, outlook);
        await ResumeAfterRefusedTokenAsync(account, cancellationToken).ConfigureAwait(false);
        SyncPreview preview = await account.Engine.PreviewAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        IAnsiConsole console = _context.Console;
        if (preview.Status is not (SyncRunStatus.Synced or SyncRunStatus.NothingNew or SyncRunStatus.MassDeletionBlocked))
        {
            console.MarkupLineInterpolated($"Nothing to preview: {SyncProgressDisplay.Describe(preview.Status)}. {preview.Message}");
            return ExitCodeOf(preview.Status);
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("side");
        table.AddColumn(new TableColumn("would create").RightAligned());
        table.AddColumn(new TableColumn("would update").RightAligned());
        table.AddColumn(new TableColumn("would delete").RightAligned());
        foreach ((string name, SyncCounts counts) in new[] { ("Outlook", preview.Outlook), ("local", preview.Host) })
        {
            table.AddRow(
                name,
                counts.Created.ToString(System.Globalization.CultureInfo.InvariantCulture),
                counts.Updated.ToString(System.Globalization.CultureInfo.InvariantCulture),
                counts.Deleted.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Emails Outlook would send to attendees (invitations, updates, cancellations): about {preview.InvitationEmails}.");
        foreach (PreviewedChange conflict in preview.Changes.Where(c => c.IsConflict))
        {
            console.MarkupLineInterpolated($"  conflict '{conflict.Subject}': {conflict.Description}");
        }

        foreach (SyncNote note in preview.Notes)
        {
            console.MarkupLineInterpolated($"  note '{note.Subject}': {note.Reason}");
        }

        if (preview.Status == SyncRunStatus.MassDeletionBlocked && preview.Message is { } blocked)
        {
            console.MarkupLineInterpolated($"A sync would stop: {blocked}");
            return ExitCodes.SyncBlocked;
        }

        return ExitCodes.Ok;
    }

    /// <summary>A refused token left the user NeedsReauthorization; the token given now is the new sign-in, so try again with it.</summary>
    private static async Task ResumeAfterRefusedTokenAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        SyncStateHeader? state = await account.State.GetHeaderAsync(account.Settings.UserId, cancellationToken).ConfigureAwait(false);
        if (state?.Status == SyncStatus.NeedsReauthorization)
        {
            await account.Engine.ResumeAsync(account.Settings.UserId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> SetStatusAsync(AccountSettings settings, SyncStatus status, CancellationToken cancellationToken)
    {
        await using LocalAccount account = LocalAccount.Open(settings, _context);
        ISyncEngine engine = account.Engine;
        await (status == SyncStatus.Paused ? engine.PauseAsync(settings.UserId, cancellationToken) : engine.ResumeAsync(settings.UserId, cancellationToken)).ConfigureAwait(false);
        _context.Console.MarkupLineInterpolated($"Sync of '{settings.UserId}' is now {(status == SyncStatus.Paused ? "paused: 'resume' starts it again" : "active")}.");
        return ExitCodes.Ok;
    }

    private static int ExitCodeOf(SyncRunStatus status) => status switch
    {
        SyncRunStatus.Synced or SyncRunStatus.NothingNew => ExitCodes.Ok,
        SyncRunStatus.NeedsReauthorization or SyncRunStatus.AdminConsentRequired => ExitCodes.NeedsReauthorization,
        SyncRunStatus.Paused or SyncRunStatus.Stopped or SyncRunStatus.AlreadyRunning or SyncRunStatus.MassDeletionBlocked or SyncRunStatus.MailboxUnavailable => ExitCodes.SyncBlocked,
        _ => ExitCodes.SyncFailures,
    };

    private async Task<int> StatusAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        await using LocalAccount account = LocalAccount.Open(settings, _context, MicrosoftAccountIfConfigured(settings));
        IAnsiConsole console = _context.Console;
        var grid = new Grid().AddColumn().AddColumn();
        foreach ((string name, string value) in settings.Describe())
        {
            grid.AddRow(new Text(name), new Text(value));
        }

        SyncStateHeader? state = await account.State.GetHeaderAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        bool connected = await account.Tokens.GetAsync(settings.UserId, cancellationToken).ConfigureAwait(false) is not null;
        string connection = connected ? "connected" : "not connected (run connect)";
        if (settings.AccessToken.IsSet)
        {
            // The given token is what sync and preview use; status does not call Outlook, so it cannot tell whether Graph accepts it.
            connection = $"the access token ({settings.AccessToken.Source}), used instead of a sign-in{(connected ? "; a sign-in is stored too" : string.Empty)}; 'preview' shows whether Outlook accepts it";
        }
        else if (connected && account.Authorization is { } authorization)
        {
            try
            {
                if (await authorization.GetConnectionAsync(settings.UserId, cancellationToken).ConfigureAwait(false) is { } signedIn)
                {
                    connection = $"{signedIn.Username} (tenant {signedIn.TenantId}; scopes {string.Join(" ", signedIn.Scopes)}; connected {signedIn.ConnectedAt}{(signedIn.PublicClient ? " as a public client, without the client secret" : " with the client secret")})";
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                connection = $"connected, but its tokens cannot be read with the key ring in {RealOutlook.KeyRingDirectory(settings)} (run connect)";
            }
        }

        int events = account.Calendar.GetAll(settings.UserId).Count;
        grid.AddRow(new Text("local events"), new Text(events.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        grid.AddRow(new Text("Microsoft account"), new Text(connection));
        grid.AddRow(new Text("sync status"), new Text(state is null ? "never synced" : Describe(state.Status)));
        if (state is not null)
        {
            int linked = (await account.State.GetLinksAsync(settings.UserId, cancellationToken).ConfigureAwait(false)).Count;
            grid.AddRow(new Text("linked events"), new Text(linked.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            grid.AddRow(new Text("first sync"), new Text(state.FirstSyncAt?.ToString() ?? "-"));
            grid.AddRow(new Text("last sync"), new Text(state.LastSyncAt?.ToString() ?? "-"));
            if (state.LastError is { Length: > 0 } error)
            {
                grid.AddRow(new Text("last error"), new Text(error));
            }
        }

        console.Write(grid);
        foreach (string problem in settings.InvalidValues())
        {
            console.MarkupLineInterpolated($"warning: the {problem}.");
        }

        bool configured = settings.ClientId.IsSet;
        if (!configured && !settings.AccessToken.IsSet)
        {
            console.MarkupLine("The Azure app is not configured yet; how to register it and where to find each value:");

            // Written as is: the console would wrap a long URL, and it must stay one line to be opened.
            await console.Profile.Out.Writer.WriteLineAsync(Documentation.GettingStarted).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private async Task<int> DisconnectAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        await using LocalAccount account = LocalAccount.Open(settings, _context, MicrosoftAccountIfConfigured(settings));
        bool signedIn = await account.Tokens.GetAsync(settings.UserId, cancellationToken).ConfigureAwait(false) is not null;
        SyncStateHeader? state = await account.State.GetHeaderAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        if (!signedIn && state?.Status == SyncStatus.Stopped)
        {
            _context.Console.MarkupLineInterpolated($"'{settings.UserId}' is already disconnected: no sign-in is stored and sync is stopped. Nothing changed.");
            return ExitCodes.Ok;
        }

        if (signedIn && account.Authorization is { } authorization)
        {
            await authorization.DisconnectAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        }
        else if (signedIn)
        {
            await account.Tokens.RemoveAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        }

        await account.Engine.StopAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        if (signedIn)
        {
            _context.Console.MarkupLineInterpolated($"Disconnected '{settings.UserId}': the Microsoft sign-in is forgotten and sync is stopped. The local events and the links are kept; 'reset' forgets the links.");
        }
        else
        {
            _context.Console.MarkupLineInterpolated($"'{settings.UserId}' had no Microsoft sign-in to forget (it was never connected, or was disconnected before). Sync is now stopped until 'resume'; the local events and the links are kept.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>The Microsoft account sign-in when the Azure app is configured; otherwise the local-only commands go without it.</summary>
    private Action<OutlookCalendarSyncBuilder>? MicrosoftAccountIfConfigured(AccountSettings settings)
    {
        try
        {
            Action<OutlookCalendarSyncBuilder> account = RealOutlook.RequireMicrosoftAccount(settings, _context);
            return builder =>
            {
                RealOutlook.RegisterUnreachable(builder);
                account(builder);
            };
        }
        catch (CliException error) when (error.ExitCode == ExitCodes.ConfigurationMissing)
        {
            return null;
        }
    }

    private async Task<int> ResetAsync(AccountSettings settings, string delete, string resync, bool yes, CancellationToken cancellationToken)
    {
        ResetDeletePolicy policy = delete switch
        {
            "outlook" => ResetDeletePolicy.DeleteInOutlook,
            "local" => ResetDeletePolicy.DeleteInHost,
            "both" => ResetDeletePolicy.DeleteBoth,
            _ => ResetDeletePolicy.KeepAll,
        };
        ResyncScope scope = resync == "all" ? ResyncScope.AllEvents : ResyncScope.NewEventsOnly;
        bool needsOutlook = policy is ResetDeletePolicy.DeleteInOutlook or ResetDeletePolicy.DeleteBoth || scope == ResyncScope.NewEventsOnly;
        Action<OutlookCalendarSyncBuilder>? outlook = needsOutlook
            ? RealOutlook.Require(settings, _context)
            : null;
        await using LocalAccount account = LocalAccount.Open(settings, _context, outlook);
        if (policy != ResetDeletePolicy.KeepAll && !yes)
        {
            int linked = (await account.State.GetLinksAsync(settings.UserId, cancellationToken).ConfigureAwait(false)).Count;
            if (linked > 0)
            {
                string deletion = $"delete the {Events(linked)} '{settings.UserId}' has synced {Where(policy)}{(policy == ResetDeletePolicy.DeleteInHost ? string.Empty : " (Outlook emails a cancellation to the attendees of meetings among them)")}";
                if (_context.AskYesNo is not { } ask)
                {
                    throw new CliException(ExitCodes.UsageError, $"reset --delete {delete} would {deletion}. Nothing can ask for confirmation here (no terminal): pass --yes to go ahead.");
                }

                if (!await ask($"Reset '{settings.UserId}' and {deletion}?", cancellationToken).ConfigureAwait(false))
                {
                    _context.Console.MarkupLine("Not reset: no event was deleted and the links are kept.");
                    return ExitCodes.Cancelled;
                }
            }
        }

        SyncResult result = await account.Engine.ResetAsync(settings.UserId, new ResetOptions(policy, scope), cancellationToken).ConfigureAwait(false);

        // The engine's message names the policy by its enum name; the tool says it in words below.
        SyncReport.Write(_context.Console, result.Failures.Count > 0 ? result : result with { Message = null });
        if (result.Status is SyncRunStatus.Synced or SyncRunStatus.SyncedWithFailures)
        {
            string next = scope == ResyncScope.NewEventsOnly ? "only events created from now on" : "every event again";
            _context.Console.MarkupLineInterpolated($"Reset '{settings.UserId}': the links between the calendars are forgotten; {Deleted(policy, result)}. The next sync brings over {next}.");
        }

        return ExitCodeOf(result.Status);
    }

    private static string Where(ResetDeletePolicy policy) => policy switch
    {
        ResetDeletePolicy.DeleteInOutlook => "in Outlook",
        ResetDeletePolicy.DeleteInHost => "in the local calendar",
        _ => "on both sides, in Outlook and in the local calendar",
    };

    private static string Deleted(ResetDeletePolicy policy, SyncResult result) => policy switch
    {
        ResetDeletePolicy.DeleteInOutlook => $"{Events(result.Outlook.Deleted)} deleted in Outlook, the local ones kept",
        ResetDeletePolicy.DeleteInHost => $"{Events(result.Host.Deleted)} deleted in the local calendar, the Outlook ones kept",
        ResetDeletePolicy.DeleteBoth => $"{Events(result.Outlook.Deleted)} deleted in Outlook and {Events(result.Host.Deleted)} in the local calendar",
        _ => "no event was deleted on either side",
    };

    private static string Events(int count) => count == 1 ? "1 event" : $"{count} events";

    private static string Describe(SyncStatus status) => status switch
    {
        SyncStatus.Active => "active",
        SyncStatus.Paused => "Paused: 'resume' starts it again",
        SyncStatus.Stopped => "Stopped (disconnected): 'resume' starts it again",
        SyncStatus.NeedsReauthorization => "the Microsoft account must be connected again: run 'connect', or give a fresh access token",
        _ => status.ToString(),
    };
}
