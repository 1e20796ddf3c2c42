using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Testing;

public sealed class FaultInjectionTests
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));
    private readonly InMemoryCalendarStore _store;
    private readonly InMemoryOutlookCalendar _outlook;

    public FaultInjectionTests()
    {
        _store = new InMemoryCalendarStore(_clock);
        _outlook = new InMemoryOutlookCalendar(_clock);
    }

    [Fact]
    public async Task FailNextWrites_Store_ThrowsForCountWritesThenRecovers()
    {
        _store.FailNextWrites(2);

        await Assert.ThrowsAsync<IOException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("a")), default));
        await Assert.ThrowsAsync<IOException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("b")), default));
        CalendarEvent c = await _store.CreateAsync(UserId, EventWrite.Create(InWindow("c")), default);

        Assert.Equal("c", Assert.Single(_store.GetAll(UserId)).Subject);
        Assert.Equal("c", c.Subject);
        Assert.Equal(3, _store.CreateCount);
    }

    [Theory]
    [InlineData(WriteStatus.TransientFailure, typeof(IOException))]
    [InlineData(WriteStatus.PermanentFailure, typeof(InvalidOperationException))]
    [InlineData(WriteStatus.VersionConflict, typeof(EventVersionConflictException))]
    [InlineData(WriteStatus.NotFound, typeof(EventNotFoundException))]
    public async Task FailNextWrites_StoreStatus_ThrowsMatchingExceptionAndLeavesEventUnchanged(WriteStatus status, Type expected)
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        _store.FailNextWrites(1, status);

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => _store.UpdateAsync(UserId, UpdateOf(a with { Subject = "b" }, EventFields.Subject), default));

        Assert.IsType(expected, error);
        Assert.Equal(a, Assert.Single(_store.GetAll(UserId)));
    }

    [Fact]
    public async Task FailNextWrites_StoreWithFilter_FailsOnlyMatchingWrites()
    {
        CalendarEvent a = _store.AddByUser(UserId, InWindow("a"));
        _store.FailNextWrites(1, WriteStatus.TransientFailure, w => w.Kind == WriteKind.Delete);

        await _store.CreateAsync(UserId, EventWrite.Create(InWindow("b")), default);
        await Assert.ThrowsAsync<IOException>(() => _store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, null), default));
        await _store.DeleteAsync(UserId, EventWrite.Delete(a.Id!, null), default);

        Assert.Equal("b", Assert.Single(_store.GetAll(UserId)).Subject);
    }

    [Fact]
    public async Task FailNextWrites_Outlook_ReturnsFailuresWithGraphCodesAndWritesNothing()
    {
        _outlook.FailNextWrites(1);
        _outlook.FailNextWrites(1, WriteStatus.PermanentFailure);

        IReadOnlyList<EventWriteResult> results = await _outlook.WriteAsync(
            UserId,
            [EventWrite.Create(InWindow("a")), EventWrite.Create(InWindow("b")), EventWrite.Create(InWindow("c"))],
            default);

        Assert.Equal((WriteStatus.TransientFailure, "TooManyRequests"), (results[0].Status, results[0].ErrorCode));
        Assert.Equal((WriteStatus.PermanentFailure, "ErrorInvalidRequest"), (results[1].Status, results[1].ErrorCode));
        Assert.True(results[2].Succeeded);
        Assert.Equal("c", Assert.Single(_outlook.GetAll(UserId)).Subject);
    }

    [Fact]
    public async Task FailNextWrites_OutlookWithFilter_FailsOnlyMatchingWrites()
    {
        _outlook.FailNextWrites(5, WriteStatus.TransientFailure, w => w is EventCreate { Event.Subject: "flaky" });

        IReadOnlyList<EventWriteResult> results = await _outlook.WriteAsync(
            UserId,
            [EventWrite.Create(InWindow("ok")), EventWrite.Create(InWindow("flaky"))],
            default);

        Assert.Equal(new[] { WriteStatus.Succeeded, WriteStatus.TransientFailure }, results.Select(r => r.Status));
    }

    [Fact]
    public void FailNextWrites_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _outlook.FailNextWrites(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.FailNextWrites(1, WriteStatus.Succeeded));
    }

    [Fact]
    public async Task CrashAfterWrites_Store_CrashesAfterNSuccessfulWritesUntilCleared()
    {
        _store.CrashAfterWrites(2);

        await _store.CreateAsync(UserId, EventWrite.Create(InWindow("a")), default);
        await _store.CreateAsync(UserId, EventWrite.Create(InWindow("b")), default);
        var crash = await Assert.ThrowsAsync<OperationCanceledException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("c")), default));
        await Assert.ThrowsAsync<OperationCanceledException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("d")), default));

        Assert.Contains("simulated crash", crash.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], _store.GetAll(UserId).Select(e => e.Subject));

        _store.ClearFaults();

        await _store.CreateAsync(UserId, EventWrite.Create(InWindow("e")), default);
        Assert.Equal(3, _store.GetAll(UserId).Count);
    }

    [Fact]
    public async Task CrashAfterWrites_FailedWrites_DoNotCountTowardsCrashPoint()
    {
        _store.CrashAfterWrites(1);
        await Assert.ThrowsAsync<EventNotFoundException>(() => _store.DeleteAsync(UserId, EventWrite.Delete("local-404", null), default));
        _store.FailNextWrites(1);
        await Assert.ThrowsAsync<IOException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("a")), default));

        await _store.CreateAsync(UserId, EventWrite.Create(InWindow("b")), default);

        await Assert.ThrowsAsync<OperationCanceledException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("c")), default));
    }

    [Fact]
    public async Task CrashAfterWrites_Zero_CrashesOnNextWrite()
    {
        _outlook.CrashAfterWrites(0);

        await Assert.ThrowsAsync<OperationCanceledException>(() => _outlook.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default));

        Assert.Empty(_outlook.GetAll(UserId));
    }

    [Fact]
    public async Task CrashAfterWrites_OutlookMidBatch_KeepsEarlierWritesAndThrows()
    {
        _outlook.CrashAfterWrites(2);

        await Assert.ThrowsAsync<OperationCanceledException>(() => _outlook.WriteAsync(
            UserId,
            [EventWrite.Create(InWindow("a")), EventWrite.Create(InWindow("b")), EventWrite.Create(InWindow("c"))],
            default));

        Assert.Equal(["a", "b"], _outlook.GetAll(UserId).Select(e => e.Subject));
        await Assert.ThrowsAsync<OperationCanceledException>(() => _outlook.WriteAsync(UserId, [EventWrite.Create(InWindow("d"))], default));
    }

    [Fact]
    public async Task CrashAfterWrites_Outlook_ReadsAndUserActionsStillWork()
    {
        _outlook.CrashAfterWrites(0);
        await Assert.ThrowsAsync<OperationCanceledException>(() => _outlook.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default));

        CalendarEvent added = _outlook.AddByUser(UserId, InWindow("by user"));

        Assert.Equal(added.Id, Assert.Single((await _outlook.GetChangesAsync(UserId, null, Window, default)).Changed).Id);
    }

    [Fact]
    public async Task ClearFaults_PendingFailures_AreDropped()
    {
        _outlook.FailNextWrites(3);

        _outlook.ClearFaults();

        Assert.True((await _outlook.WriteAsync(UserId, [EventWrite.Create(InWindow("a"))], default))[0].Succeeded);
    }

    [Fact]
    public async Task CrashAfterWrites_RearmedAfterCrash_StartsCountingAgain()
    {
        _store.CrashAfterWrites(0);
        await Assert.ThrowsAsync<OperationCanceledException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("a")), default));

        _store.CrashAfterWrites(1);

        await _store.CreateAsync(UserId, EventWrite.Create(InWindow("b")), default);
        await Assert.ThrowsAsync<OperationCanceledException>(() => _store.CreateAsync(UserId, EventWrite.Create(InWindow("c")), default));
    }
}
