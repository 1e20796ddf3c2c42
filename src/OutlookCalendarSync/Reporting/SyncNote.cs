
namespace OutlookCalendarSync.Reporting;

/// <summary>An event the run left alone on purpose, and why (outside the window, a past event, waiting for its series, …).</summary>
/// <remarks>Compared by value; made by the library, with read-only properties (not positional): later versions may add properties without breaking callers.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SyncNote
{
    internal SyncNote(SyncSide side, string? eventId, string? subject, string reason, bool willRetry, NoteReason code = NoteReason.Other)
    {
        Side = side;
        EventId = eventId;
        Subject = subject;
        Reason = reason;
        WillRetry = willRetry;
        Code = code;
    }

    /// <summary>Why, as a code the engine acts on (<see cref="Reason"/> is for people).</summary>
    internal NoteReason Code { get; }

    /// <summary>The side the event is on.</summary>
    public SyncSide Side { get; }

    /// <summary>The event's id on that side.</summary>
    public string? EventId { get; }

    /// <summary>The event's subject, for people.</summary>
    public string? Subject { get; }

    /// <summary>Why it was left alone.</summary>
    public string Reason { get; }

    /// <summary>True when the next run looks at it again.</summary>
    public bool WillRetry { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Side} {EventId} '{Subject}': {Reason}{(WillRetry ? " (retried)" : string.Empty)}";
}
