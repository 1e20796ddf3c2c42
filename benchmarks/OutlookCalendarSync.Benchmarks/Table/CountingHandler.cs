namespace OutlookCalendarSync.Benchmarks.Table;

/// <summary>Counts the HTTP requests that reach the wire (inside the Graph SDK's retry handler) and the 429 answers among them.</summary>
internal sealed class CountingHandler(RequestCounter counter) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        counter.Sent();
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode == 429)
        {
            counter.Throttled();
        }

        return response;
    }
}

/// <summary>Request and 429 counts, read before and after an operation.</summary>
internal sealed class RequestCounter
{
    private int _requests;
    private int _throttled;

    public int Requests => Volatile.Read(ref _requests);

    public int ThrottledCount => Volatile.Read(ref _throttled);

    public void Sent() => Interlocked.Increment(ref _requests);

    public void Throttled() => Interlocked.Increment(ref _throttled);
}
