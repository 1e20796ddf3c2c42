using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Stores;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Specification.Tests;

/// <summary>What every <see cref="ISyncStateStore"/> must do; derive from it to check an implementation.</summary>
/// <remarks>Payloads and engine data are opaque text here, as they are to a store: the suite needs no engine type.</remarks>
public abstract class SyncStateStoreContract
{
    private static readonly Duration LeaseDuration = Duration.FromMinutes(5);
    private ISyncStateStore? _store;

    /// <summary>The clock the store under test must read for lease expiry.</summary>
    protected FakeClock Clock { get; } = new(Instant.FromUtc(2026, 12, 1, 8, 0));

    /// <summary>The store under test, created on first use (not thread-safe: a test that calls it from many threads reads it first).</summary>
    protected ISyncStateStore Store => _store ??= CreateStore();

    /// <summary>Creates an empty store that reads <see cref="Clock"/>; called once per test.</summary>
    protected abstract ISyncStateStore CreateStore();

    [Fact]
    public async Task GetHeaderAsync_NeverSaved_ReturnsNull()
        => Assert.Null(await Store.GetHeaderAsync(UserId, default));

    [Fact]
    public async Task GetLinksAsync_NeverSaved_ReturnsEmpty()
        => Assert.Empty(await Store.GetLinksAsync(UserId, default));

