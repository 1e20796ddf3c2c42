using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Stores;

/// <summary>The right to run syncs for a user until <see cref="ExpiresAt"/>: only one run per user at a time.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class SyncLease
{
    /// <summary>Creates a lease (stores call this).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="token">An unguessable token that identifies this holder.</param>
    /// <param name="expiresAt">When the lease lapses if it is not renewed or released.</param>
    public SyncLease(string userId, string token, Instant expiresAt)
    {
        UserId = Guard.UserId(userId);
        Token = Guard.NotNullOrWhiteSpace(token);
        ExpiresAt = expiresAt;
    }

    /// <summary>The user.</summary>
    public string UserId { get; }

    /// <summary>An unguessable token that identifies this holder.</summary>
    public string Token { get; }

    /// <summary>When the lease lapses if it is not renewed or released (a crashed process does not block the user for long).</summary>
    public Instant ExpiresAt { get; }
}
