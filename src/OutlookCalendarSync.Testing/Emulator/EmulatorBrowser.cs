using System.Net;
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
public sealed class EmulatorBrowser : IDisposable
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

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
