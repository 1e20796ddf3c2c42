namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>The failure a <see cref="GraphFault"/> makes the emulator produce.</summary>
public enum GraphFaultKind
{
    /// <summary>429 TooManyRequests with a <c>Retry-After</c> header in whole seconds. Applied per item inside <c>$batch</c>.</summary>
    TooManyRequests,

    /// <summary>503 ServiceUnavailable (with <c>Retry-After</c> when <see cref="GraphFault.RetryAfter"/> is set). Applied per item inside <c>$batch</c>.</summary>
    ServiceUnavailable,

    /// <summary>504 GatewayTimeout (with <c>Retry-After</c> when <see cref="GraphFault.RetryAfter"/> is set). Applied per item inside <c>$batch</c>.</summary>
    GatewayTimeout,

    /// <summary>410 Gone with code <c>SyncStateNotFound</c>, as for an expired delta token. Applied per item inside <c>$batch</c>.</summary>
    SyncStateNotFound,

    /// <summary>412 PreconditionFailed with code <c>ErrorIrresolvableConflict</c>. Applied per item inside <c>$batch</c>.</summary>
    PreconditionFailed,

    /// <summary>The connection is aborted without a response. Applied to whole HTTP requests only.</summary>
    DropConnection,

    /// <summary>The request waits <see cref="GraphFault.Delay"/> and is then answered normally. Applied to whole HTTP requests only.</summary>
    Delay,

    /// <summary>200 OK with a body that is not valid JSON. Applied to whole HTTP requests only.</summary>
    MalformedBody,

    /// <summary>
    /// The request is carried out (a <c>$batch</c> only up to <see cref="GraphFault.CarriedOutItems"/> of its requests), then the
    /// connection is aborted without an answer, as when the client crashes or the network drops after Graph received the
    /// request. Applied to whole HTTP requests only.
    /// </summary>
    LostAnswer,

    /// <summary>
    /// The request is carried out (a <c>$batch</c> only up to <see cref="GraphFault.CarriedOutItems"/> of its requests), then the
    /// answer's body is cut off halfway. Applied to whole HTTP requests only.
    /// </summary>
    TruncatedAnswer,

    /// <summary>
    /// 401 Unauthorized with code <c>InvalidAuthenticationToken</c>, as Graph answers an access token it no longer accepts (revoked,
    /// or expired by Graph's clock). Applied per item inside <c>$batch</c>: whether Graph refuses a bad token for a batch as a whole
    /// or item by item is not documented; <see cref="GraphEmulator.RevokeApplicationTokens"/> plays the first reading (401 for the
    /// envelope), this fault the second (a 200 batch whose items are 401, some items refused and others carried out).
    /// </summary>
    Unauthorized,
}
