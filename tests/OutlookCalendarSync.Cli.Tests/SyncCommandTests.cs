using NodaTime;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Cli.Tests;

/// <summary>The real-account commands with an access token, against the Graph emulator on loopback (never Microsoft).</summary>
public sealed class SyncCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private GraphEmulator _emulator = null!;

    public async Task InitializeAsync()
        => _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { ResolveMailbox = token => token == "revoked" ? null : token });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_SyncWithAccessToken_PushesLocalEventsThenMakesNoWrites()
    {
        AddLocalEvent("Sprint planning", days: 2);
        AddLocalEvent("Design review", days: 3);

        CliRun first = Cli("ada");
        int firstExit = await first.RunAsync("sync");
        CliRun second = Cli("ada");
        int secondExit = await second.RunAsync("sync");

        Assert.True(firstExit == ExitCodes.Ok, first.Output + first.Error);
        Assert.Contains("synced, 2 writes", first.Output, StringComparison.Ordinal);
        Assert.Equal(2, _emulator.GetEvents("ada").Count);
        Assert.Equal(ExitCodes.Ok, secondExit);
        Assert.Contains("nothing new, 0 writes", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("token-secret", first.Output + first.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PreviewWithAccessToken_CountsPerSideAndInvitations()
    {
        AddLocalEvent("Sprint planning", days: 2, attendees: 2);
        string day = (SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(5)).InUtc().Date.ToString("yyyy-MM-dd", null);
        _emulator.AddEvent("ada", $$$"""{"subject":"Dentist","start":{"dateTime":"{{{day}}}T08:00:00","timeZone":"UTC"},"end":{"dateTime":"{{{day}}}T09:00:00","timeZone":"UTC"}}""");

        CliRun cli = Cli("ada");
        int exitCode = await cli.RunAsync("preview");

        Assert.True(exitCode == ExitCodes.Ok, cli.Output + cli.Error);
        Assert.Matches(@"Outlook\s*│\s*1\s*│\s*0\s*│\s*0", cli.Output);
        Assert.Matches(@"local\s*│\s*1\s*│\s*0\s*│\s*0", cli.Output);
        Assert.Contains("about 2", cli.Output, StringComparison.Ordinal);
        Assert.Single(_emulator.GetEvents("ada"));
    }

    [Fact]
    public async Task RunAsync_SyncWithRefusedToken_NeedsReauthorizationExitCode()
    {
        AddLocalEvent("Sprint planning", days: 2);

        CliRun cli = Cli("revoked");
        int exitCode = await cli.RunAsync("sync");

        Assert.True(exitCode == ExitCodes.NeedsReauthorization, cli.Output + cli.Error);
    }

    [Fact]
    public async Task RunAsync_SyncWithGoodTokenAfterRefusedOne_Syncs()
    {
        AddLocalEvent("Sprint planning", days: 2);
        var environment = new Dictionary<string, string?>
        {
            [AccountSettings.DatabaseVariable] = _folder.File("calendar.db"),
            [AccountSettings.UserVariable] = "ada",
            [AccountSettings.GraphUrlVariable] = _emulator.GraphBaseUrl.ToString(),
        };
        await new CliRun(new Dictionary<string, string?>(environment) { [AccountSettings.AccessTokenVariable] = "revoked" }).RunAsync("sync");

        var cli = new CliRun(environment);
        int exitCode = await cli.RunAsync("sync", "--access-token", "ada");

        Assert.True(exitCode == ExitCodes.Ok, cli.Output + cli.Error);
        Assert.Single(_emulator.GetEvents("ada"));
    }

    [Fact]
    public async Task RunAsync_PauseThenResume_SyncBlockedThenRuns()
    {
        AddLocalEvent("Sprint planning", days: 2);
        await Cli("ada").RunAsync("pause");
        int paused = await Cli("ada").RunAsync("sync");
        await Cli("ada").RunAsync("resume");
        int resumed = await Cli("ada").RunAsync("sync");

        Assert.Equal(ExitCodes.SyncBlocked, paused);
        Assert.Equal(ExitCodes.Ok, resumed);
        Assert.Single(_emulator.GetEvents("ada"));
    }

    [Fact]
    public async Task RunAsync_SyncAfterDisconnect_BlockedExitCode()
    {
        AddLocalEvent("Sprint planning", days: 2);
        await Cli("ada").RunAsync("disconnect");

        CliRun cli = Cli("ada");
        int exitCode = await cli.RunAsync("sync");

        Assert.Equal(ExitCodes.SyncBlocked, exitCode);
        Assert.Empty(_emulator.GetEvents("ada"));
    }

    [Fact]
    public async Task RunAsync_SyncWithGraphUrlNotAbsolute_ConfigurationExitCode()
    {
        CliRun cli = Cli("ada");

        int exitCode = await cli.RunAsync("sync", "--graph-url", "graph.local");

        Assert.Equal(ExitCodes.ConfigurationMissing, exitCode);
        Assert.Contains("graph.local", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResetDeleteOutlookWithoutTerminalOrYes_RefusesAndDeletesNothing()
    {
        AddLocalEvent("Sprint planning", days: 2, attendees: 2);
        await Cli("ada").RunAsync("sync");

        CliRun cli = Cli("ada");
        int exitCode = await cli.RunAsync("reset", "--delete", "outlook");

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("would delete the 1 event 'ada' has synced in Outlook", cli.Error, StringComparison.Ordinal);
        Assert.Contains("--yes", cli.Error, StringComparison.Ordinal);
        Assert.Single(_emulator.GetEvents("ada"));
    }

    [Fact]
    public async Task RunAsync_ResetDeleteOutlookAnsweredNo_CancelledAndDeletesNothing()
    {
        AddLocalEvent("Sprint planning", days: 2, attendees: 2);
        await Cli("ada").RunAsync("sync");
        string? question = null;
        CliRun cli = Cli("ada");
        cli.Context = cli.Context with
        {
            AskYesNo = (asked, _) =>
            {
                question = asked;
                return Task.FromResult(false);
            },
        };

        int exitCode = await cli.RunAsync("reset", "--delete", "outlook");

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Equal("Reset 'ada' and delete the 1 event 'ada' has synced in Outlook (Outlook emails a cancellation to the attendees of meetings among them)?", question);
        Assert.Contains("Not reset", cli.Output, StringComparison.Ordinal);
        Assert.Single(_emulator.GetEvents("ada"));
    }

    [Fact]
    public async Task RunAsync_ResetDeleteOutlookAnsweredYes_DeletesAndSaysThePolicyInWords()
    {
        AddLocalEvent("Sprint planning", days: 2, attendees: 2);
        await Cli("ada").RunAsync("sync");
        CliRun cli = Cli("ada");
        cli.Context = cli.Context with { AskYesNo = (_, _) => Task.FromResult(true) };

        int exitCode = await cli.RunAsync("reset", "--delete", "outlook");

        Assert.True(exitCode == ExitCodes.Ok, cli.Output + cli.Error);
        Assert.Empty(_emulator.GetEvents("ada"));
        Assert.Contains("1 event deleted in Outlook, the local ones kept", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DeleteInOutlook", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResetDeleteOutlookWithYes_DeletesWithoutAsking()
    {
        AddLocalEvent("Sprint planning", days: 2, attendees: 2);
        await Cli("ada").RunAsync("sync");
        CliRun cli = Cli("ada");
        cli.Context = cli.Context with { AskYesNo = (_, _) => throw new InvalidOperationException("--yes must not ask") };

        int exitCode = await cli.RunAsync("reset", "--delete", "outlook", "--yes");

        Assert.True(exitCode == ExitCodes.Ok, cli.Output + cli.Error);
        Assert.Empty(_emulator.GetEvents("ada"));
        Assert.Contains("1 event deleted in Outlook, the local ones kept", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StatusWithAccessToken_SaysTheTokenIsUsedNotThatItIsNotConnected()
    {
        CliRun cli = Cli("ada-token-value");

        int exitCode = await cli.RunAsync("status");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("the access token (environment variable OCS_ACCESS_TOKEN), used instead of a sign-in", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not connected", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not configured", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ada-token-value", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PreviewOfSeriesWithMovedOccurrence_CountsTheOccurrenceTheRunCreates()
    {
        var store = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = _folder.File("calendar.db") });
        LocalDate monday = (SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(7)).InUtc().Date.Next(IsoDayOfWeek.Monday);
        CalendarEvent series = store.AddByUser("ada", new CalendarEvent
        {
            Subject = "Stand-up",
            Timing = EventTiming.Timed(monday.At(new LocalTime(9, 0)), monday.At(new LocalTime(9, 15)), "Europe/London"),
            Attendees = [Attendee.Create("grace@contoso.example")],
            Recurrence = new Recurrence(RecurrenceFrequency.Weekly, monday, "Europe/London", daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday], firstDayOfWeek: IsoDayOfWeek.Monday),
        });
        store.AddByUser("ada", new CalendarEvent
        {
            Subject = "Stand-up (moved)",
            Timing = EventTiming.Timed(monday.PlusDays(2).At(new LocalTime(10, 0)), monday.PlusDays(2).At(new LocalTime(10, 15)), "Europe/London"),
            Attendees = [Attendee.Create("grace@contoso.example")],
            SeriesMasterId = series.Id,
            OriginalStart = monday.PlusDays(2).At(new LocalTime(9, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).ToInstant(),
        });

        CliRun preview = Cli("ada");
        int previewExit = await preview.RunAsync("preview");
        CliRun sync = Cli("ada");
        await sync.RunAsync("sync");

        Assert.True(previewExit == ExitCodes.Ok, preview.Output + preview.Error);
        Assert.Matches(@"Outlook\s*│\s*2\s*│\s*0\s*│\s*0", preview.Output);
        Assert.Contains("about 2.", preview.Output, StringComparison.Ordinal);
        Assert.Matches(@"Outlook\s*│\s*2\s*│\s*0\s*│\s*0", sync.Output);
    }

    private CliRun Cli(string token) => new(new Dictionary<string, string?>
    {
        [AccountSettings.DatabaseVariable] = _folder.File("calendar.db"),
        [AccountSettings.UserVariable] = "ada",
        [AccountSettings.AccessTokenVariable] = token,
        [AccountSettings.GraphUrlVariable] = _emulator.GraphBaseUrl.ToString(),
    });

    private void AddLocalEvent(string subject, int days, int attendees = 0)
    {
        var store = new SqliteCalendarStore(new SqliteStoreOptions { DatabasePath = _folder.File("calendar.db") });
        Instant start = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(days);
        store.AddByUser("ada", new CalendarEvent
        {
            Subject = subject,
            Timing = EventTiming.Timed(start.InUtc(), (start + Duration.FromHours(1)).InUtc()),
            Attendees = Enumerable.Range(1, attendees).Select(i => Attendee.Create($"guest{i}@contoso.example")).ToList(),
        });
    }
}
