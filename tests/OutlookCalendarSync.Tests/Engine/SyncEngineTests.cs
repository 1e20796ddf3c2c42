using NodaTime;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Tests.Support;
using static OutlookCalendarSync.Tests.Support.SyncHarness;

namespace OutlookCalendarSync.Tests.Engine;

public sealed class SyncEngineTests : IDisposable
{
    private readonly SyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task SyncAsync_FirstSync_CreatesEachSidesEventsOnTheOther()
    {
        _h.Local.AddByUser(User, Meeting("Host meeting"));
        _h.Remote.AddByUser(User, Meeting("Outlook meeting", day: 2));

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Equal(1, result.Outlook.Created);
        Assert.Equal(1, result.Host.Created);
        Assert.True(result.WasFullResync);
        _h.AssertConverged();
        Assert.Equal(2, (await _h.State.LoadStateAsync(User)).Links.Count);
    }

    [Fact]
    public async Task SyncAsync_SecondRun_MakesNoWritesOnEitherSide()
    {
        _h.Local.AddByUser(User, Meeting("Host meeting"));
        _h.Remote.AddByUser(User, Meeting("Outlook meeting", day: 2));
        await _h.SyncAsync();
        _h.Local.ResetCounters();
        _h.Remote.ResetCounters();

        SyncResult second = await _h.SyncAsync();

        Assert.Equal(SyncRunStatus.NothingNew, second.Status);
        Assert.Equal(0, second.TotalWrites);
        Assert.Equal(0, _h.Local.WriteCount);
        Assert.Equal(0, _h.Remote.WriteCount);
    }

