using System.Net;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// Retries a request Graph answered 429, 503 or 504, honouring <c>Retry-After</c> in every form Graph sends (whole or decimal
/// seconds, HTTP date), on the adapter's clock. It replaces the SDK's retry handler, which reads no decimal value (it then waits
/// its own 3 s) and waits any delay up to 180 s inside the run.
/// </summary>
/// <remarks>
/// A request is sent again at most <see cref="MicrosoftGraphOptions.MaxThrottleRetries"/> times, and only while the waits add up
/// to no more than <see cref="MicrosoftGraphOptions.MaxRetryAfter"/>; otherwise the throttled answer is returned at once, and the
/// adapter ends the read or the write with the instant Graph gave (<see cref="ThrottledException"/> or a transient failure). A
/// <c>$batch</c> is retried as a whole only when the batch itself is throttled; its items are retried by the adapter.
/// </remarks>
internal sealed class GraphRetryHandler(MicrosoftGraphOptions options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // Buffered once, the body can be sent again with the same request message.
#if NET9_0_OR_GREATER
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
            await request.Content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
        }

        TimeSpan waited = TimeSpan.Zero;
        for (int attempt = 0; ; attempt++)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!IsRetryable(response.StatusCode) || attempt >= options.MaxThrottleRetries)
            {
                return response;
            }

            TimeSpan wait = RetryAfter.Of(response.Headers, time.GetUtcNow()) ?? options.DefaultRetryDelay;
            if (wait > options.MaxRetryAfter - waited)
            {
                return response;
            }

            response.Dispose();
            waited += wait;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static bool IsRetryable(HttpStatusCode status)
        => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
