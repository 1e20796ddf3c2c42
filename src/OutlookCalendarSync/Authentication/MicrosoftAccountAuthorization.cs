using System.Security.Cryptography;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;
using NodaTime;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Notifications;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// The authorization-code flow with PKCE through MSAL; pending sign-ins are kept in the <see cref="IPendingSignInStore"/>, so the
/// callback may reach any server that shares it.
/// </summary>
internal sealed class MicrosoftAccountAuthorization(
    MsalClientFactory clients,
    ProtectedTokenStore tokens,
    PendingSignIns pendingSignIns,
    IServiceScopeFactory scopes,
    IClock clock,
    ILogger<MicrosoftAccountAuthorization> logger) : IMicrosoftAccountAuthorization
{
    public async Task<Uri> BuildSignInUrlAsync(string userId, string? loginHint = null, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        Instant now = clock.GetCurrentInstant();
        string state = Base64Url(RandomNumberGenerator.GetBytes(32));
        IConfidentialClientApplication app = clients.Create(new UserTokenCache(null));
        GetAuthorizationRequestUrlParameterBuilder request = app.GetAuthorizationRequestUrl(clients.ResourceScopes)
            .WithPkce(out string verifier)
            .WithExtraQueryParameters(new Dictionary<string, (string, bool)>(StringComparer.Ordinal) { ["state"] = (state, false) });
        if (!string.IsNullOrWhiteSpace(loginHint))
        {
            request = request.WithLoginHint(loginHint);
        }

        Uri url = await request.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        // Replaces the user's earlier pending sign-in: only the newest link of a user works.
        await pendingSignIns.AddAsync(userId, state, verifier, now + clients.Options.SignInLifetime, cancellationToken).ConfigureAwait(false);
        AuthenticationLog.SignInStarted(logger, userId);
        return url;
    }

    public Task<SignInResult> CompleteSignInAsync(IReadOnlyDictionary<string, string> query, string userId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        return CompleteSignInAsync(Get("code"), Get("state"), Get("error"), Get("error_description"), userId, cancellationToken);

        string? Get(string name) => query.TryGetValue(name, out string? value) ? value : null;
    }

    public async Task<SignInResult> CompleteSignInAsync(string? code, string? state, string? errorCode, string? errorDescription, string userId, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        Instant now = clock.GetCurrentInstant();

        // Taken only when it is this user's: another user presenting the state neither connects nor uses up the owner's sign-in.
        string? codeVerifier = string.IsNullOrEmpty(state) ? null : await pendingSignIns.TakeAsync(userId, state, now, cancellationToken).ConfigureAwait(false);
        if (codeVerifier is null)
        {
            AuthenticationLog.InvalidState(logger, userId);
            return new SignInResult
            {
                Status = SignInStatus.InvalidState,
                Error = "invalid_state",
                Message = "This sign-in link is invalid, was already used, was replaced by a newer one or has expired. Start connecting your Microsoft account again.",
            };
        }

        if (!string.IsNullOrEmpty(errorCode))
        {
            AuthenticationLog.Denied(logger, userId, errorCode);
            return new SignInResult
            {
                Status = SignInStatus.Denied,
                UserId = userId,
                Error = errorCode,
                Message = errorCode == "access_denied"
                    ? "The Microsoft account was not connected: permission was declined. Connect again and accept the requested permissions, or ask your administrator to grant consent for your organization."
                    : $"Microsoft did not connect the account ({errorCode}): {errorDescription}",
            };
        }

        if (string.IsNullOrEmpty(code))
        {
            return Failed(userId, "invalid_request", "The redirect carried neither a code nor an error. Start connecting your Microsoft account again.");
        }

        var cache = new UserTokenCache(null);
        IConfidentialClientApplication app = clients.Create(cache);
        AuthenticationResult result;
        try
        {
            result = await app.AcquireTokenByAuthorizationCode(clients.ResourceScopes, code)
                .WithPkceCodeVerifier(codeVerifier)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MsalException ex)
        {
            AuthenticationLog.ExchangeFailed(logger, userId, ex.ErrorCode);
            return Failed(userId, ex.ErrorCode, "Microsoft did not accept the sign-in. Start connecting your Microsoft account again.");
        }

        return await ConnectAsync(tokens, scopes, logger, userId, result, cache, now, publicClient: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the account MSAL signed in (Web or public client alike), makes the user due for a sync and answers the connection.
    /// </summary>
    internal static async Task<SignInResult> ConnectAsync(
        ProtectedTokenStore tokens, IServiceScopeFactory scopes, ILogger logger, string userId, AuthenticationResult result, UserTokenCache cache, Instant now, bool publicClient, CancellationToken cancellationToken)
    {
        var account = new ConnectedAccount(
            result.Account.HomeAccountId.Identifier,
            result.Account.Username,
            result.TenantId ?? result.Account.HomeAccountId.TenantId,
            result.Scopes.ToList(),
            now,
            cache.Data ?? [],
            publicClient);
        await tokens.SetAsync(userId, account, cancellationToken).ConfigureAwait(false);
        await ActivateAsync(scopes, userId, cancellationToken).ConfigureAwait(false);
        AuthenticationLog.Connected(logger, userId, account.AccountId);
        MicrosoftAccountConnection connection = account.ToConnection(userId);
        return new SignInResult
        {
            Status = SignInStatus.Connected,
            UserId = userId,
            Connection = connection,
            Message = $"Your Microsoft account {connection.Username} is connected.",
        };
    }

    public async Task<MicrosoftAccountConnection?> GetConnectionAsync(string userId, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        ConnectedAccount? account = await tokens.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        return account?.ToConnection(userId);
    }

    public async Task DisconnectAsync(string userId, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);

        // While the tokens still work: the user's change-notification subscription is deleted in Graph.
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            if (scope.ServiceProvider.GetService<ChangeNotificationService>() is { } notifications)
            {
                await notifications.UnsubscribeAsync(userId, cancellationToken).ConfigureAwait(false);
            }
        }

        await tokens.RemoveAsync(userId, cancellationToken).ConfigureAwait(false);
        AuthenticationLog.Disconnected(logger, userId);
    }

    private static SignInResult Failed(string userId, string error, string message) =>
        new() { Status = SignInStatus.Failed, UserId = userId, Error = error, Message = message };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// A user who connects for the first time gets a header (active, due at once, so a scheduler finds them); a user who reconnects
    /// after their sign-in stopped working can sync again; paused or stopped users stay so.
    /// </summary>
    internal static async Task ActivateAsync(IServiceScopeFactory scopeFactory, string userId, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = scopeFactory.CreateAsyncScope();
        await using ConfiguredAsyncDisposable scopeDisposal = scope.ConfigureAwait(false);
        ISyncStateStore states = scope.ServiceProvider.GetRequiredService<ISyncStateStore>();
        for (int attempt = 0; ; attempt++)
        {
            SyncStateHeader? header = await states.GetHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
            if (header is not null && header.Status != SyncStatus.NeedsReauthorization)
            {
                return;
            }

            try
            {
                SyncStateHeader active = header is null ? new SyncStateHeader(userId) : header with { Status = SyncStatus.Active, NextSyncAt = null, LastError = null };
                await states.SaveAsync(new SyncStateChanges(active), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SyncStateConflictException) when (attempt < 5)
            {
                // A sync saved in between: read its state and set the status on top of it.
            }
        }
    }
}
