using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>
/// The pairing of a host event and an Outlook event, with what each looked like when they were last in sync.
/// </summary>
/// <remarks>
/// <see cref="LocalHash"/> and <see cref="RemoteHash"/> are the <see cref="CalendarEvent.ContentHash"/> last seen on each side:
/// an event whose hash still matches has not changed, whatever its version says, which is how the engine recognises the echo of
/// its own writes. <see cref="Base"/> is the content both sides agreed on, the base of three-way merges.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
internal sealed partial record EventLink
{
    /// <summary>Creates a link.</summary>
    /// <param name="localId">The host event's id.</param>
    /// <param name="remoteId">The Outlook event's id.</param>
    /// <param name="baseEvent">The content as last synced.</param>
    public EventLink(string localId, string remoteId, CalendarEvent baseEvent)
    {
        LocalId = Guard.NotNullOrWhiteSpace(localId);
        RemoteId = Guard.NotNullOrWhiteSpace(remoteId);
        Base = Guard.NotNull(baseEvent);
    }

    /// <summary>The host event's id.</summary>
    public string LocalId { get; init; }

    /// <summary>The Outlook event's id.</summary>
    public string RemoteId { get; init; }

    /// <summary>The iCalendar UID, when known.</summary>
    public string? ICalUId { get; init; }

    /// <summary>The host event's version last seen.</summary>
    public string? LocalVersion { get; init; }

    /// <summary>The Outlook event's change key last seen.</summary>
    public string? RemoteVersion { get; init; }

    /// <summary>The host event's content hash last seen.</summary>
    public ulong LocalHash { get; init; }

    /// <summary>The Outlook event's content hash last seen.</summary>
    public ulong RemoteHash { get; init; }

    /// <summary>The content as last synced: the base of three-way merges.</summary>
    public CalendarEvent Base { get; init; }

    /// <summary>
    /// The host event's content when a merge reached Outlook but not the host calendar (its write failed); null otherwise. The host's
    /// own changes are measured from it, so the engine's write to Outlook is not mistaken for an Outlook edit, and the next run
    /// delivers the rest of the merge.
    /// </summary>
    public CalendarEvent? LocalBase { get; init; }

    /// <summary>
    /// The Outlook event's content when a merge reached the host calendar but not Outlook; null otherwise (see <see cref="LocalBase"/>).
    /// </summary>
    public CalendarEvent? RemoteBase { get; init; }

    /// <summary>
    /// What writes to the host calendar were sending when runs stopped without learning whether they landed; empty otherwise. A
    /// field of the host event equal to one of them is the engine's own write, not a host edit.
    /// </summary>
    public IReadOnlyList<CalendarEvent> PendingLocal { get; init; } = [];

    /// <summary>
    /// What writes to Outlook were sending when runs stopped without learning whether they landed (a batch cut short); empty
    /// otherwise. A field of the Outlook event equal to one of them is the engine's own write, not an Outlook edit.
    /// </summary>
    public IReadOnlyList<CalendarEvent> PendingRemote { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(EventLink? other)
        => other is not null
           && LocalId == other.LocalId && RemoteId == other.RemoteId && ICalUId == other.ICalUId
           && LocalVersion == other.LocalVersion && RemoteVersion == other.RemoteVersion
           && LocalHash == other.LocalHash && RemoteHash == other.RemoteHash
           && Equals(Base, other.Base) && Equals(LocalBase, other.LocalBase) && Equals(RemoteBase, other.RemoteBase)
           && PendingLocal.SequenceEqual(other.PendingLocal) && PendingRemote.SequenceEqual(other.PendingRemote);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LocalId, RemoteId, LocalHash, RemoteHash);

}
