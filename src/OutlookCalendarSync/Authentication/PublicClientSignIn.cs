using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;
using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// The public-client sign-ins through MSAL's <see cref="IPublicClientApplication"/>: the system browser with a loopback redirect
/// (PKCE, <c>response_mode=form_post</c>, both added by MSAL) and the device code flow.
/// </summary>
internal sealed class PublicClientSignIn(
    MsalClientFactory clients,
    ProtectedTokenStore tokens,
    IServiceScopeFactory scopes,
    IClock clock,
    ILogger<PublicClientSignIn> logger) : IPublicClientSignIn
{
    private const string NotPublic = "AADSTS7000218";

    public async Task<SignInResult> SignInWithBrowserAsync(string userId, BrowserSignInOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        options ??= new BrowserSignInOptions();
        if (!options.RedirectUri.IsAbsoluteUri || options.RedirectUri.Scheme != Uri.UriSchemeHttp || !options.RedirectUri.IsLoopback)
        {
            throw new ArgumentException($"The redirect URI '{options.RedirectUri}' of a browser sign-in must be http://localhost or http://localhost:{{port}}: MSAL listens there for the browser.", nameof(options));
        }

        var cache = new UserTokenCache(null);
        IPublicClientApplication app = clients.CreatePublic(cache, options.RedirectUri);
        AcquireTokenInteractiveParameterBuilder request = app.AcquireTokenInteractive(clients.ResourceScopes)
            .WithUseEmbeddedWebView(false)
            .WithPrompt(Prompt.SelectAccount);
        if (!string.IsNullOrWhiteSpace(options.LoginHint))
        {
            request = request.WithLoginHint(options.LoginHint.Trim());
        }

        if (options.OpenBrowser is { } open)
        {
            request = request.WithSystemWebViewOptions(new SystemWebViewOptions { OpenBrowserAsync = url => open(url, cancellationToken) });
        }

        AuthenticationLog.SignInStarted(logger, userId);
        return await CompleteAsync(userId, cache, () => request.ExecuteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<SignInResult> SignInWithDeviceCodeAsync(string userId, Func<DeviceCodePrompt, CancellationToken, Task> showPrompt, CancellationToken cancellationToken = default)
    {
        Guard.UserId(userId);
        Guard.NotNull(showPrompt);
        var cache = new UserTokenCache(null);
        IPublicClientApplication app = clients.CreatePublic(cache);
        AcquireTokenWithDeviceCodeParameterBuilder request = app.AcquireTokenWithDeviceCode(
            clients.ResourceScopes,
            code => showPrompt(
                new DeviceCodePrompt(code.UserCode, new Uri(code.VerificationUrl), code.Message, Instant.FromDateTimeOffset(code.ExpiresOn)),
                cancellationToken));
        AuthenticationLog.SignInStarted(logger, userId);
        return await CompleteAsync(userId, cache, () => request.ExecuteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task<SignInResult> CompleteAsync(string userId, UserTokenCache cache, Func<Task<AuthenticationResult>> acquire, CancellationToken cancellationToken)
    {
        AuthenticationResult result;
        try
        {
            result = await acquire().ConfigureAwait(false);
        }
        catch (MsalException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(userId, ex);
        }
        catch (MsalException ex)
        {
            // MSAL may end a cancelled wait with its own authentication_canceled: the caller's cancellation stays a cancellation,
            // and no MSAL type leaves the library.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }

        return await MicrosoftAccountAuthorization.ConnectAsync(tokens, scopes, logger, userId, result, cache, clock.GetCurrentInstant(), publicClient: true, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>What a refused or failed sign-in means for the user, in words that say what to do next.</summary>
    private SignInResult Failure(string userId, MsalException ex)
    {
        string error = ex.ErrorCode;
        AuthenticationLog.Denied(logger, userId, error);
        (SignInStatus status, string message) = error switch
        {
            "authorization_declined" or "access_denied" => (SignInStatus.Denied,
                "The sign-in was declined on the Microsoft page, so the account was not connected. Connect again and approve the sign-in (and the requested permissions), or ask your administrator to grant consent for your organization."),
            "expired_token" or MsalError.CodeExpired => (SignInStatus.Failed,
                "The code was not entered in time: it expired before the sign-in was completed. Connect again and enter the new code within 15 minutes."),
            "invalid_client" when ex.Message.Contains(NotPublic, StringComparison.Ordinal) => (SignInStatus.Failed,
                "Microsoft refused to sign in without the app's client secret (AADSTS7000218): the app registration is not set up as a public client. In the Azure portal, open Microsoft Entra ID > App registrations > your app > Authentication: add the platform 'Mobile and desktop applications' with the redirect URI http://localhost, and under Advanced settings set 'Allow public client flows' to Yes (needed for device codes). Or give the app's client secret to sign in as a Web app."),
            "authentication_canceled" => (SignInStatus.Denied, "The sign-in was cancelled in the browser, so the account was not connected. Connect again."),
            _ => (SignInStatus.Failed, $"Microsoft did not sign in the account ({error}): {FirstLine(ex.Message)} Connect again."),
        };
        return new SignInResult { Status = status, UserId = userId, Error = error, Message = message };
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).TrimEnd();
    }
}
