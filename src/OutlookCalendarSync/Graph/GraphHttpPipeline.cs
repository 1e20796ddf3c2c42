using Microsoft.Graph;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// The HTTP pipeline of the adapter: the Graph SDK's default middleware with its retry handler replaced by
/// <see cref="GraphRetryHandler"/>, plus the <c>Prefer</c> values every request needs.
/// </summary>
internal static class GraphHttpPipeline
{
    public static readonly string[] PreferOnEveryRequest = ["outlook.timezone=\"UTC\"", "IdType=\"ImmutableId\""];

    public static IList<DelegatingHandler> CreateHandlers(MicrosoftGraphOptions options, TimeProvider time)
    {
        IList<DelegatingHandler> handlers = GraphClientFactory.CreateDefaultHandlers();
        int retry = handlers.Select((handler, index) => (handler, index)).FirstOrDefault(h => h.handler is RetryHandler, (null!, -1)).index;
        var ours = new GraphRetryHandler(options, time);
        if (retry < 0)
        {
            handlers.Insert(0, ours);
        }
        else
        {
            handlers[retry].Dispose();
            handlers[retry] = ours;
        }

        handlers.Add(new PreferHeadersHandler());
        return handlers;
    }

    /// <summary>
    /// Adds the <c>Prefer</c> values to requests built without them: the <c>$batch</c> envelope, which the SDK sends without a
    /// request configuration. Requests that carry them already are left alone.
    /// </summary>
    private sealed class PreferHeadersHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string present = request.Headers.TryGetValues("Prefer", out IEnumerable<string>? values) ? string.Join(",", values) : string.Empty;
            foreach (string preference in PreferOnEveryRequest)
            {
                if (!present.Contains(preference, StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation("Prefer", preference);
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
