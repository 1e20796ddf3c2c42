using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Stores;

/// <summary>
/// A row of an <see cref="IPendingSignInStore"/>: a sign-in URL handed to a user and not yet completed.
/// </summary>
/// <remarks>
/// <see cref="Key"/> is a hash of the URL's <c>state</c> (the store never sees the state itself), and the payload (<see cref="GetPayload"/>) is
/// opaque bytes the library protected with ASP.NET Core Data Protection for this user (the PKCE code verifier): store both as
/// given.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class PendingSignIn
{
    private readonly byte[] _payload;

    /// <summary>Creates a row.</summary>
    /// <param name="key">The key the callback will present: a hash of the sign-in URL's <c>state</c>.</param>
    /// <param name="userId">The host's user the sign-in was started for.</param>
    /// <param name="payload">The library's protected payload; copied.</param>
    /// <param name="expiresAt">When the sign-in stops being usable.</param>
    /// <exception cref="ArgumentException">The key or the user id is empty or white space.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PendingSignIn(string key, string userId, byte[] payload, Instant expiresAt)
    {
        Key = Guard.NotNullOrWhiteSpace(key);
        UserId = Guard.NotNullOrWhiteSpace(userId);
        _payload = (byte[])Guard.NotNull(payload).Clone();
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the key the callback presents: a hash of the sign-in URL's <c>state</c>.</summary>
    public string Key { get; }

    /// <summary>Gets the host's user the sign-in was started for; only this user may complete it.</summary>
    public string UserId { get; }

    /// <summary>Gets when the sign-in stops being usable: a store never returns it from this instant on.</summary>
    public Instant ExpiresAt { get; }

    /// <summary>Gets a copy of the library's protected payload.</summary>
    /// <returns>The payload's bytes.</returns>
    public byte[] GetPayload() => (byte[])_payload.Clone();
}
