
namespace OutlookCalendarSync.Reporting;

/// <summary>One event that could not be synced; the rest of the run went on.</summary>
/// <remarks>Compared by value; made by the library, with read-only properties (not positional): later versions may add properties without breaking callers.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SyncFailure
{
    internal SyncFailure(SyncSide side, WriteKind? operation, string? hostId, string? outlookId, string? subject, string reason, string? errorCode, bool willRetry)
    {
        Side = side;
        Operation = operation;
        HostId = hostId;
        OutlookId = outlookId;
        Subject = subject;
        Reason = reason;
        ErrorCode = errorCode;
        WillRetry = willRetry;
    }

    /// <summary>The side where it failed.</summary>
    public SyncSide Side { get; }

    /// <summary>The write that failed, or null for bad input.</summary>
    public WriteKind? Operation { get; }

    /// <summary>The host event's id, if any.</summary>
    public string? HostId { get; }

    /// <summary>The Outlook event's id, if any.</summary>
    public string? OutlookId { get; }

    /// <summary>The event's subject, for people.</summary>
    public string? Subject { get; }

    /// <summary>What went wrong and, where it helps, what to do.</summary>
    public string Reason { get; }

    /// <summary>The service's error code, if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>True when the next run tries again.</summary>
    public bool WillRetry { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Side} {Operation} {HostId ?? OutlookId} '{Subject}': {Reason}{(ErrorCode is null ? string.Empty : $" ({ErrorCode})")}";
}
