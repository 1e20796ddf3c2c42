using System.Net;
using System.Text;

namespace OutlookCalendarSync.Cli.SignIn;

/// <summary>
/// Waits on <c>http://localhost:PORT/microsoft_account/authentication</c> for the browser to come back from the Microsoft sign-in
/// page, and hands over the query (code, state, or error) of the first request that carries one.
/// </summary>
internal sealed class SignInCallbackListener : IDisposable
{
    public const string CallbackPath = "/microsoft_account/authentication";

    private readonly HttpListener _listener = new();

    public SignInCallbackListener(int port)
    {
        RedirectUri = new Uri($"http://localhost:{port}{CallbackPath}");
        _listener.Prefixes.Add($"http://localhost:{port}{CallbackPath}/");
    }

    public Uri RedirectUri { get; }

    /// <summary>Starts listening.</summary>
    /// <exception cref="CliException">The port is taken or cannot be used.</exception>
    public void Start()
    {
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException error)
        {
            throw new CliException(ExitCodes.ConfigurationMissing, $"Cannot listen on {RedirectUri} ({error.Message}): pass another --port, and register that redirect URI in the app registration.", error);
        }
    }

    /// <summary>Waits for the browser's callback and answers it with a page that says what to do next.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration stop = cancellationToken.Register(_listener.Stop);
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (cancellationToken.IsCancellationRequested && error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            var query = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string? key in context.Request.QueryString.AllKeys)
            {
                if (key is not null && context.Request.QueryString[key] is { } value)
                {
                    query[key] = value;
                }
            }

            bool isCallback = query.ContainsKey("code") || query.ContainsKey("error");
            await RespondAsync(context.Response, isCallback
                ? "Signed in. You can close this window and go back to outlook-calendar-sync."
                : "Waiting for the Microsoft sign-in to come back here.").ConfigureAwait(false);
            if (isCallback)
            {
                return query;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            ((IDisposable)_listener).Dispose();
        }
        catch (HttpListenerException)
        {
            // The managed HttpListener can fail to remove its prefix ("Address already in use") when another listener took the
            // port meanwhile; the listener is closed either way, and Dispose must not throw.
        }
    }

    private static async Task RespondAsync(HttpListenerResponse response, string message)
    {
        byte[] body = Encoding.UTF8.GetBytes($"<!doctype html><html><head><meta charset=\"utf-8\"><title>outlook-calendar-sync</title></head><body><p>{WebUtility.HtmlEncode(message)}</p></body></html>");
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        response.Close();
    }
}
