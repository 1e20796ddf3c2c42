using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;
using static OutlookCalendarSync.Tests.Contracts.ContractEvents;

namespace OutlookCalendarSync.Tests.Contracts;

/// <summary>What every <see cref="ISyncStateStore"/> must do; derive from it to check an implementation.</summary>
public abstract class SyncStateStoreContract
{
    private static readonly Duration LeaseDuration = Duration.FromMinutes(5);
    private ISyncStateStore? _store;

    /// <summary>The clock the store under test must read for lease expiry.</summary>
    protected FakeClock Clock { get; } = new(Instant.FromUtc(2026, 12, 1, 8, 0));

    protected ISyncStateStore Store => _store ??= CreateStore();

    /// <summary>Creates an empty store that reads <see cref="Clock"/>; called once per test.</summary>
    protected abstract ISyncStateStore CreateStore();

    [Fact]
    public async Task LoadAsync_NeverSaved_ReturnsNull()
        => Assert.Null(await Store.LoadAsync(UserId, default));

    [Fact]
    public async Task SaveAsync_FirstSave_ReturnsRevisionOne()
    {
        SyncState saved = await Store.SaveAsync(new SyncState(UserId), default);

        Assert.Equal(1, saved.Revision);
    }

    [Fact]
    public async Task SaveAsync_ThenLoad_ReturnsSavedState()
    {
        var link = new EventLink("local-1", "AAMk-1", InWindow("a")) { ICalUId = "uid-1", LocalVersion = "3", RemoteVersion = "ck-4" };
        var state = new SyncState(UserId)
        {
            Status = SyncStatus.Paused,
            Links = LinkCollection.Create([link]),
            LocalCursor = "local-cursor",
            RemoteCursor = "delta-link",
            RemoteCursorWindow = Window,
            FirstSyncAt = Clock.GetCurrentInstant(),
            LastError = "boom",
        };

        await Store.SaveAsync(state, default);
        SyncState? loaded = await Store.LoadAsync(UserId, default);

        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.Revision);
        Assert.Equal(SyncStatus.Paused, loaded.Status);
        Assert.Equal("local-cursor", loaded.LocalCursor);
        Assert.Equal("delta-link", loaded.RemoteCursor);
        Assert.Equal(Window, loaded.RemoteCursorWindow);
        Assert.Equal(Clock.GetCurrentInstant(), loaded.FirstSyncAt);
        Assert.Equal("boom", loaded.LastError);
        EventLink loadedLink = Assert.Single(loaded.Links);
        Assert.Equal(link.RemoteId, loadedLink.RemoteId);
        Assert.Equal(link.RemoteVersion, loadedLink.RemoteVersion);
        Assert.Equal(EventFields.None, loadedLink.Base.DiffersFrom(link.Base));
    }

    [Fact]
    public async Task SaveAsync_LoadedRevision_BumpsRevision()
    {
        await Store.SaveAsync(new SyncState(UserId), default);
        SyncState loaded = (await Store.LoadAsync(UserId, default))!;

        SyncState saved = await Store.SaveAsync(loaded with { LocalCursor = "c2" }, default);

        Assert.Equal(2, saved.Revision);
        Assert.Equal("c2", (await Store.LoadAsync(UserId, default))!.LocalCursor);
    }

    [Fact]
    public async Task SaveAsync_StaleRevision_ThrowsConflictAndKeepsWinnersState()
    {
        await Store.SaveAsync(new SyncState(UserId), default);
        SyncState first = (await Store.LoadAsync(UserId, default))!;
        SyncState second = (await Store.LoadAsync(UserId, default))!;
        await Store.SaveAsync(first with { LocalCursor = "winner" }, default);

        await Assert.ThrowsAsync<SyncStateConflictException>(() => Store.SaveAsync(second with { LocalCursor = "loser" }, default));

        SyncState stored = (await Store.LoadAsync(UserId, default))!;
        Assert.Equal("winner", stored.LocalCursor);
        Assert.Equal(2, stored.Revision);
    }

    [Fact]
    public async Task SaveAsync_NewStateOverExistingOne_ThrowsConflict()
    {
        await Store.SaveAsync(new SyncState(UserId), default);

        await Assert.ThrowsAsync<SyncStateConflictException>(() => Store.SaveAsync(new SyncState(UserId), default));
    }

    [Fact]
    public async Task SaveAsync_RevisionAheadOfNeverSavedState_ThrowsConflict()
        => await Assert.ThrowsAsync<SyncStateConflictException>(() => Store.SaveAsync(new SyncState(UserId) { Revision = 3 }, default));

    [Fact]
    public async Task SaveAsync_ConcurrentSavesOfSameRevision_ExactlyOneWins()
    {
        await Store.SaveAsync(new SyncState(UserId), default);
        SyncState loaded = (await Store.LoadAsync(UserId, default))!;

        Exception?[] outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.SaveAsync(loaded with { LocalCursor = $"c{i}" }, default);
                return null;
            }
            catch (SyncStateConflictException conflict)
            {
                return (Exception)conflict;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.Equal(7, outcomes.Count(o => o is SyncStateConflictException));
        Assert.Equal(2, (await Store.LoadAsync(UserId, default))!.Revision);
    }

    [Fact]
    public async Task SaveAsync_OtherUser_IsIndependent()
    {
        await Store.SaveAsync(new SyncState(UserId) { LocalCursor = "mine" }, default);

        SyncState other = await Store.SaveAsync(new SyncState(OtherUserId), default);

        Assert.Equal(1, other.Revision);
        Assert.Equal("mine", (await Store.LoadAsync(UserId, default))!.LocalCursor);
    }

    [Fact]
    public async Task DeleteAsync_SavedState_LoadReturnsNullAndFreshStateCanBeSaved()
    {
        await Store.SaveAsync(new SyncState(UserId), default);

        await Store.DeleteAsync(UserId, default);

        Assert.Null(await Store.LoadAsync(UserId, default));
        Assert.Equal(1, (await Store.SaveAsync(new SyncState(UserId), default)).Revision);
    }

    [Fact]
    public async Task DeleteAsync_NeverSaved_DoesNothing()
    {
        await Store.DeleteAsync(UserId, default);

        Assert.Null(await Store.LoadAsync(UserId, default));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_FreeLease_ReturnsLeaseUntilNowPlusDuration()
    {
        SyncLease? lease = await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default);

        Assert.NotNull(lease);
        Assert.Equal(UserId, lease.UserId);
        Assert.False(string.IsNullOrWhiteSpace(lease.Token));
        Assert.Equal(Clock.GetCurrentInstant() + LeaseDuration, lease.ExpiresAt);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldLease_ReturnsNull()
    {
        await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default);
        Clock.Advance(LeaseDuration - Duration.FromSeconds(1));

        Assert.Null(await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_OtherUsersLeaseHeld_ReturnsLease()
    {
        await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default);

        Assert.NotNull(await Store.TryAcquireLeaseAsync(OtherUserId, LeaseDuration, default));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HolderLeaseExpired_ReturnsNewLease()
    {
        SyncLease first = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;
        Clock.Advance(LeaseDuration);

        SyncLease? second = await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default);

        Assert.NotNull(second);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_ConcurrentCallers_ExactlyOneGetsLease()
    {
        SyncLease?[] leases = await Task.WhenAll(
            Enumerable.Range(0, 16).Select(_ => Task.Run(() => Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))));

        Assert.Single(leases, l => l is not null);
    }

    [Fact]
    public async Task ReleaseLeaseAsync_Holder_FreesLease()
    {
        SyncLease lease = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;

        await Store.ReleaseLeaseAsync(lease, default);

        Assert.NotNull(await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_LeaseTakenOverAfterExpiry_IsIgnored()
    {
        SyncLease expired = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;
        Clock.Advance(LeaseDuration + Duration.FromSeconds(1));
        SyncLease current = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;

        await Store.ReleaseLeaseAsync(expired, default);

        Assert.Null(await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default));
        await Store.ReleaseLeaseAsync(current, default);
        Assert.NotNull(await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default));
    }
}
