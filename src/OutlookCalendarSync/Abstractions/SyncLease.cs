using NodaTime;

namespace OutlookCalendarSync.Abstractions;

/// <summary>The right to run one sync for a user until <see cref="ExpiresAt"/>: only one run per user at a time.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Token">An unguessable token that identifies this holder.</param>
/// <param name="ExpiresAt">When the lease lapses if it is not released (a crashed process does not block the user forever).</param>
public sealed record SyncLease(string UserId, string Token, Instant ExpiresAt);
