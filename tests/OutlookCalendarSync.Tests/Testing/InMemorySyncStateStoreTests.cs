using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Testing;

public sealed class InMemorySyncStateStoreTests
{
    private readonly InMemorySyncStateStore _store = new(new FakeClock(Instant.FromUtc(2026, 11, 15, 8, 0)));

    [Fact]
    public async Task SaveAsync_StaleRevision_MessageSaysWhatHappenedAndWhatToDo()
    {
        await _store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default);

        var error = await Assert.ThrowsAsync<SyncStateConflictException>(() => _store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default));

        Assert.Contains(UserId, error.Message, StringComparison.Ordinal);
        Assert.Contains("revision 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Load the state again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_NonPositiveDuration_Throws()
        => await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.TryAcquireLeaseAsync(UserId, Duration.Zero, default));

    [Fact]
    public async Task TryAcquireLeaseAsync_Token_IsGuidWithoutDashes()
    {
        SyncLease lease = (await _store.TryAcquireLeaseAsync(UserId, Duration.FromMinutes(1), default))!;

        Assert.True(Guid.TryParseExact(lease.Token, "N", out _));
    }
}
