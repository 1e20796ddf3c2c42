using System.Collections.Concurrent;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Testing;

/// <summary>An in-memory <see cref="ITokenStore"/>: one blob per user, copied in and out so callers cannot change what is stored.</summary>
/// <threadsafety>Safe for concurrent use by any number of threads.</threadsafety>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_blobs.TryGetValue(userId, out byte[]? blob) ? (byte[]?)blob.Clone() : null);
    }

    /// <inheritdoc />
    public Task SetAsync(string userId, byte[] protectedTokenCache, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(protectedTokenCache);
        cancellationToken.ThrowIfCancellationRequested();
        _blobs[userId] = (byte[])protectedTokenCache.Clone();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        _blobs.TryRemove(userId, out _);
        return Task.CompletedTask;
    }
}
