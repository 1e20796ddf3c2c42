namespace OutlookCalendarSync.Graph;

/// <summary>
/// The settings of the Microsoft Graph adapter, set through <c>.UseMicrosoftGraph(o =&gt; ...)</c> and validated when the app
/// starts.
/// </summary>
public sealed class MicrosoftGraphOptions
{
    /// <summary>The Graph endpoint of the global Microsoft cloud.</summary>
    public static readonly Uri DefaultGraphBaseUrl = new("https://graph.microsoft.com/v1.0/");

    /// <summary>
    /// The Graph base URL, ending with the API version; a national cloud (<c>https://graph.microsoft.us/v1.0/</c>) or the
    /// <c>GraphEmulator</c> of <c>OutlookCalendarSync.Testing</c> in tests.
    /// <value>Default: <c>https://graph.microsoft.com/v1.0/</c>.</value>
    /// </summary>
    /// <remarks>It must use HTTPS, except for a loopback address (the emulator).</remarks>
    public Uri GraphBaseUrl { get; set; } = DefaultGraphBaseUrl;

    /// <summary>
    /// How many events one page of <c>calendarView/delta</c> carries at most (<c>Prefer: odata.maxpagesize</c>), from 1 to 1000.
    /// <value>Default: 1000, the most Outlook gives in a page.</value> Fewer, larger pages cost fewer requests of the mailbox's
    /// 10,000 per 10 minutes and fewer round trips (a first sync of 10,000 events reads 10 pages instead of 200); a page of 1,000
    /// events is about 1–2 MB of JSON, parsed one page at a time. Graph may send fewer events than asked (or more, to keep a
    /// series on one page); the adapter follows <c>@odata.nextLink</c> either way. Lower it only for a host that must keep each
    /// answer small.
    /// </summary>
    public int DeltaPageSize { get; set; } = 1000;

    /// <summary>
    /// How many <c>$batch</c> requests of writes of one mailbox may be in flight at once, from 1 to 4.
    /// <value>Default: 4, Outlook's limit of concurrent requests per mailbox and application.</value> Outlook carries out the
    /// independent requests of a batch 4 at a time, so with 1 a batch's items run side by side and batches go one after another.
    /// With 2 to 4, each batch chains its items (<c>dependsOn</c>): Outlook carries them out one after another, each batch holds
    /// one of the mailbox's 4 concurrent requests, and that many batches overlap with no 429. A write refused inside a chain
    /// (412, 400, ...) makes Outlook skip the rest of its batch (424), which the adapter sends again at once in a new batch. The
    /// writes of one engine call go through this limit; the engine hands the adapter up to 4 batches' worth at a time.
    /// </summary>
    public int MaxBatchesInFlightPerMailbox { get; set; } = 4;

    /// <summary>
    /// How many times a request that was throttled (429) or hit a busy server (503, 504) is sent again, from 0 to 10: every single
    /// request, every <c>$batch</c>, and every request inside a batch (which the SDK does not retry). <c>Retry-After</c> is honoured
    /// as whole seconds, decimal seconds (<c>2.5</c>) or an HTTP date.
    /// <value>Default: 5.</value> A write still failing after that is reported as a transient failure and retried next run; a
    /// read ends the run with <c>SyncRunStatus.Throttled</c>.
    /// </summary>
    public int MaxThrottleRetries { get; set; } = 5;

    /// <summary>
    /// The longest the adapter waits, in all, for <c>Retry-After</c>s of one request (or one request inside a batch) inside a run.
    /// A write asked to wait longer is reported as a transient failure at once and retried next run; a read ends the run at once
    /// with <c>SyncRunStatus.Throttled</c> and the instant Graph gave (<c>SyncResult.RetryAfter</c>), keeping what the run
    /// already did. From zero to 10 minutes; keep it well under <c>HttpClient.Timeout</c> (100 seconds by default).
    /// <value>Default: 30 seconds.</value>
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The delay before a throttled request is sent again when Graph gives no <c>Retry-After</c>. From zero to
    /// <see cref="MaxRetryAfter"/>.
    /// <value>Default: 2 seconds.</value>
    /// </summary>
    public TimeSpan DefaultRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    internal IEnumerable<string> Validate()
    {
        if (GraphBaseUrl is null)
        {
            yield return $"{nameof(GraphBaseUrl)} is required: leave the default {DefaultGraphBaseUrl} or give the Graph endpoint of your cloud.";
        }
        else if (!GraphBaseUrl.IsAbsoluteUri || GraphBaseUrl.Scheme is not ("https" or "http"))
        {
            yield return $"{nameof(GraphBaseUrl)} must be an absolute https URL such as {DefaultGraphBaseUrl} (it is '{GraphBaseUrl}').";
        }
        else
        {
            if (GraphBaseUrl.Scheme == "http" && !GraphBaseUrl.IsLoopback)
            {
                yield return $"{nameof(GraphBaseUrl)} must use https (it is '{GraphBaseUrl}'): access tokens are sent to it. Plain http is only allowed for a loopback address, such as the Graph emulator.";
            }

            string[] segments = GraphBaseUrl.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length != 1 || segments[0] is not ("v1.0" or "beta"))
            {
                yield return $"{nameof(GraphBaseUrl)} must end with the API version, as in {DefaultGraphBaseUrl} (it is '{GraphBaseUrl}'); the SDK's $batch support needs the version as the first path segment.";
            }
        }

        if (DeltaPageSize is < 1 or > 1000)
        {
            yield return $"{nameof(DeltaPageSize)} must be from 1 to 1000 (it is {DeltaPageSize}).";
        }

        if (MaxBatchesInFlightPerMailbox is < 1 or > 4)
        {
            yield return $"{nameof(MaxBatchesInFlightPerMailbox)} must be from 1 to 4, since Outlook allows 4 concurrent requests per mailbox (it is {MaxBatchesInFlightPerMailbox}).";
        }

        if (MaxThrottleRetries is < 0 or > 10)
        {
            yield return $"{nameof(MaxThrottleRetries)} must be from 0 to 10 (it is {MaxThrottleRetries}); writes still throttled are retried by the next run.";
        }

        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > TimeSpan.FromMinutes(10))
        {
            yield return $"{nameof(MaxRetryAfter)} must be from zero to 10 minutes (it is {MaxRetryAfter}).";
        }

        if (DefaultRetryDelay < TimeSpan.Zero || DefaultRetryDelay > MaxRetryAfter)
        {
            yield return $"{nameof(DefaultRetryDelay)} must be from zero to {nameof(MaxRetryAfter)} ({MaxRetryAfter}) (it is {DefaultRetryDelay}).";
        }
    }
}
