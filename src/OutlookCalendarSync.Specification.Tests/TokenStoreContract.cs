using static OutlookCalendarSync.Specification.Tests.ContractEvents;

using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Specification.Tests;

/// <summary>What every <see cref="ITokenStore"/> must do; derive from it to check an implementation.</summary>
public abstract class TokenStoreContract
{
    private ITokenStore? _store;

    protected ITokenStore Store => _store ??= CreateStore();

    /// <summary>Creates an empty store; called once per test.</summary>
    protected abstract ITokenStore CreateStore();

    [Fact]
    public async Task GetAsync_UnknownUser_ReturnsNull()
        => Assert.Null(await Store.GetAsync(UserId, default));

    [Fact]
    public async Task SetAsync_ThenGet_ReturnsSameBytes()
    {
        await Store.SetAsync(UserId, [1, 2, 3, 255], default);

        Assert.Equal(new byte[] { 1, 2, 3, 255 }, await Store.GetAsync(UserId, default));
    }

    [Fact]
    public async Task SetAsync_Twice_KeepsLatestBlob()
    {
        await Store.SetAsync(UserId, [1], default);
        await Store.SetAsync(UserId, [2, 2], default);

        Assert.Equal(new byte[] { 2, 2 }, await Store.GetAsync(UserId, default));
    }

    [Fact]
    public async Task SetAsync_CallerChangesArrayAfterwards_StoredBlobUnchanged()
    {
        byte[] blob = [1, 2, 3];
        await Store.SetAsync(UserId, blob, default);

        blob[0] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, await Store.GetAsync(UserId, default));
    }

    [Fact]
    public async Task GetAsync_CallerChangesReturnedArray_StoredBlobUnchanged()
    {
        await Store.SetAsync(UserId, [1, 2, 3], default);
        byte[] read = (await Store.GetAsync(UserId, default))!;

        read[0] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, await Store.GetAsync(UserId, default));
    }

    [Fact]
    public async Task SetAsync_OtherUser_IsIndependent()
    {
        await Store.SetAsync(UserId, [1], default);
        await Store.SetAsync(OtherUserId, [2], default);

        Assert.Equal(new byte[] { 1 }, await Store.GetAsync(UserId, default));
        Assert.Equal(new byte[] { 2 }, await Store.GetAsync(OtherUserId, default));
    }

    [Fact]
    public async Task RemoveAsync_StoredBlob_GetReturnsNull()
    {
        await Store.SetAsync(UserId, [1], default);
        await Store.SetAsync(OtherUserId, [2], default);

        await Store.RemoveAsync(UserId, default);

        Assert.Null(await Store.GetAsync(UserId, default));
        Assert.NotNull(await Store.GetAsync(OtherUserId, default));
    }

    [Fact]
    public async Task RemoveAsync_UnknownUser_DoesNothing()
    {
        await Store.RemoveAsync(UserId, default);

        Assert.Null(await Store.GetAsync(UserId, default));
    }
}
