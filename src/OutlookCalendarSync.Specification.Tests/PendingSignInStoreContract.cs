using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Stores;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Specification.Tests;

/// <summary>What every <see cref="IPendingSignInStore"/> must do; derive from it to check an implementation.</summary>
/// <remarks>
/// A store shared by several servers must also take each sign-in at most once across processes: the SQLite and PostgreSQL stores do
/// it in one statement; <see cref="TakeAsync_ManyConcurrentTakes_OnlyOneGetsTheSignIn"/> checks it within one process.
/// </remarks>
public abstract class PendingSignInStoreContract
{
    private static readonly Duration Lifetime = Duration.FromMinutes(10);
    private IPendingSignInStore? _store;

    /// <summary>The clock the store under test must read to decide expiry.</summary>
    protected FakeClock Clock { get; } = new(Instant.FromUtc(2026, 12, 1, 8, 0));

    /// <summary>The store under test, created on first use.</summary>
    protected IPendingSignInStore Store => _store ??= CreateStore();

    /// <summary>Creates an empty store that reads <see cref="Clock"/>; called once per test.</summary>
    protected abstract IPendingSignInStore CreateStore();

    [Fact]
    public async Task TakeAsync_AddedSignIn_ReturnsItAsAdded()
    {
        PendingSignIn added = SignIn("key-1", UserId, [1, 2, 3, 255]);
        await Store.AddAsync(added, default);

        PendingSignIn? taken = await Store.TakeAsync("key-1", UserId, default);

        Assert.NotNull(taken);
        Assert.Equal("key-1", taken.Key);
        Assert.Equal(UserId, taken.UserId);
        Assert.Equal(new byte[] { 1, 2, 3, 255 }, taken.GetPayload());
        Assert.Equal(added.ExpiresAt, taken.ExpiresAt);
    }

    [Fact]
    public async Task TakeAsync_Twice_SecondReturnsNull()
    {
        await Store.AddAsync(SignIn("key-1", UserId), default);
        Assert.NotNull(await Store.TakeAsync("key-1", UserId, default));

        Assert.Null(await Store.TakeAsync("key-1", UserId, default));
    }

    [Fact]
    public async Task TakeAsync_UnknownKey_ReturnsNullAndKeepsTheUsersSignIn()
    {
        await Store.AddAsync(SignIn("key-1", UserId), default);

        Assert.Null(await Store.TakeAsync("forged", UserId, default));

        Assert.NotNull(await Store.TakeAsync("key-1", UserId, default));
    }

    [Fact]
    public async Task TakeAsync_NothingAdded_ReturnsNull()
        => Assert.Null(await Store.TakeAsync("key-1", UserId, default));

    [Fact]
    public async Task TakeAsync_AnotherUsersKey_ReturnsNullAndKeepsItForItsOwner()
    {
        await Store.AddAsync(SignIn("key-1", UserId), default);
        await Store.AddAsync(SignIn("key-2", OtherUserId), default);

        Assert.Null(await Store.TakeAsync("key-1", OtherUserId, default));

        Assert.NotNull(await Store.TakeAsync("key-1", UserId, default));
        Assert.NotNull(await Store.TakeAsync("key-2", OtherUserId, default));
    }

    [Fact]
    public async Task TakeAsync_KeyOfAUserWithoutSignIn_ReturnsNullAndKeepsItForItsOwner()
    {
        await Store.AddAsync(SignIn("key-1", UserId), default);

        Assert.Null(await Store.TakeAsync("key-1", OtherUserId, default));

        Assert.NotNull(await Store.TakeAsync("key-1", UserId, default));
    }

    [Fact]
    public async Task AddAsync_SameUserAgain_ReplacesTheEarlierSignIn()
    {
        await Store.AddAsync(SignIn("key-1", UserId, [1]), default);
        await Store.AddAsync(SignIn("key-2", UserId, [2]), default);

        Assert.Null(await Store.TakeAsync("key-1", UserId, default));
        Assert.Equal(new byte[] { 2 }, (await Store.TakeAsync("key-2", UserId, default))?.GetPayload());
    }

    [Fact]
    public async Task TakeAsync_AtExpiry_ReturnsNull()
    {
        await Store.AddAsync(SignIn("key-1", UserId), default);

        Clock.Advance(Lifetime);

        Assert.Null(await Store.TakeAsync("key-1", UserId, default));
    }

    [Fact]
    public async Task TakeAsync_JustBeforeExpiry_ReturnsTheSignIn()
    {
        await Store.AddAsync(SignIn("key-1", UserId), default);

        Clock.Advance(Lifetime - Duration.FromTicks(1));

        Assert.NotNull(await Store.TakeAsync("key-1", UserId, default));
    }

    [Fact]
    public async Task AddAsync_AfterOthersExpired_NewSignInsStillWork()
    {
        await Store.AddAsync(SignIn("key-1", UserId), default);
        Clock.Advance(Lifetime + Duration.FromMinutes(1));

        await Store.AddAsync(SignIn("key-2", OtherUserId), default);
        await Store.AddAsync(SignIn("key-3", UserId), default);

        Assert.NotNull(await Store.TakeAsync("key-2", OtherUserId, default));
        Assert.NotNull(await Store.TakeAsync("key-3", UserId, default));
    }

    [Fact]
    public async Task AddAsync_CallerChangesPayloadAfterwards_StoredPayloadUnchanged()
    {
        byte[] payload = [1, 2, 3];
        PendingSignIn signIn = SignIn("key-1", UserId, payload);
        await Store.AddAsync(signIn, default);

        payload[0] = 9;
        signIn.GetPayload()[1] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, (await Store.TakeAsync("key-1", UserId, default))?.GetPayload());
    }

    [Fact]
    public async Task AddAsync_ManyUsers_EachTakesTheirOwn()
    {
        for (int i = 0; i < 50; i++)
        {
            await Store.AddAsync(SignIn($"key-{i}", $"user-{i}", [(byte)i]), default);
        }

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(new byte[] { (byte)i }, (await Store.TakeAsync($"key-{i}", $"user-{i}", default))?.GetPayload());
        }
    }

    [Fact]
    public async Task TakeAsync_ManyConcurrentTakes_OnlyOneGetsTheSignIn()
    {
        IPendingSignInStore store = Store;
        await store.AddAsync(SignIn("key-1", UserId), default);

        PendingSignIn?[] taken = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TakeAsync("key-1", UserId, default))));

        Assert.Single(taken, t => t is not null);
    }

    [Fact]
    public async Task TakeAsync_EmptyUserId_Throws()
        => await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.TakeAsync("key-1", " ", default));

    private PendingSignIn SignIn(string key, string userId, byte[]? payload = null)
        => new(key, userId, payload ?? [7, 7], Clock.GetCurrentInstant() + Lifetime);
}
