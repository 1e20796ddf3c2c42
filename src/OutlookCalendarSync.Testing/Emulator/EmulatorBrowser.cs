using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>
/// Plays a user's browser on the <see cref="GraphEmulator"/>'s sign-in page: follows a sign-in URL as a mailbox's user and returns
/// the query Microsoft redirects back to the app with, for tests of a host's connect flow.
/// </summary>
/// <example>
/// <code>
/// using var browser = new EmulatorBrowser(emulator);
/// Uri url = await authorization.BuildSignInUrlAsync("user-1");
/// IReadOnlyDictionary&lt;string, string&gt; callback = await browser.SignInAsync(url, "alice");
/// SignInResult result = await authorization.CompleteSignInAsync(callback, "user-1");
/// </code>
/// </example>
/// <threadsafety>Safe for concurrent use.</threadsafety>
public sealed partial class EmulatorBrowser : IDisposable
{
    private readonly HttpClient _client;

    /// <summary>Creates a browser that trusts exactly the emulator's certificate.</summary>
    /// <param name="emulator">The emulator whose sign-in page the URLs point at.</param>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is null.</exception>
    public EmulatorBrowser(GraphEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        _client = new HttpClient(emulator.CreateHttpsHandler());
    }

    /// <summary>Opens the sign-in URL as the mailbox's user, who signs in (and consents, unless told to decline).</summary>
    /// <param name="signInUrl">The URL the app sent the browser to.</param>
    /// <param name="mailbox">The mailbox to sign in as (sent as <c>login_hint</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The query of the redirect back to the app: <c>code</c> and <c>state</c>, or <c>error</c>.</returns>
    /// <exception cref="InvalidOperationException">The sign-in page did not redirect back; the message has its answer.</exception>
    public async Task<IReadOnlyDictionary<string, string>> SignInAsync(Uri signInUrl, string mailbox, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signInUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        using HttpResponseMessage response = await _client
            .GetAsync(new Uri(QueryHelpers.AddQueryString(signInUrl.AbsoluteUri, "login_hint", mailbox)), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } location)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"The emulator's sign-in page answered {(int)response.StatusCode} instead of redirecting back: {body}");
        }

        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Plays the whole browser round trip: opens the sign-in URL as the mailbox's user and delivers Microsoft's answer to the app's
    /// redirect URI, following the redirect (a GET with the query) or, for <c>response_mode=form_post</c>, posting the page's form,
    /// as a browser does. For an app that listens on the redirect URI itself, such as MSAL's system-browser sign-in on
    /// <c>http://localhost:{port}</c>.
    /// </summary>
    /// <param name="signInUrl">The URL the app opened the browser at.</param>
    /// <param name="mailbox">The mailbox to sign in as (sent as <c>login_hint</c>).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The page the app's redirect URI answered with.</returns>
    /// <exception cref="InvalidOperationException">
    /// The sign-in page neither redirected back nor posted a form, or the app's redirect URI answered with an error status.
    /// </exception>
    /// <remarks>
    /// MSAL opens the browser before it starts listening on the loopback redirect URI, so a connection refused there is retried
    /// for up to 10 seconds: a person's browser is never that quick.
    /// </remarks>
    public async Task<string> CompleteSignInAsync(Uri signInUrl, string mailbox, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signInUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        Func<HttpRequestMessage> back;
        using (HttpResponseMessage response = await _client
            .GetAsync(new Uri(QueryHelpers.AddQueryString(signInUrl.AbsoluteUri, "login_hint", mailbox)), cancellationToken)
            .ConfigureAwait(false))
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location)
            {
                back = () => new HttpRequestMessage(HttpMethod.Get, location);
            }
            else if (response.StatusCode == HttpStatusCode.OK && FormAction().Match(body) is { Success: true } action)
            {
                var fields = FormInput().Matches(body)
                    .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
                    .ToList();
                var target = new Uri(WebUtility.HtmlDecode(action.Groups["action"].Value));
                back = () => new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(fields) };
            }
            else
            {
                throw new InvalidOperationException($"The emulator's sign-in page answered {(int)response.StatusCode} instead of sending the browser back: {body}");
            }
        }

        using var app = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using HttpRequestMessage request = back();
                using HttpResponseMessage page = await app.SendAsync(request, cancellationToken).ConfigureAwait(false);
                string text = await page.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return (int)page.StatusCode < 400
                    ? text
                    : throw new InvalidOperationException($"The app's redirect URI answered {(int)page.StatusCode}: {text}");
            }
            catch (HttpRequestException error) when (error.HttpRequestError == HttpRequestError.ConnectionError && attempt < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<form[^>]*\\saction=\"(?<action>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*\\sname=\"(?<name>[^\"]*)\"[^>]*\\svalue=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormInput();
}
