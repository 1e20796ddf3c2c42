namespace OutlookCalendarSync.Stores;

/// <summary>
/// Keeps each user's token cache (MSAL's serialized cache). The library protects the bytes before they reach the store
/// (ASP.NET Core Data Protection), so a store only keeps opaque blobs.
/// </summary>
public interface ITokenStore
{
    /// <summary>Reads a user's blob.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The blob, or null when the user has none.</returns>
    Task<byte[]?> GetAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Replaces a user's blob.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="protectedTokenCache">The protected blob.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the blob is stored.</returns>
    Task SetAsync(string userId, byte[] protectedTokenCache, CancellationToken cancellationToken);

    /// <summary>Removes a user's blob (disconnect, reset).</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the blob is gone.</returns>
    Task RemoveAsync(string userId, CancellationToken cancellationToken);
}
