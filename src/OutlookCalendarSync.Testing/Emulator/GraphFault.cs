namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>
/// A failure to inject into the emulator's answers with <see cref="GraphEmulator.InjectFault(GraphFault)"/>.
/// </summary>
/// <remarks>
/// <para>
/// A fault matches a request by <see cref="Method"/> and <see cref="PathPattern"/> (both optional), fires on every
/// <see cref="EveryNth"/>-th matching request, and stops after it fired <see cref="Times"/> times.
/// Start from a factory and adjust with <c>with</c>:
/// <c>GraphFault.Throttle(TimeSpan.Zero) with { Times = 2, PathPattern = "/me/events" }</c>.
/// </para>
/// <para>
/// Status faults (429, 503, 504, 410, 412, 401) are applied to each request inside a <c>$batch</c> one by one, as Graph
/// throttles batched requests individually; the <c>$batch</c> request itself only gets them when
/// <see cref="PathPattern"/> matches <c>/$batch</c>. Transport faults (dropped connection, delay, malformed body, lost or
/// truncated answer) apply to whole HTTP requests only.
/// </para>
/// </remarks>
/// <param name="Kind">The failure to produce.</param>
public sealed record GraphFault(GraphFaultKind Kind)
{
    /// <summary>Gets the HTTP method the fault is limited to (case-insensitive).</summary>
    /// <value><see langword="null"/> (the default) matches every method.</value>
    public string? Method { get; init; }

    /// <summary>
    /// Gets a regular expression matched against the request path after <c>/v1.0</c>
    /// (for example <c>/me/events</c> or <c>^/me/calendarView/delta</c>); <c>/users/{id}/</c> paths are matched
    /// as <c>/me/</c>.
    /// </summary>
    /// <value><see langword="null"/> (the default) matches every path.</value>
    public string? PathPattern { get; init; }

    /// <summary>Gets how many times the fault fires before it is spent.</summary>
    /// <value><see langword="null"/> (the default) fires until removed.</value>
    public int? Times { get; init; }

    /// <summary>Gets which matching requests the fault fires on: every k-th one.</summary>
    /// <value>1 (the default) fires on every matching request.</value>
    public int EveryNth { get; init; } = 1;

    /// <summary>Gets the <c>Retry-After</c> header sent with 429, 503 and 504, rounded up to whole seconds.</summary>
    /// <value><see langword="null"/> sends none with 503 and 504, and <c>Retry-After: 0</c> with 429.</value>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Gets a <c>Retry-After</c> value sent as written instead of <see cref="RetryAfter"/>: Graph also sends decimal seconds
    /// (<c>2.5</c>) and HTTP dates (<c>Wed, 21 Oct 2026 07:28:00 GMT</c>).
    /// </summary>
    /// <value><see langword="null"/> (the default) sends <see cref="RetryAfter"/> in whole seconds.</value>
    public string? RetryAfterHeader { get; init; }

    /// <summary>
    /// Gets how many requests of a <c>$batch</c> a <see cref="GraphFaultKind.LostAnswer"/> or
    /// <see cref="GraphFaultKind.TruncatedAnswer"/> fault lets Graph carry out before the answer is lost; the others are not
    /// carried out, as when the server stops midway.
    /// </summary>
    /// <value><see langword="null"/> (the default) carries out every request.</value>
    public int? CarriedOutItems { get; init; }

    /// <summary>Gets how long a <see cref="GraphFaultKind.Delay"/> fault holds the request.</summary>
    /// <value><see cref="TimeSpan.Zero"/> by default.</value>
    public TimeSpan Delay { get; init; }

    /// <summary>Creates a 429 fault with the given <c>Retry-After</c> (zero is allowed and keeps tests fast).</summary>
    /// <param name="retryAfter">The delay to announce; whole seconds are sent.</param>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault Throttle(TimeSpan retryAfter) => new(GraphFaultKind.TooManyRequests) { RetryAfter = retryAfter };

    /// <summary>Creates a 503 fault.</summary>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault ServiceUnavailable() => new(GraphFaultKind.ServiceUnavailable);

    /// <summary>Creates a 504 fault.</summary>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault GatewayTimeout() => new(GraphFaultKind.GatewayTimeout);

    /// <summary>Creates a 410 <c>SyncStateNotFound</c> fault.</summary>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault SyncStateNotFound() => new(GraphFaultKind.SyncStateNotFound);

    /// <summary>Creates a 412 <c>ErrorIrresolvableConflict</c> fault.</summary>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault PreconditionFailed() => new(GraphFaultKind.PreconditionFailed);

    /// <summary>
    /// Creates a 401 <c>InvalidAuthenticationToken</c> fault: limited with <see cref="PathPattern"/>, it refuses some requests of a
    /// <c>$batch</c> and lets Graph carry out the others.
    /// </summary>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault Unauthorized() => new(GraphFaultKind.Unauthorized);

    /// <summary>Creates a fault that aborts the connection without answering.</summary>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault DropConnection() => new(GraphFaultKind.DropConnection);

    /// <summary>Creates a fault that holds the request for <paramref name="delay"/> before answering it normally.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault Slow(TimeSpan delay) => new(GraphFaultKind.Delay) { Delay = delay };

    /// <summary>Creates a fault that carries out the request, then aborts the connection without answering.</summary>
    /// <param name="carriedOutItems">For a <c>$batch</c>, how many of its requests are carried out; null for all.</param>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault LoseAnswer(int? carriedOutItems = null) => new(GraphFaultKind.LostAnswer) { CarriedOutItems = carriedOutItems };

    /// <summary>Creates a fault that carries out the request, then sends only the first half of the answer's body.</summary>
    /// <param name="carriedOutItems">For a <c>$batch</c>, how many of its requests are carried out; null for all.</param>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault TruncateAnswer(int? carriedOutItems = null) => new(GraphFaultKind.TruncatedAnswer) { CarriedOutItems = carriedOutItems };

    /// <summary>Creates a fault that answers 200 with a body that is not valid JSON.</summary>
    /// <returns>A fault that fires on every request until limited or removed.</returns>
    public static GraphFault MalformedBody() => new(GraphFaultKind.MalformedBody);
}
