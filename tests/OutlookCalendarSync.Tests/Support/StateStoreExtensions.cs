using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Tests.Support;

/// <summary>Reads a user's state as the engine sees it (header, engine data and decoded links), for assertions.</summary>
internal static class StateStoreExtensions
{
    public static Task<SyncState> LoadStateAsync(this ISyncStateStore store, string userId)
        => new SyncStateRepository(store).LoadAllAsync(userId, default);
}
