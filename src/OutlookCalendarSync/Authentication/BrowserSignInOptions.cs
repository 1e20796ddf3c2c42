namespace OutlookCalendarSync.Authentication;

/// <summary>How <see cref="IPublicClientSignIn.SignInWithBrowserAsync"/> runs the browser sign-in.</summary>
public sealed class BrowserSignInOptions
{
    /// <summary>The redirect URI that takes any free port: register it as is, Microsoft Entra ignores the port of a loopback URI.</summary>
    public static readonly Uri DefaultRedirectUri = new("http://localhost");

    /// <summary>
    /// Gets or sets the loopback redirect URI MSAL listens on: <c>http://localhost</c> (a free port) or <c>http://localhost:{port}</c>.
    /// <value>Default: <see cref="DefaultRedirectUri"/>.</value>
    /// </summary>
    public Uri RedirectUri { get; set; } = DefaultRedirectUri;

    /// <summary>
    /// Gets or sets the account to suggest on the sign-in page, such as <c>alice@contoso.com</c>.
    /// <value>Default: <see langword="null"/> (Microsoft asks).</value>
    /// </summary>
    public string? LoginHint { get; set; }

    /// <summary>
    /// Gets or sets how the sign-in URL is opened (print it, start a browser, or, in tests, play the browser). It must return once
    /// the browser is started: MSAL starts listening on <see cref="RedirectUri"/> after it returns.
    /// <value>Default: <see langword="null"/> (MSAL starts the system browser).</value>
    /// </summary>
    public Func<Uri, CancellationToken, Task>? OpenBrowser { get; set; }
}
