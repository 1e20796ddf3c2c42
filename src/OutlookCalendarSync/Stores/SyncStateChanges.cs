using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Stores;

/// <summary>One atomic save of an <see cref="ISyncStateStore"/>: link deletions, link upserts and the new header.</summary>
/// <remarks>
/// The store applies <see cref="DeletedHostIds"/> first, then <see cref="UpsertedLinks"/> in order (each replacing any link with its
/// host id or its Outlook id), then stores <see cref="Header"/> with revision <c>Header.Revision + 1</c> — only if the stored
/// revision is <c>Header.Revision</c>.
/// </remarks>
/// <threadsafety>Immutable once built; safe to share between threads.</threadsafety>
public sealed class SyncStateChanges
{
    /// <summary>Creates a save of a header with no link changes.</summary>
    /// <param name="header">The new header; its <see cref="SyncStateHeader.Revision"/> is the revision expected in the store.</param>
    public SyncStateChanges(SyncStateHeader header)
    {
        Header = Guard.NotNull(header);
    }

    /// <summary>The new header; its <see cref="SyncStateHeader.Revision"/> is the revision expected in the store.</summary>
    public SyncStateHeader Header { get; }

    /// <summary>Host ids whose links are deleted (ids without a link are ignored).</summary>
    public IReadOnlyList<string> DeletedHostIds { get; init; } = [];

    /// <summary>Links added or replaced, in order.</summary>
    public IReadOnlyList<StoredLink> UpsertedLinks { get; init; } = [];

    /// <summary>The user the changes are for.</summary>
    public string UserId => Header.UserId;
}
