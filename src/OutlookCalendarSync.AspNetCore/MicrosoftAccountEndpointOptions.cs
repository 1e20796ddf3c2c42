using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using OutlookCalendarSync.Authentication;

namespace OutlookCalendarSync.AspNetCore;

/// <summary>Settings of the endpoints <c>MapOutlookCalendarSync</c> maps.</summary>
public sealed class MicrosoftAccountEndpointOptions
{
    /// <summary>
    /// Gets or sets the path that sends the signed-in user to Microsoft to connect their account.
    /// <value>Default: <c>/microsoft_account/connect</c>.</value>
    /// </summary>
    public string ConnectPath { get; set; } = "/microsoft_account/connect";

    /// <summary>
    /// Gets or sets the path Microsoft redirects back to; it must match the redirect URI of the options.
    /// <value>Default: <c>/microsoft_account/authentication</c>.</value>
    /// </summary>
    public string CallbackPath { get; set; } = MicrosoftAccountOptions.CallbackPath;

    /// <summary>
    /// Gets or sets how the host's user id is read from a request: the id the sync, the token store and the engine's
    /// <c>SyncAsync(userId)</c> know the user by. <see langword="null"/> or empty means nobody is signed in, which answers 401.
    /// <value>Default: the <see cref="ClaimTypes.NameIdentifier"/> claim of <see cref="HttpContext.User"/>.</value>
    /// </summary>
    /// <remarks>
    /// The default needs the host's authentication to run before the endpoints (<c>app.UseAuthentication()</c>) and to issue a
    /// <see cref="ClaimTypes.NameIdentifier"/> claim, as cookie and OpenID Connect sign-ins usually do. A host whose user id is
    /// another claim reads it here, for example <c>o.GetUserId = c =&gt; c.User.FindFirstValue("sub")</c>. The same user must be
    /// signed in at the callback as at the connect, or the callback answers <c>invalid_state</c>.
    /// </remarks>
    public Func<HttpContext, string?> GetUserId { get; set; } = static context => context.User.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>
    /// Gets or sets where the callback sends the browser afterwards, a path of the host app (a query may follow); the outcome is
    /// added as <c>microsoft_account</c> to the query: <c>connected</c>, <c>denied</c> (Microsoft answered with an
    /// error, such as consent refused), <c>invalid_state</c> (an unknown, expired or reused sign-in, or another user's) or
    /// <c>failed</c> (no code came back, or it could not be exchanged for tokens).
    /// <value>Default: <c>/</c>, so the browser lands on <c>/?microsoft_account=connected</c>.</value>
    /// </summary>
    public string ReturnPath { get; set; } = "/";

    /// <summary>
    /// Gets or sets a custom answer to the callback, instead of the redirect to <see cref="ReturnPath"/>: it gets the request and
    /// the <see cref="SignInResult"/> (its <see cref="SignInResult.Status"/> and, when connected, the account), and returns the
    /// response, for example <c>(c, r) =&gt; Results.Redirect(r.Status == SignInStatus.Connected ? "/welcome" : "/help")</c>.
    /// <value>Default: <see langword="null"/> (the redirect to <see cref="ReturnPath"/>).</value>
    /// </summary>
    public Func<HttpContext, SignInResult, IResult>? OnCompleted { get; set; }
}
