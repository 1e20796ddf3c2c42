using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// Puts sign-ins into the host's <see cref="IPendingSignInStore"/> and takes them out again: the store gets a hash of the
/// <c>state</c> as the key and the PKCE verifier protected with Data Protection for that one user, never either in clear.
/// </summary>
/// <remarks>
/// The store is resolved from a new scope for each call, so a host's scoped store (on a DbContext) works. The verifier's protector
/// has the user id as a purpose, so a row moved to another user in the database cannot be used by them either.
/// </remarks>
internal sealed class PendingSignIns(IServiceScopeFactory scopes, IDataProtectionProvider provider)
{
    private const string Purpose = "OutlookCalendarSync.PendingSignIn.v1";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public async Task AddAsync(string userId, string state, string codeVerifier, Instant expiresAt, CancellationToken cancellationToken)
    {
        byte[] payload = _protector.CreateProtector(userId).Protect(Encoding.UTF8.GetBytes(codeVerifier));
        var signIn = new PendingSignIn(Key(state), userId, payload, expiresAt);
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPendingSignInStore>().AddAsync(signIn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the user's sign-in with this state.</summary>
    /// <returns>The PKCE verifier, or <see langword="null"/> when the state is not the user's pending, unexpired sign-in.</returns>
    public async Task<string?> TakeAsync(string userId, string state, Instant now, CancellationToken cancellationToken)
    {
        PendingSignIn? signIn;
        await using (AsyncServiceScope scope = scopes.CreateAsyncScope())
        {
            signIn = await scope.ServiceProvider.GetRequiredService<IPendingSignInStore>().TakeAsync(Key(state), userId, cancellationToken).ConfigureAwait(false);
        }

        // The store checked both already; a host's store that did not must still not let another user or an old link through.
        if (signIn is null || !string.Equals(signIn.UserId, userId, StringComparison.Ordinal) || signIn.ExpiresAt <= now)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(_protector.CreateProtector(userId).Unprotect(signIn.GetPayload()));
        }
        catch (CryptographicException)
        {
            // Tampered with, protected for another user, or this server does not share the key ring of the one that built the URL.
            return null;
        }
    }

    /// <summary>The store's key: SHA-256 of the state, so a copy of the store holds nothing a callback could present.</summary>
    private static string Key(string state) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
