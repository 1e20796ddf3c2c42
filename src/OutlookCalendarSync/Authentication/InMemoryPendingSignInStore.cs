using System.Security.Cryptography;
using System.Text;
using NodaTime;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// The default <see cref="IPendingSignInStore"/>: in this process's memory, at most one sign-in per user and at most
/// <c>capacity</c> in all; when full, the oldest sign-in is dropped to make room for the new one.
/// </summary>
/// <remarks>
/// Dropping the oldest rather than refusing the newest keeps sign-in working for whoever starts now: the dropped user's callback
/// answers <c>invalid_state</c> and they start again. Since each user holds at most one entry, only as many users as
/// <c>capacity</c> signing in within one <c>SignInLifetime</c> can fill it.
/// </remarks>
/// <threadsafety>Safe for concurrent use; every call takes one lock for O(1) work plus the expired entries it removes.</threadsafety>
internal sealed class InMemoryPendingSignInStore : IPendingSignInStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<PendingSignIn>> _byUser = new(StringComparer.Ordinal);
    private readonly LinkedList<PendingSignIn> _oldestFirst = new();
    private readonly IClock _clock;
    private readonly int _capacity;

    /// <summary>Creates an empty store.</summary>
    /// <param name="clock">Decides expiry.</param>
    /// <param name="capacity">How many sign-ins may be pending at once.</param>
    public InMemoryPendingSignInStore(IClock clock, int capacity)
    {
        _clock = Guard.NotNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Gets how many sign-ins are held, expired ones not yet removed included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byUser.Count;
            }
        }
    }

    public Task AddAsync(PendingSignIn signIn, CancellationToken cancellationToken)
    {
        Guard.NotNull(signIn);
        cancellationToken.ThrowIfCancellationRequested();
        Instant now = _clock.GetCurrentInstant();
        lock (_gate)
        {
            if (_byUser.Remove(signIn.UserId, out LinkedListNode<PendingSignIn>? earlier))
            {
                _oldestFirst.Remove(earlier);
            }

            // Entries are in the order they were added; with one lifetime for all, that is also the order they expire in.
            while (_oldestFirst.First is { } oldest && (oldest.Value.ExpiresAt <= now || _byUser.Count >= _capacity))
            {
                RemoveNode(oldest);
            }

            _byUser[signIn.UserId] = _oldestFirst.AddLast(signIn);
        }

        return Task.CompletedTask;
    }

    public Task<PendingSignIn?> TakeAsync(string key, string userId, CancellationToken cancellationToken)
    {
        Guard.NotNull(key);
        Guard.UserId(userId);
        cancellationToken.ThrowIfCancellationRequested();
        Instant now = _clock.GetCurrentInstant();
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out LinkedListNode<PendingSignIn>? node))
            {
                return Task.FromResult<PendingSignIn?>(null);
            }

            if (node.Value.ExpiresAt <= now)
            {
                RemoveNode(node);
                return Task.FromResult<PendingSignIn?>(null);
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(node.Value.Key), Encoding.UTF8.GetBytes(key)))
            {
                return Task.FromResult<PendingSignIn?>(null);
            }

            RemoveNode(node);
            return Task.FromResult<PendingSignIn?>(node.Value);
        }
    }

    private void RemoveNode(LinkedListNode<PendingSignIn> node)
    {
        _oldestFirst.Remove(node);
        _byUser.Remove(node.Value.UserId);
    }
}