    [Fact]
    public async Task SyncAsync_LocalEdit_PatchesOutlookAndTheEchoMakesNoWrite()
    {
        CalendarEvent local = _h.Local.AddByUser(User, Meeting("Planning"));
        await _h.SyncAsync();
        _h.Tick();
        _h.Local.UpdateByUser(User, local.Id!, e => e with { Subject = "Planning v2" });

        SyncResult result = await _h.SyncAsync();
        SyncResult echo = await _h.SyncAsync();

        Assert.Equal(1, result.Outlook.Updated);
        Assert.Equal("Planning v2", Assert.Single(_h.Remote.GetAll(User)).Subject);
        Assert.Equal(0, echo.TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_RemoteEdit_UpdatesTheHost()
    {
        CalendarEvent remote = _h.Remote.AddByUser(User, Meeting("Review"));
        await _h.SyncAsync();
        _h.Tick();
        _h.Remote.UpdateByUser(User, remote.Id!, e => e with { Location = "Room 4" });

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(1, result.Host.Updated);
        Assert.Equal("Room 4", Assert.Single(_h.Local.GetAll(User)).Location);
    }

    [Fact]
    public async Task SyncAsync_ConflictingEdits_MergeFieldsAndReportTheConflict()
    {
        CalendarEvent local = _h.Local.AddByUser(User, Meeting("Planning"));
        await _h.SyncAsync();
        string remoteId = Assert.Single(_h.Remote.GetAll(User)).Id!;
        _h.Tick();
        _h.Local.UpdateByUser(User, local.Id!, e => e with { Subject = "Planning (host)" });
        _h.Tick();
        _h.Remote.UpdateByUser(User, remoteId, e => e with { Location = "Room 9" });

        SyncResult result = await _h.SyncAsync();

        ConflictReportAssert(result);
        _h.AssertConverged();
        CalendarEvent merged = Assert.Single(_h.Local.GetAll(User));
        Assert.Equal("Planning (host)", merged.Subject);
        Assert.Equal("Room 9", merged.Location);
        Assert.Equal(0, (await _h.SyncAsync()).TotalWrites);

        static void ConflictReportAssert(SyncResult result) => Assert.Equal(ConflictWinner.Merged, Assert.Single(result.Conflicts).Winner);
    }

    [Fact]
    public async Task SyncAsync_DeletionOnEitherSide_DeletesOnTheOtherOnce()
    {
        CalendarEvent a = _h.Local.AddByUser(User, Meeting("A"));
        CalendarEvent b = _h.Remote.AddByUser(User, Meeting("B", day: 2));
        await _h.SyncAsync();
        _h.Local.DeleteByUser(User, a.Id!);
        _h.Remote.DeleteByUser(User, b.Id!);

        SyncResult result = await _h.SyncAsync();
        SyncResult again = await _h.SyncAsync();

        Assert.Equal(1, result.Outlook.Deleted);
        Assert.Equal(1, result.Host.Deleted);
        Assert.Empty(_h.Local.GetAll(User));
        Assert.Empty(_h.Remote.GetAll(User));
        Assert.Equal(0, again.TotalWrites);
        Assert.Empty((await _h.State.LoadStateAsync(User)).Links);
    }

    [Fact]
    public async Task SyncAsync_FailedCreate_LeavesNoLinkAndIsRetriedOnce()
    {
        _h.Local.AddByUser(User, Meeting("Flaky"));
        _h.Remote.FailNextWrites(1);

        SyncResult failed = await _h.SyncAsync();
        SyncResult retried = await _h.SyncAsync();

        Assert.Equal(SyncRunStatus.SyncedWithFailures, failed.Status);
        SyncFailure failure = Assert.Single(failed.Failures);
        Assert.Equal(SyncSide.Outlook, failure.Side);
        Assert.True(failure.WillRetry);
        Assert.Equal(1, retried.Outlook.Created);
        Assert.Single(_h.Remote.GetAll(User));
        _h.AssertConverged();
    }

    [Fact]
    public async Task SyncAsync_FailedUpdate_KeepsTheBaseAndIsRetried()
    {
        CalendarEvent local = _h.Local.AddByUser(User, Meeting("Planning"));
        await _h.SyncAsync();
        _h.Local.UpdateByUser(User, local.Id!, e => e with { Subject = "Renamed" });
        _h.Remote.FailNextWrites(1);

        SyncResult failed = await _h.SyncAsync();
        SyncResult retried = await _h.SyncAsync();

        Assert.Single(failed.Failures);
        Assert.Equal(1, retried.Outlook.Updated);
        Assert.Equal("Renamed", Assert.Single(_h.Remote.GetAll(User)).Subject);
    }

    [Fact]
    public async Task SyncAsync_CrashAfterSomeWritesThenRerun_ConvergesWithoutDuplicates()
    {
        for (int i = 1; i <= 5; i++)
        {
            _h.Local.AddByUser(User, Meeting($"Host {i}", day: i));
            _h.Remote.AddByUser(User, Meeting($"Outlook {i}", day: i + 10));
        }

        _h.Remote.CrashAfterWrites(2);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _h.SyncAsync());
        _h.Remote.ClearFaults();

        await _h.SyncAsync();

        Assert.Equal(10, _h.Remote.GetAll(User).Count);
        Assert.Equal(10, _h.Local.GetAll(User).Count);
        _h.AssertConverged();
        Assert.Equal(0, (await _h.SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_ExpiredDeltaLink_ResyncsInFullWithoutDuplicates()
    {
        _h.Local.AddByUser(User, Meeting("A"));
        _h.Remote.AddByUser(User, Meeting("B", day: 2));
        await _h.SyncAsync();
        _h.Remote.ExpireCursors(User);
        _h.Local.ExpireCursors(User);

        SyncResult result = await _h.SyncAsync();

        Assert.True(result.WasFullResync);
        Assert.Equal(0, result.TotalWrites);
        Assert.Equal(2, _h.Remote.GetAll(User).Count);
    }

    [Fact]
    public async Task SyncAsync_OutlookEventMovedOutOfTheWindow_IsUpdatedNotDeletedLocally()
    {
        CalendarEvent remote = _h.Remote.AddByUser(User, Meeting("Moving"));
        await _h.SyncAsync();
        _h.Remote.UpdateByUser(User, remote.Id!, e => e with { Timing = EventTiming.AllDay(new LocalDate(2031, 6, 1), new LocalDate(2031, 6, 2)) });

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(0, result.Host.Deleted);
        CalendarEvent local = Assert.Single(_h.Local.GetAll(User));
        Assert.Equal(new LocalDate(2031, 6, 1), local.Timing.StartDate);
    }

    [Fact]
    public async Task SyncAsync_MassDeletion_IsBlockedAndWritesNothing()
    {
        var ids = new List<string>();
        for (int i = 1; i <= 12; i++)
        {
            ids.Add(_h.Local.AddByUser(User, Meeting($"E{i}", day: i)).Id!);
        }

        await _h.SyncAsync();
        ids.ForEach(id => _h.Local.DeleteByUser(User, id));
        _h.Remote.ResetCounters();

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(SyncRunStatus.MassDeletionBlocked, result.Status);
        Assert.Contains("AllowMassDeletion", result.Message);
        Assert.Equal(0, _h.Remote.WriteCount);
        Assert.Equal(12, _h.Remote.GetAll(User).Count);
    }

    [Fact]
    public async Task SyncAsync_WhilePaused_DoesNothingUntilResumed()
    {
        _h.Local.AddByUser(User, Meeting("A"));
        await _h.Engine.PauseAsync(User);

        SyncResult paused = await _h.SyncAsync();
        await _h.Engine.ResumeAsync(User);
        SyncResult resumed = await _h.SyncAsync();

        Assert.Equal(SyncRunStatus.Paused, paused.Status);
        Assert.Equal(1, resumed.Outlook.Created);
    }

    [Fact]
    public async Task SyncAsync_Stopped_ReturnsStopped()
    {
        await _h.Engine.StopAsync(User);
        Assert.Equal(SyncRunStatus.Stopped, (await _h.SyncAsync()).Status);
    }

    [Fact]
    public async Task SyncAsync_LeaseHeldByAnotherRun_ReturnsAlreadyRunning()
    {
        SyncLease? lease = await _h.State.TryAcquireLeaseAsync(User, Duration.FromMinutes(5), CancellationToken.None);
        Assert.NotNull(lease);

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(SyncRunStatus.AlreadyRunning, result.Status);
    }

    [Fact]
    public async Task SyncAsync_TwoUsers_AreIndependent()
    {
        _h.Local.AddByUser("alice", Meeting("Alice's"));
        _h.Local.AddByUser("bob", Meeting("Bob's"));

        SyncResult[] results = await Task.WhenAll(_h.SyncAsync("alice"), _h.SyncAsync("bob"));

        Assert.All(results, r => Assert.Equal(1, r.Outlook.Created));
        Assert.Equal("Alice's", Assert.Single(_h.Remote.GetAll("alice")).Subject);
        Assert.Equal("Bob's", Assert.Single(_h.Remote.GetAll("bob")).Subject);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task SyncAsync_NoUserId_ThrowsNamingTheArgument(string? userId)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _h.Engine.SyncAsync(userId!));
        Assert.Equal("userId", ex.ParamName);
    }

    [Fact]
    public async Task PreviewAsync_CountsCreatesAndInvitationsWithoutWriting()
    {
        _h.Local.AddByUser(User, Meeting("Kick-off") with { Attendees = [Attendee.Create("ann@example.com"), Attendee.Create("bob@example.com")] });

        SyncPreview preview = await _h.Engine.PreviewAsync(User);

        Assert.Equal(1, preview.OutlookCreates);
        Assert.Equal(2, preview.InvitationEmails);
        Assert.Empty(_h.Remote.GetAll(User));
        Assert.Equal(0, (await _h.Engine.GetStatusAsync(User)).Revision);
    }

    [Theory]
    [InlineData(ResetDeletePolicy.KeepAll, 1, 1)]
    [InlineData(ResetDeletePolicy.DeleteInOutlook, 1, 0)]
    [InlineData(ResetDeletePolicy.DeleteInHost, 0, 1)]
    [InlineData(ResetDeletePolicy.DeleteBoth, 0, 0)]
    public async Task ResetAsync_DeletePolicy_DeletesTheChosenSides(ResetDeletePolicy policy, int localLeft, int remoteLeft)
    {
        _h.Local.AddByUser(User, Meeting("A"));
        await _h.SyncAsync();

        SyncResult reset = await _h.Engine.ResetAsync(User, new ResetOptions(policy));

        Assert.Empty(reset.Failures);
        Assert.Equal(localLeft, _h.Local.GetAll(User).Count);
        Assert.Equal(remoteLeft, _h.Remote.GetAll(User).Count);
        Assert.Empty((await _h.State.LoadStateAsync(User)).Links);
    }

    [Fact]
    public async Task ResetAsync_NewEventsOnly_DoesNotResyncExistingEvents()
    {
        _h.Local.AddByUser(User, Meeting("A"));
        await _h.SyncAsync();
        await _h.Engine.ResetAsync(User, new ResetOptions(ResetDeletePolicy.DeleteInOutlook, ResyncScope.NewEventsOnly));
        _h.Local.AddByUser(User, Meeting("B", day: 3));

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(1, result.Outlook.Created);
        Assert.Equal("B", Assert.Single(_h.Remote.GetAll(User)).Subject);
    }

    [Fact]
    public async Task ResetAsync_AllEvents_RelinksWithoutDuplicates()
    {
        _h.Local.AddByUser(User, Meeting("A"));
        _h.Remote.AddByUser(User, Meeting("B", day: 2));
        await _h.SyncAsync();
        await _h.Engine.ResetAsync(User, new ResetOptions(ResetDeletePolicy.KeepAll, ResyncScope.AllEvents));

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(0, result.TotalWrites);
        Assert.Equal(2, result.Linked);
        Assert.Equal(2, _h.Remote.GetAll(User).Count);
    }
}