    [Fact]
    public async Task SaveAsync_FirstSave_ReturnsRevisionOne()
        => Assert.Equal(1, await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default));

    [Fact]
    public async Task SaveAsync_ThenRead_ReturnsEveryColumnAsSaved()
    {
        var header = new SyncStateHeader(UserId)
        {
            Status = SyncStatus.Paused,
            HostCursor = "host-cursor",
            OutlookCursor = "https://graph.example/delta?$deltatoken=é&x=\"1\"",
            OutlookCursorWindow = Window,
            FirstSyncAt = Clock.GetCurrentInstant(),
            LastSyncAt = Clock.GetCurrentInstant() + Duration.FromTicks(1234567),
            NextSyncAt = Clock.GetCurrentInstant() + Duration.FromMinutes(15),
            LastError = "boom",
            EngineData = """{"v":1,"opaque":["ü",1]}""",
        };

        await Store.SaveAsync(new SyncStateChanges(header) { UpsertedLinks = [Link(1, payload: "{\"any\":\"text ✓\"}")] }, default);
        SyncStateHeader? loaded = await Store.GetHeaderAsync(UserId, default);

        Assert.NotNull(loaded);
        Assert.Equal(UserId, loaded.UserId);
        Assert.Equal(1, loaded.Revision);
        Assert.Equal(SyncStatus.Paused, loaded.Status);
        Assert.Equal(header.HostCursor, loaded.HostCursor);
        Assert.Equal(header.OutlookCursor, loaded.OutlookCursor);
        Assert.Equal(Window, loaded.OutlookCursorWindow);
        Assert.Equal(header.FirstSyncAt, loaded.FirstSyncAt);
        Assert.Equal(header.LastSyncAt, loaded.LastSyncAt);
        Assert.Equal(header.NextSyncAt, loaded.NextSyncAt);
        Assert.Equal("boom", loaded.LastError);
        Assert.Equal(header.EngineData, loaded.EngineData);
        StoredLink link = Assert.Single(await Store.GetLinksAsync(UserId, default));
        Assert.Equal(("host-1", "AAMk-1", "{\"any\":\"text ✓\"}"), (link.HostId, link.OutlookId, link.Payload));
    }

    [Fact]
    public async Task SaveAsync_NullColumns_ReadBackAsNull()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default);

        SyncStateHeader loaded = (await Store.GetHeaderAsync(UserId, default))!;

        Assert.Equal(SyncStatus.Active, loaded.Status);
        Assert.Null(loaded.HostCursor);
        Assert.Null(loaded.OutlookCursor);
        Assert.Null(loaded.OutlookCursorWindow);
        Assert.Null(loaded.FirstSyncAt);
        Assert.Null(loaded.NextSyncAt);
        Assert.Null(loaded.EngineData);
    }

    [Fact]
    public async Task SaveAsync_LoadedRevision_BumpsRevision()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default);
        SyncStateHeader loaded = (await Store.GetHeaderAsync(UserId, default))!;

        long revision = await Store.SaveAsync(new SyncStateChanges(loaded with { HostCursor = "c2" }), default);

        Assert.Equal(2, revision);
        Assert.Equal("c2", (await Store.GetHeaderAsync(UserId, default))!.HostCursor);
    }

    [Fact]
    public async Task SaveAsync_StaleRevision_ThrowsConflictAndWritesNothing()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1)] }, default);
        SyncStateHeader first = (await Store.GetHeaderAsync(UserId, default))!;
        await Store.SaveAsync(new SyncStateChanges(first with { HostCursor = "winner" }), default);

        await Assert.ThrowsAsync<SyncStateConflictException>(() => Store.SaveAsync(
            new SyncStateChanges(first with { HostCursor = "loser" }) { UpsertedLinks = [Link(2)], DeletedHostIds = ["host-1"] }, default));

        SyncStateHeader stored = (await Store.GetHeaderAsync(UserId, default))!;
        Assert.Equal("winner", stored.HostCursor);
        Assert.Equal(2, stored.Revision);
        Assert.Equal("host-1", Assert.Single(await Store.GetLinksAsync(UserId, default)).HostId);
    }

    [Fact]
    public async Task SaveAsync_NewHeaderOverExistingOne_ThrowsConflict()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default);

        await Assert.ThrowsAsync<SyncStateConflictException>(() => Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default));
    }

    [Fact]
    public async Task SaveAsync_RevisionAheadOfNeverSavedUser_ThrowsConflict()
        => await Assert.ThrowsAsync<SyncStateConflictException>(() => Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId) { Revision = 3 }), default));

    [Fact]
    public async Task SaveAsync_ConcurrentSavesOfSameRevision_ExactlyOneWins()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)), default);
        SyncStateHeader loaded = (await Store.GetHeaderAsync(UserId, default))!;

        ISyncStateStore store = Store;
        Exception?[] outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.SaveAsync(new SyncStateChanges(loaded with { HostCursor = $"c{i}" }) { UpsertedLinks = [Link(i)] }, default);
                return null;
            }
            catch (SyncStateConflictException conflict)
            {
                return (Exception)conflict;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.Equal(7, outcomes.Count(o => o is SyncStateConflictException));
        Assert.Equal(2, (await Store.GetHeaderAsync(UserId, default))!.Revision);
        Assert.Single(await Store.GetLinksAsync(UserId, default));
    }

    [Fact]
    public async Task SaveAsync_UpsertsAndDeletes_TouchOnlyTheNamedLinks()
    {
        long revision = await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1), Link(2), Link(3)] }, default);

        await Store.SaveAsync(
            new SyncStateChanges(new SyncStateHeader(UserId) { Revision = revision }) { DeletedHostIds = ["host-2", "host-unknown"], UpsertedLinks = [Link(3, payload: "changed"), Link(4)] },
            default);

        var links = (await Store.GetLinksAsync(UserId, default)).OrderBy(l => l.HostId, StringComparer.Ordinal).ToArray();
        Assert.Equal(["host-1", "host-3", "host-4"], links.Select(l => l.HostId));
        Assert.Equal(["p1", "changed", "p4"], links.Select(l => l.Payload));
    }

    [Fact]
    public async Task SaveAsync_DeletesBeforeUpserts_SameHostIdIsKept()
    {
        await Store.SaveAsync(
            new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1)], DeletedHostIds = ["host-1"] }, default);

        Assert.Equal("host-1", Assert.Single(await Store.GetLinksAsync(UserId, default)).HostId);
    }

    [Fact]
    public async Task SaveAsync_UpsertWithAnotherLinksOutlookId_ReplacesThatLink()
    {
        long revision = await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1), Link(2)] }, default);

        await Store.SaveAsync(
            new SyncStateChanges(new SyncStateHeader(UserId) { Revision = revision }) { UpsertedLinks = [new StoredLink("host-9", "AAMk-1", "p9")] }, default);

        var links = (await Store.GetLinksAsync(UserId, default)).OrderBy(l => l.HostId, StringComparer.Ordinal).ToArray();
        Assert.Equal(["host-2", "host-9"], links.Select(l => l.HostId));
        Assert.Empty(await Store.FindLinksAsync(UserId, ["host-1"], [], default));
    }

    [Fact]
    public async Task SaveAsync_UpsertsInOrder_LastOneWins()
    {
        await Store.SaveAsync(
            new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1, payload: "first"), new StoredLink("host-1", "AAMk-7", "second")] }, default);

        StoredLink link = Assert.Single(await Store.GetLinksAsync(UserId, default));
        Assert.Equal(("AAMk-7", "second"), (link.OutlookId, link.Payload));
    }

    [Fact]
    public async Task FindLinksAsync_ByEitherId_ReturnsEachMatchOnce()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1), Link(2), Link(3)] }, default);
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(OtherUserId)) { UpsertedLinks = [Link(4)] }, default);

        IReadOnlyList<StoredLink> found = await Store.FindLinksAsync(UserId, ["host-1", "host-missing", "host-4"], ["AAMk-1", "AAMk-3"], default);

        Assert.Equal(["host-1", "host-3"], found.Select(l => l.HostId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindLinksAsync_IdsRepeatedAndFoundBothWays_ReturnsEachLinkOnce()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1), Link(2), Link(3)] }, default);

        IReadOnlyList<StoredLink> found = await Store.FindLinksAsync(UserId, ["host-1", "host-1", "host-2"], ["AAMk-2", "AAMk-3", "AAMk-3", "AAMk-1"], default);

        Assert.Equal(["host-1", "host-2", "host-3"], found.Select(l => l.HostId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindLinksAsync_AmongThousandsOfLinks_ReturnsExactlyTheAskedOnesWithTheirPayloads()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [.. Enumerable.Range(0, 5000).Select(n => Link(n))] }, default);
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(OtherUserId)) { UpsertedLinks = [Link(5000), Link(5001)] }, default);

        IReadOnlyList<StoredLink> found = await Store.FindLinksAsync(UserId, ["host-17", "host-4999", "host-5000"], ["AAMk-0", "AAMk-2500", "AAMk-5001", "AAMk-nope"], default);

        Assert.Equal(
            [("host-0", "AAMk-0", "p0"), ("host-17", "AAMk-17", "p17"), ("host-2500", "AAMk-2500", "p2500"), ("host-4999", "AAMk-4999", "p4999")],
            found.Select(l => (l.HostId, l.OutlookId, l.Payload)).OrderBy(l => l.HostId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindLinksAsync_NoIds_ReturnsEmpty()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1)] }, default);

        Assert.Empty(await Store.FindLinksAsync(UserId, [], [], default));
    }

    [Fact]
    public async Task SaveAsync_OtherUser_IsIndependent()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId) { HostCursor = "mine" }) { UpsertedLinks = [Link(1)] }, default);

        long other = await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(OtherUserId)) { UpsertedLinks = [Link(1)] }, default);

        Assert.Equal(1, other);
        Assert.Equal("mine", (await Store.GetHeaderAsync(UserId, default))!.HostCursor);
        Assert.Single(await Store.GetLinksAsync(UserId, default));
    }

    [Fact]
    public async Task DeleteAsync_SavedState_HeaderAndLinksGoneAndFreshStateCanBeSaved()
    {
        await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(1)] }, default);

        await Store.DeleteAsync(UserId, default);

        Assert.Null(await Store.GetHeaderAsync(UserId, default));
        Assert.Empty(await Store.GetLinksAsync(UserId, default));
        Assert.Equal(1, await Store.SaveAsync(new SyncStateChanges(new SyncStateHeader(UserId)) { UpsertedLinks = [Link(2)] }, default));
        Assert.Equal("host-2", Assert.Single(await Store.GetLinksAsync(UserId, default)).HostId);
    }

    [Fact]
    public async Task DeleteAsync_NeverSaved_DoesNothing()
    {
        await Store.DeleteAsync(UserId, default);

        Assert.Null(await Store.GetHeaderAsync(UserId, default));
    }

    [Fact]
    public async Task GetUsersDueAsync_ActiveUsersDueByNow_LongestOverdueFirst()
    {
        Instant now = Clock.GetCurrentInstant();
        await SaveHeaderAsync(new SyncStateHeader("due-later") { NextSyncAt = now });
        await SaveHeaderAsync(new SyncStateHeader("due-earlier") { NextSyncAt = now - Duration.FromMinutes(5) });
        await SaveHeaderAsync(new SyncStateHeader("never-synced"));
        await SaveHeaderAsync(new SyncStateHeader("not-yet") { NextSyncAt = now + Duration.FromSeconds(1) });
        await SaveHeaderAsync(new SyncStateHeader("paused") { Status = SyncStatus.Paused });
        await SaveHeaderAsync(new SyncStateHeader("stopped") { Status = SyncStatus.Stopped, NextSyncAt = now - Duration.FromDays(1) });
        await SaveHeaderAsync(new SyncStateHeader("reauthorize") { Status = SyncStatus.NeedsReauthorization });

        IReadOnlyList<string> due = await Store.GetUsersDueAsync(now, 10, default);

        Assert.Equal(["never-synced", "due-earlier", "due-later"], due);
    }

    [Fact]
    public async Task GetUsersDueAsync_Limit_ReturnsThatManyMostOverdue()
    {
        Instant now = Clock.GetCurrentInstant();
        for (int i = 0; i < 5; i++)
        {
            await SaveHeaderAsync(new SyncStateHeader($"user-{i}") { NextSyncAt = now - Duration.FromMinutes(i) });
        }

        Assert.Equal(["user-4", "user-3"], await Store.GetUsersDueAsync(now, 2, default));
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
        ISyncStateStore store = Store;
        SyncLease?[] leases = await Task.WhenAll(
            Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))));

        Assert.Single(leases, l => l is not null);
    }

    [Fact]
    public async Task RenewLeaseAsync_Holder_ExtendsFromNow()
    {
        SyncLease lease = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;
        Clock.Advance(LeaseDuration - Duration.FromSeconds(1));

        SyncLease? renewed = await Store.RenewLeaseAsync(lease, LeaseDuration, default);
        Clock.Advance(LeaseDuration - Duration.FromSeconds(1));

        Assert.NotNull(renewed);
        Assert.Equal(lease.Token, renewed.Token);
        Assert.Equal(Clock.GetCurrentInstant() + Duration.FromSeconds(1), renewed.ExpiresAt);
        Assert.Null(await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default));
    }

    [Fact]
    public async Task RenewLeaseAsync_ExpiredAndTakenOver_ReturnsNullAndKeepsNewHolder()
    {
        SyncLease lost = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;
        Clock.Advance(LeaseDuration);
        SyncLease current = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;

        Assert.Null(await Store.RenewLeaseAsync(lost, LeaseDuration, default));
        Assert.NotNull(await Store.RenewLeaseAsync(current, LeaseDuration, default));
    }

    [Fact]
    public async Task RenewLeaseAsync_Expired_ReturnsNull()
    {
        SyncLease lease = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;
        Clock.Advance(LeaseDuration);

        Assert.Null(await Store.RenewLeaseAsync(lease, LeaseDuration, default));
    }

    [Fact]
    public async Task RenewLeaseAsync_Released_ReturnsNull()
    {
        SyncLease lease = (await Store.TryAcquireLeaseAsync(UserId, LeaseDuration, default))!;
        await Store.ReleaseLeaseAsync(lease, default);

        Assert.Null(await Store.RenewLeaseAsync(lease, LeaseDuration, default));
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

    private static StoredLink Link(int n, string? payload = null) => new($"host-{n}", $"AAMk-{n}", payload ?? $"p{n}");

    private async Task SaveHeaderAsync(SyncStateHeader header)
        => await Store.SaveAsync(new SyncStateChanges(header), default);
}
