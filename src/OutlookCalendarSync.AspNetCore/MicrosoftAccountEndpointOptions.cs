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
    /// Gets or sets how the host's user id is read from a request; <see langword="null"/> means nobody is signed in, which
    /// answers 401.
    /// <value>Default: the <see cref="ClaimTypes.NameIdentifier"/> claim of <see cref="HttpContext.User"/>.</value>
    /// </summary>
    public Func<HttpContext, string?> GetUserId { get; set; } = static context => context.User.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>
    /// Gets or sets where the callback sends the browser afterwards; the outcome is added as <c>microsoft_account</c> to the
    /// query (<c>connected</c>, <c>denied</c>, <c>invalid_state</c> or <c>failed</c>).
    /// <value>Default: <c>/</c>.</value>
    /// </summary>
    public string ReturnPath { get; set; } = "/";

    /// <summary>
    /// Gets or sets a custom answer to the callback, instead of the redirect to <see cref="ReturnPath"/>.
    /// <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Func<HttpContext, SignInResult, IResult>? OnCompleted { get; set; }
}
