using NodaTime;
using OutlookCalendarSync.Stores;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Specification.Tests;

/// <summary>What every <see cref="ISubscriptionStore"/> must do; derive from it to check an implementation.</summary>
public abstract class SubscriptionStoreContract
{
    private static readonly Instant Expiry = Instant.FromUtc(2026, 12, 2, 10, 30);

    private ISubscriptionStore? _store;

    /// <summary>Gets the store under test, created on first use.</summary>
    protected ISubscriptionStore Store => _store ??= CreateStore();

    /// <summary>Creates an empty store; called once per test.</summary>
    /// <returns>The store.</returns>
    protected abstract ISubscriptionStore CreateStore();

    [Fact]
    public async Task GetAsync_UnknownUser_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(UserId, default));
        Assert.Null(await Store.FindAsync("no-such-subscription", default));
    }

    [Fact]
    public async Task SaveAsync_ThenReadByUserAndBySubscription_ReturnsTheSameRow()
    {
        NotificationSubscription saved = Subscription(UserId, "sub-1", Expiry);

        await Store.SaveAsync(saved, default);

        Assert.Equal(saved, await Store.GetAsync(UserId, default));
        Assert.Equal(saved, await Store.FindAsync("sub-1", default));
    }

    [Fact]
    public async Task SaveAsync_KeepsTheClientStateExactly()
    {
        string secret = new string('x', 100) + "+/=ÿ";
        await Store.SaveAsync(Subscription(UserId, "sub-1", Expiry) with { ClientState = secret }, default);

        Assert.Equal(secret, (await Store.FindAsync("sub-1", default))!.ClientState);
    }

    [Fact]
    public async Task SaveAsync_Renewal_ReplacesTheExpiry()
    {
        await Store.SaveAsync(Subscription(UserId, "sub-1", Expiry), default);

        await Store.SaveAsync(Subscription(UserId, "sub-1", Expiry + Duration.FromDays(2)), default);

        Assert.Equal(Expiry + Duration.FromDays(2), (await Store.GetAsync(UserId, default))!.ExpiresAt);
    }

    [Fact]
    public async Task SaveAsync_NewSubscriptionOfTheUser_ReplacesTheOldOne()
    {
        await Store.SaveAsync(Subscription(UserId, "sub-old", Expiry), default);

        await Store.SaveAsync(Subscription(UserId, "sub-new", Expiry), default);

        Assert.Null(await Store.FindAsync("sub-old", default));
        Assert.Equal("sub-new", (await Store.GetAsync(UserId, default))!.SubscriptionId);
    }

    [Fact]
    public async Task SaveAsync_OtherUser_IsIndependent()
    {
        await Store.SaveAsync(Subscription(UserId, "sub-1", Expiry), default);
        await Store.SaveAsync(Subscription(OtherUserId, "sub-2", Expiry), default);

        await Store.DeleteAsync(OtherUserId, default);

        Assert.Equal("sub-1", (await Store.GetAsync(UserId, default))!.SubscriptionId);
        Assert.Null(await Store.GetAsync(OtherUserId, default));
        Assert.Null(await Store.FindAsync("sub-2", default));
    }

    [Fact]
    public async Task DeleteAsync_UnknownUser_DoesNothing()
    {
        await Store.DeleteAsync(UserId, default);

        Assert.Null(await Store.GetAsync(UserId, default));
    }

    [Fact]
    public async Task GetExpiringAsync_ListsThoseBeforeTheInstant_SoonestFirst_UpToTheLimit()
    {
        await Store.SaveAsync(Subscription("user-c", "sub-c", Expiry + Duration.FromHours(2)), default);
        await Store.SaveAsync(Subscription("user-a", "sub-a", Expiry + Duration.FromHours(1)), default);
        await Store.SaveAsync(Subscription("user-b", "sub-b", Expiry), default);
        await Store.SaveAsync(Subscription("user-d", "sub-d", Expiry + Duration.FromHours(3)), default);

        IReadOnlyList<NotificationSubscription> expiring = await Store.GetExpiringAsync(Expiry + Duration.FromHours(3), 10, default);
        IReadOnlyList<NotificationSubscription> limited = await Store.GetExpiringAsync(Expiry + Duration.FromHours(3), 2, default);

        Assert.Equal(["user-b", "user-a", "user-c"], expiring.Select(s => s.UserId));
        Assert.Equal(["user-b", "user-a"], limited.Select(s => s.UserId));
    }

    [Fact]
    public async Task GetExpiringAsync_SameExpiry_OrdersByUserId()
    {
        await Store.SaveAsync(Subscription("user-b", "sub-b", Expiry), default);
        await Store.SaveAsync(Subscription("user-a", "sub-a", Expiry), default);

        Assert.Equal(["user-a", "user-b"], (await Store.GetExpiringAsync(Expiry + Duration.FromSeconds(1), 10, default)).Select(s => s.UserId));
    }

    [Fact]
    public async Task ExpiryInstant_KeepsMilliseconds()
    {
        Instant precise = Expiry + Duration.FromMilliseconds(123);
        await Store.SaveAsync(Subscription(UserId, "sub-1", precise), default);

        Assert.Equal(precise, (await Store.GetAsync(UserId, default))!.ExpiresAt);
    }

    private static NotificationSubscription Subscription(string userId, string subscriptionId, Instant expiresAt) => new()
    {
        UserId = userId,
        SubscriptionId = subscriptionId,
        ClientState = "state-of-" + subscriptionId,
        ExpiresAt = expiresAt,
    };
}
