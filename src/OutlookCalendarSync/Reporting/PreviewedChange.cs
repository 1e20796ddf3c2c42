namespace OutlookCalendarSync.Reporting;

/// <summary>One event a previewed run would handle: what it would do on each side, and why.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class PreviewedChange
{
    internal PreviewedChange(ChangeKind kind, string description)
    {
        Kind = kind;
        Description = description;
    }

    /// <summary>What the run would do to the pair.</summary>
    public ChangeKind Kind { get; }

    /// <summary>Why, for people: for example "changed in Outlook: Subject, Timing".</summary>
    public string Description { get; }

    /// <summary>The event's subject, when known.</summary>
    public string? Subject { get; internal init; }

    /// <summary>The host event's id, when it exists before the run.</summary>
    public string? HostId { get; internal init; }

    /// <summary>The Outlook event's id, when it exists before the run.</summary>
    public string? OutlookId { get; internal init; }

    /// <summary>The write the run would make in the host calendar, or null for none.</summary>
    public WriteKind? HostWrite { get; internal init; }

    /// <summary>The write the run would make in Outlook, or null for none.</summary>
    public WriteKind? OutlookWrite { get; internal init; }

    /// <summary>True when the change resolves an edit made on both sides.</summary>
    public bool IsConflict { get; internal init; }
}
