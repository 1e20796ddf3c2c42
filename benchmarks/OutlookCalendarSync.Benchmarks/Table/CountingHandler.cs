using System.Diagnostics;

namespace OutlookCalendarSync.Benchmarks.Table;

/// <summary>
/// Counts the HTTP requests that reach the wire (inside the Graph SDK's retry handler) and the 429 answers among them, and adds up
/// the time they take (sending until the response headers are read: the emulator's work, Kestrel and the loopback socket).
/// </summary>
internal sealed class CountingHandler(RequestCounter counter) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        counter.Sent();
        long started = Stopwatch.GetTimestamp();
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        counter.Answered(Stopwatch.GetElapsedTime(started));
        if ((int)response.StatusCode == 429)
        {
            counter.Throttled();
        }

        return response;
    }
}

/// <summary>Request and 429 counts and the time spent on the wire, read before and after an operation.</summary>
internal sealed class RequestCounter
{
    private int _requests;
    private int _throttled;
    private long _wireTicks;

    public int Requests => Volatile.Read(ref _requests);

    public int ThrottledCount => Volatile.Read(ref _throttled);

    /// <summary>Gets the time requests took on the wire so far, added up (overlapping requests count each).</summary>
    public TimeSpan WireTime => TimeSpan.FromTicks(Interlocked.Read(ref _wireTicks));

    public void Sent() => Interlocked.Increment(ref _requests);

    public void Throttled() => Interlocked.Increment(ref _throttled);

    public void Answered(TimeSpan took) => Interlocked.Add(ref _wireTicks, took.Ticks);
}
