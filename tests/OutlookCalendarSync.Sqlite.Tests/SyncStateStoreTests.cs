using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;
using static OutlookCalendarSync.Tests.Contracts.ContractEvents;

namespace OutlookCalendarSync.Sqlite.Tests;

public sealed class SyncStateStoreTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 15, 8, 0));
    private readonly SqliteSyncStateStore _store;

    public SyncStateStoreTests() => _store = new SqliteSyncStateStore(_database.Options, _clock);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SaveLinksAsync_NeverSaved_CreatesStateAtRevisionZeroThatSaveAccepts()
    {
        await _store.SaveLinksAsync(UserId, [Link(1)], [], default);

        SyncState loaded = (await _store.LoadAsync(UserId, default))!;
        Assert.Equal(0, loaded.Revision);
        Assert.Equal("local-1", Assert.Single(loaded.Links).LocalId);
        Assert.Equal(1, (await _store.SaveAsync(loaded, default)).Revision);
    }

    [Fact]
    public async Task SaveLinksAsync_ExistingState_ChangesOnlyLinks()
    {
        SyncState saved = await _store.SaveAsync(
            new SyncState(UserId) { LocalCursor = "lc", RemoteCursor = "rc", Links = LinkCollection.Create([Link(1), Link(2)]), PendingLocalIds = new HashSet<string> { "p1" } },
            default);

        await _store.SaveLinksAsync(UserId, [Link(3), Link(1) with { RemoteVersion = "ck-new" }], ["local-2"], default);

        SyncState loaded = (await _store.LoadAsync(UserId, default))!;
        Assert.Equal(saved.Revision, loaded.Revision);
        Assert.Equal("lc", loaded.LocalCursor);
        Assert.Equal("rc", loaded.RemoteCursor);
        Assert.Equal(["p1"], loaded.PendingLocalIds);
        Assert.Equal(["local-1", "local-3"], loaded.Links.Select(l => l.LocalId).Order());
        Assert.Equal("ck-new", loaded.Links.FindByLocalId("local-1")!.RemoteVersion);
    }

    [Fact]
    public async Task SaveLinksAsync_LinkWithKnownRemoteId_ReplacesOldLinkAsLinkCollectionDoes()
    {
        await _store.SaveAsync(new SyncState(UserId) { Links = LinkCollection.Create([Link(1)]) }, default);

        await _store.SaveLinksAsync(UserId, [new EventLink("local-9", "AAMk-1", InWindow("moved"))], [], default);

        EventLink link = Assert.Single((await _store.LoadAsync(UserId, default))!.Links);
        Assert.Equal("local-9", link.LocalId);
        Assert.Equal("AAMk-1", link.RemoteId);
    }

    [Fact]
    public async Task SaveAsync_AfterSaveLinks_KeepsJournaledLinksAndAppliesChanges()
    {
        SyncState loaded = await _store.SaveAsync(new SyncState(UserId) { Links = LinkCollection.Create([Link(1), Link(2)]) }, default);
        EventLink journaled = Link(3);
        await _store.SaveLinksAsync(UserId, [journaled], [], default);

        SyncState final = loaded with { Links = loaded.Links.With(["local-1"], [journaled, Link(4)]), IsInterrupted = true, LastSyncAt = _clock.GetCurrentInstant() };
        await _store.SaveAsync(final, default);

        SyncState reloaded = (await new SqliteSyncStateStore(_database.Options, _clock).LoadAsync(UserId, default))!;
        Assert.Equal(["local-2", "local-3", "local-4"], reloaded.Links.Select(l => l.LocalId).Order());
        Assert.True(reloaded.IsInterrupted);
        Assert.Equal(_clock.GetCurrentInstant(), reloaded.LastSyncAt);
    }

    [Fact]
    public async Task SaveAsync_AfterManyJournaledBatches_AppliesThemInOrder()
    {
        // Journaled one change at a time, as a run does: an upsert later removed, a link replaced by one with its Outlook id,
        // a new version of a link, then the run's final save with the same links.
        SyncState loaded = await _store.SaveAsync(new SyncState(UserId) { Links = LinkCollection.Create([Link(1), Link(2)]) }, default);
        var expected = loaded.Links;
        (EventLink[] Upserts, string[] Removed)[] batches =
        [
            ([Link(3)], []),
            ([], ["local-3"]),
            ([new EventLink("local-9", "AAMk-2", InWindow("relinked"))], []),
            ([Link(1) with { RemoteVersion = "ck-2" }], []),
            ([Link(4)], ["local-1"]),
        ];
        foreach ((EventLink[] upserts, string[] removed) in batches)
        {
            await _store.SaveLinksAsync(UserId, upserts, removed, default);
            expected = expected.With(removed, upserts);
        }

        await _store.SaveAsync(loaded with { Links = expected }, default);

        SyncState reloaded = (await new SqliteSyncStateStore(_database.Options, _clock).LoadAsync(UserId, default))!;
        Assert.Equal(["local-4", "local-9"], reloaded.Links.Select(l => l.LocalId).Order());
        Assert.Equal("AAMk-2", reloaded.Links.FindByLocalId("local-9")!.RemoteId);
    }

    [Fact]
    public async Task SaveAsync_LinksChangedByAnotherInstance_WritesExactlyTheNewLinks()
    {
        var other = new SqliteSyncStateStore(_database.Options, _clock);
        SyncState state = await _store.SaveAsync(new SyncState(UserId) { Links = LinkCollection.Create(Enumerable.Range(1, 5).Select(Link)) }, default);
        await other.SaveLinksAsync(UserId, [Link(6)], ["local-5"], default);

        // This instance's knowledge of the stored links is stale now: the save must compare with the rows instead.
        await _store.SaveAsync(state with { Links = state.Links.With(["local-1"], [Link(2) with { LocalVersion = "99" }]) }, default);

        SyncState loaded = (await other.LoadAsync(UserId, default))!;
        Assert.Equal(["local-2", "local-3", "local-4", "local-5"], loaded.Links.Select(l => l.LocalId).Order());
        Assert.Equal("99", loaded.Links.FindByLocalId("local-2")!.LocalVersion);
    }

    [Fact]
    public async Task SaveAsync_LoadedStateWithFewChanges_StoresEveryLinkCorrectly()
    {
        await _store.SaveAsync(new SyncState(UserId) { Links = LinkCollection.Create(Enumerable.Range(1, 50).Select(Link)) }, default);
        SyncState loaded = (await _store.LoadAsync(UserId, default))!;

        await _store.SaveAsync(loaded with { Links = loaded.Links.With(["local-7"], [Link(8) with { RemoteId = "AAMk-new" }, Link(51)]) }, default);

        SyncState reloaded = (await new SqliteSyncStateStore(_database.Options, _clock).LoadAsync(UserId, default))!;
        Assert.Equal(50, reloaded.Links.Count);
        Assert.Null(reloaded.Links.FindByLocalId("local-7"));
        Assert.Equal("local-8", reloaded.Links.FindByRemoteId("AAMk-new")!.LocalId);
        Assert.Null(reloaded.Links.FindByRemoteId("AAMk-8"));
        Assert.NotNull(reloaded.Links.FindByLocalId("local-51"));
    }

    [Fact]
    public async Task SaveAsync_EveryField_RoundTrips()
    {
        var state = new SyncState(UserId)
        {
            Status = SyncStatus.NeedsReauthorization,
            LocalCursor = "lc",
            RemoteCursor = "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=abc",
            RemoteCursorWindow = new Interval(Instant.FromUtc(2026, 1, 1, 0, 0), null),
            PendingLocalIds = new HashSet<string> { "local-1", "local-2" },
            PendingRemoteIds = new HashSet<string> { "AAMk-1" },
            IsInterrupted = true,
            FirstSyncAt = _clock.GetCurrentInstant() - Duration.FromDays(3),
            LastSyncAt = _clock.GetCurrentInstant() + Duration.FromNanoseconds(7),
            LastError = "Outlook throttled the run (429).",
        };

        await _store.SaveAsync(state, default);
        SyncState loaded = (await new SqliteSyncStateStore(_database.Options, _clock).LoadAsync(UserId, default))!;

        Assert.Equal(state.Status, loaded.Status);
        Assert.Equal(state.RemoteCursor, loaded.RemoteCursor);
        Assert.Equal(state.RemoteCursorWindow, loaded.RemoteCursorWindow);
        Assert.Equal(state.PendingLocalIds.Order(), loaded.PendingLocalIds.Order());
        Assert.Equal(state.PendingRemoteIds, loaded.PendingRemoteIds);
        Assert.True(loaded.IsInterrupted);
        Assert.Equal(state.FirstSyncAt, loaded.FirstSyncAt);
        Assert.Equal(state.LastSyncAt, loaded.LastSyncAt);
        Assert.Equal(state.LastError, loaded.LastError);
    }

    [Fact]
    public async Task DeleteAsync_SavedLinks_AreGone()
    {
        await _store.SaveAsync(new SyncState(UserId) { Links = LinkCollection.Create([Link(1)]) }, default);

        await _store.DeleteAsync(UserId, default);
        await _store.SaveLinksAsync(UserId, [Link(2)], [], default);

        Assert.Equal("local-2", Assert.Single((await _store.LoadAsync(UserId, default))!.Links).LocalId);
    }

    private static EventLink Link(int n)
        => new($"local-{n}", $"AAMk-{n}", InWindow($"event {n}", dayOffset: n % 20)) { LocalVersion = "1", RemoteVersion = "ck-1" };
}
