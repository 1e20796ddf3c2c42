using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// Access tokens from each user's MSAL cache (<c>AcquireTokenSilent</c>): refreshes silently and saves rolled refresh tokens;
/// a sign-in that no longer works becomes <see cref="ReauthorizationRequiredException"/>.
/// </summary>
internal sealed class MsalUserAccessTokenProvider(
    MsalClientFactory clients,
    ProtectedTokenStore tokens,
    ILogger<MsalUserAccessTokenProvider> logger) : IUserAccessTokenProvider, IDisposable
{
    // One refresh per user at a time: refresh tokens rotate, so two concurrent refreshes would lose one of them.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken)
    {
        Guard.UserId(userId);
        SemaphoreSlim gate = _gates.GetOrAdd(userId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ConnectedAccount account = await tokens.GetAsync(userId, cancellationToken).ConfigureAwait(false)
                ?? throw new ReauthorizationRequiredException("The user has not connected a Microsoft account (or it was disconnected): ask them to connect it.");
            var cache = new UserTokenCache(account.MsalCache);
            IClientApplicationBase app;
            try
            {
                app = account.PublicClient ? clients.CreatePublic(cache) : clients.Create(cache);
            }
            catch (InvalidOperationException ex)
            {
                // Connected with the app's secret, which is no longer configured: a public client cannot redeem its refresh token.
                AuthenticationLog.ReauthorizationRequired(logger, userId, "no_client_credential");
                throw new ReauthorizationRequiredException("The user's Microsoft account was connected with the app's client secret, which is not configured now: configure it again, or ask the user to connect their account again.", ex);
            }

            AuthenticationResult result;
            try
            {
                IAccount msalAccount = await app.GetAccountAsync(account.AccountId).ConfigureAwait(false)
                    ?? throw new MsalUiRequiredException(MsalError.NoAccountForLoginHint, "The token cache holds no account.");
                result = await app.AcquireTokenSilent(clients.ResourceScopes, msalAccount).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MsalUiRequiredException ex)
            {
                AuthenticationLog.ReauthorizationRequired(logger, userId, ex.ErrorCode);
                throw new ReauthorizationRequiredException($"The user's Microsoft sign-in can no longer be used ({ex.ErrorCode}): ask them to connect their account again.", ex);
            }
            catch (MsalServiceException ex) when (ex.ErrorCode == "invalid_grant")
            {
                AuthenticationLog.ReauthorizationRequired(logger, userId, ex.ErrorCode);
                throw new ReauthorizationRequiredException($"The user's Microsoft sign-in can no longer be used ({ex.ErrorCode}): ask them to connect their account again.", ex);
            }

            if (cache.Changed && cache.Data is not null)
            {
                await tokens.SetAsync(userId, account with { MsalCache = cache.Data }, cancellationToken).ConfigureAwait(false);
            }

            return result.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (SemaphoreSlim gate in _gates.Values)
        {
            gate.Dispose();
        }
    }
}
