using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>The engine's reads and writes of a user's <see cref="SyncState"/> through the rows of an <see cref="ISyncStateStore"/>.</summary>
internal sealed class SyncStateRepository(ISyncStateStore store)
{
    public ISyncStateStore Store => store;

    /// <summary>
    /// The user's header, with no link loaded yet (a run loads the links it touches through <see cref="RunLinks"/>); a new state,
    /// whose links are all known (none), for a user never saved.
    /// </summary>
    public async Task<SyncState> LoadHeaderAsync(string userId, CancellationToken cancellationToken)
    {
        SyncStateHeader? header = await store.GetHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
        return header is null ? new SyncState(userId) : SyncState.FromHeader(header);
    }

    /// <summary>The user's header and every link; a new state for a user never saved.</summary>
    public async Task<SyncState> LoadAllAsync(string userId, CancellationToken cancellationToken)
    {
        SyncStateHeader? header = await store.GetHeaderAsync(userId, cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            return new SyncState(userId);
        }

        IReadOnlyList<StoredLink> links = await store.GetLinksAsync(userId, cancellationToken).ConfigureAwait(false);
        return SyncState.From(header, links);
    }

    /// <summary>The user's header alone (no links); a new one for a user never saved.</summary>
    public async Task<SyncStateHeader> GetHeaderAsync(string userId, CancellationToken cancellationToken)
        => await store.GetHeaderAsync(userId, cancellationToken).ConfigureAwait(false) ?? new SyncStateHeader(userId);

    /// <summary>
    /// Saves <paramref name="next"/>'s header (at the revision it was read at) with link changes, and returns it at its new revision
    /// with <paramref name="next"/>'s links.
    /// </summary>
    public async Task<SyncState> SaveAsync(SyncState next, IReadOnlyCollection<string> removedLocalIds, IReadOnlyCollection<EventLink> upserts, CancellationToken cancellationToken)
    {
        var changes = new SyncStateChanges(next.ToHeader())
        {
            DeletedHostIds = removedLocalIds.ToArray(),
            UpsertedLinks = upserts.Select(LinkPayload.ToStored).ToArray(),
        };
        long revision = await store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        return next with { Revision = revision };
    }
}
