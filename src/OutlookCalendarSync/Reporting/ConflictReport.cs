using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Reporting;

/// <summary>A conflict and how it was resolved, as reported in results.</summary>
/// <remarks>Compared by value; made by the library, with read-only properties (not positional): later versions may add properties without breaking callers.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record ConflictReport
{
    internal ConflictReport(string? hostId, string? outlookId, string? subject, EventFields hostChanged, EventFields outlookChanged, ConflictWinner winner, string explanation)
    {
        HostId = hostId;
        OutlookId = outlookId;
        Subject = subject;
        HostChanged = hostChanged;
        OutlookChanged = outlookChanged;
        Winner = winner;
        Explanation = explanation;
    }

    /// <summary>The host event's id, if any.</summary>
    public string? HostId { get; }

    /// <summary>The Outlook event's id, if any.</summary>
    public string? OutlookId { get; }

    /// <summary>The event's subject, for people.</summary>
    public string? Subject { get; }

    /// <summary>Fields the host changed (all fields for a deletion).</summary>
    public EventFields HostChanged { get; }

    /// <summary>Fields Outlook changed (all fields for a deletion).</summary>
    public EventFields OutlookChanged { get; }

    /// <summary>Which way it went.</summary>
    public ConflictWinner Winner { get; }

    /// <summary>How it was decided.</summary>
    public string Explanation { get; }

    /// <inheritdoc />
    public override string ToString() => $"'{Subject}': {Winner} ({Explanation})";
}
