using System.CommandLine;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Cli.Rendering;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reconciliation;
using Spectre.Console;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>The real-account commands: connect, sync, preview, status, disconnect, reset.</summary>
internal sealed class AccountCommands
{
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

    public AccountCommands(CliContext context)
    {
        _context = context;
        _delete.AcceptOnlyFromAmong("keep", "outlook", "local", "both");
        _resync.AcceptOnlyFromAmong("new", "all");
        Commands =
        [
            Create("connect", "Signs in to the Microsoft account whose Outlook calendar is synced (opens the browser, listens on the redirect URI)", includeApp: true, ConnectAsync),
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

    private Command CreateReset()
    {
        var command = new Command("reset", "Forgets the links between the two calendars, optionally deleting the synced events on one or both sides");
        _options.AddTo(command, includeApp: true);
        command.Add(_delete);
        command.Add(_resync);
        command.SetAction((parse, cancellationToken) => ResetAsync(_options.Resolve(parse, _context), parse.GetValue(_delete)!, parse.GetValue(_resync)!, cancellationToken));
        return command;
    }

    private Task<int> ConnectAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        settings.RequireAzureApp();
        throw RealOutlook.NotAvailable("Connecting a Microsoft account", settings);
    }

    private async Task<int> SyncAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        Action<OutlookCalendarSyncBuilder> outlook = RealOutlook.Require("Syncing with a real Outlook calendar", settings);
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
        Action<OutlookCalendarSyncBuilder> outlook = RealOutlook.Require("Previewing a sync with a real Outlook calendar", settings);
        await using LocalAccount account = LocalAccount.Open(settings, _context, outlook);
        await ResumeAfterRefusedTokenAsync(account, cancellationToken).ConfigureAwait(false);
        SyncPreview preview = await account.Engine.PreviewAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        IAnsiConsole console = _context.Console;
        if (preview.Plan is not { } plan)
        {
            console.MarkupLineInterpolated($"Nothing to preview: {SyncProgressDisplay.Describe(preview.Status)}. {preview.Message}");
            return ExitCodeOf(preview.Status);
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("side");
        table.AddColumn(new TableColumn("would create").RightAligned());
        table.AddColumn(new TableColumn("would update").RightAligned());
        table.AddColumn(new TableColumn("would delete").RightAligned());
        foreach ((string name, SyncSide side) in new[] { ("Outlook", SyncSide.Remote), ("local", SyncSide.Local) })
        {
            table.AddRow(
                name,
                plan.CountWrites(side, WriteKind.Create).ToString(System.Globalization.CultureInfo.InvariantCulture),
                plan.CountWrites(side, WriteKind.Update).ToString(System.Globalization.CultureInfo.InvariantCulture),
                plan.CountWrites(side, WriteKind.Delete).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Invitation emails Outlook would send to attendees: about {preview.InvitationEmails}.");
        foreach (ConflictReport conflict in plan.Conflicts)
        {
            console.MarkupLineInterpolated($"  conflict '{conflict.Subject}': {conflict.Explanation} (winner: {SyncReport.Winner(conflict.Winner)})");
        }

        foreach (SyncNote note in plan.Notes)
        {
            console.MarkupLineInterpolated($"  note '{note.Subject}': {note.Reason}");
        }

        if (plan.BlockedReason is { } blocked)
        {
            console.MarkupLineInterpolated($"A sync would stop: {blocked}");
            return ExitCodes.SyncBlocked;
        }

        return ExitCodes.Ok;
    }

    /// <summary>A refused token left the user NeedsReauthorization; the token given now is the new sign-in, so try again with it.</summary>
    private static async Task ResumeAfterRefusedTokenAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        SyncState? state = await account.State.LoadAsync(account.Settings.UserId, cancellationToken).ConfigureAwait(false);
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
        SyncRunStatus.NeedsReauthorization => ExitCodes.NeedsReauthorization,
        SyncRunStatus.Paused or SyncRunStatus.Stopped or SyncRunStatus.AlreadyRunning or SyncRunStatus.MassDeletionBlocked => ExitCodes.SyncBlocked,
        _ => ExitCodes.SyncFailures,
    };

    private async Task<int> StatusAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        await using LocalAccount account = LocalAccount.Open(settings, _context);
        IAnsiConsole console = _context.Console;
        var grid = new Grid().AddColumn().AddColumn();
        foreach ((string name, string value) in settings.Describe())
        {
            grid.AddRow(new Text(name), new Text(value));
        }

        SyncState? state = await account.State.LoadAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        bool connected = await account.Tokens.GetAsync(settings.UserId, cancellationToken).ConfigureAwait(false) is not null;
        int events = account.Calendar.GetAll(settings.UserId).Count;
        grid.AddRow(new Text("local events"), new Text(events.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        grid.AddRow(new Text("Microsoft account"), new Text(connected ? "connected" : "not connected (run connect)"));
        grid.AddRow(new Text("sync status"), new Text(state is null ? "never synced" : state.Status.ToString()));
        if (state is not null)
        {
            grid.AddRow(new Text("linked events"), new Text(state.Links.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            grid.AddRow(new Text("first sync"), new Text(state.FirstSyncAt?.ToString() ?? "-"));
            grid.AddRow(new Text("last sync"), new Text(state.LastSyncAt?.ToString() ?? "-"));
            if (state.LastError is { Length: > 0 } error)
            {
                grid.AddRow(new Text("last error"), new Text(error));
            }
        }

        console.Write(grid);
        bool configured = settings.ClientId.IsSet && settings.ClientSecret.IsSet;
        if (!configured)
        {
            console.MarkupLine("The Azure app is not configured yet: docs/getting-started.md shows how.");
        }

        return ExitCodes.Ok;
    }

    private async Task<int> DisconnectAsync(AccountSettings settings, CancellationToken cancellationToken)
    {
        await using LocalAccount account = LocalAccount.Open(settings, _context);
        await account.Tokens.RemoveAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        await account.Engine.StopAsync(settings.UserId, cancellationToken).ConfigureAwait(false);
        _context.Console.MarkupLineInterpolated($"Disconnected '{settings.UserId}': the Microsoft sign-in is forgotten and sync is stopped. The local events and the links are kept; 'reset' forgets the links.");
        return ExitCodes.Ok;
    }

    private async Task<int> ResetAsync(AccountSettings settings, string delete, string resync, CancellationToken cancellationToken)
    {
        ResetDeletePolicy policy = delete switch
        {
            "outlook" => ResetDeletePolicy.DeleteInOutlook,
            "local" => ResetDeletePolicy.DeleteLocally,
            "both" => ResetDeletePolicy.DeleteBoth,
            _ => ResetDeletePolicy.KeepAll,
        };
        ResyncScope scope = resync == "all" ? ResyncScope.AllEvents : ResyncScope.NewEventsOnly;
        bool needsOutlook = policy is ResetDeletePolicy.DeleteInOutlook or ResetDeletePolicy.DeleteBoth || scope == ResyncScope.NewEventsOnly;
        Action<OutlookCalendarSyncBuilder>? outlook = needsOutlook
            ? RealOutlook.Require($"reset --delete {delete} --resync {resync} (it reads or deletes Outlook events; 'reset --delete keep|local --resync all' works offline)", settings)
            : null;
        await using LocalAccount account = LocalAccount.Open(settings, _context, outlook);
        SyncResult result = await account.Engine.ResetAsync(settings.UserId, new ResetOptions(policy, scope), cancellationToken).ConfigureAwait(false);
        SyncReport.Write(_context.Console, result);
        return ExitCodeOf(result.Status);
    }
}
