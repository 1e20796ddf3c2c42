using System.Collections;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>A user's links, indexed by host id and by Outlook id.</summary>
/// <remarks>Immutable: <see cref="With(IEnumerable{string}, IEnumerable{EventLink})"/> returns a new table. Look-ups by either id are O(1).</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
internal sealed class LinkCollection : IReadOnlyCollection<EventLink>
{
    private readonly Dictionary<string, EventLink> _byLocalId;
    private readonly Dictionary<string, EventLink> _byRemoteId;

    private LinkCollection(Dictionary<string, EventLink> byLocalId, Dictionary<string, EventLink> byRemoteId)
    {
        _byLocalId = byLocalId;
        _byRemoteId = byRemoteId;
    }

    /// <summary>A table without links.</summary>
    public static LinkCollection Empty { get; } = new(new(StringComparer.Ordinal), new(StringComparer.Ordinal));

    /// <inheritdoc />
    public int Count => _byLocalId.Count;

    /// <summary>Builds a table from links.</summary>
    /// <param name="links">The links; each host id and each Outlook id may appear once.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">An id appears in two links (the state is corrupt).</exception>
    public static LinkCollection Create(IEnumerable<EventLink> links)
    {
        Guard.NotNull(links);
        var byLocal = new Dictionary<string, EventLink>(StringComparer.Ordinal);
        var byRemote = new Dictionary<string, EventLink>(StringComparer.Ordinal);
        foreach (EventLink link in links)
        {
            if (!byLocal.TryAdd(link.LocalId, link))
            {
                throw new ArgumentException($"Host event '{link.LocalId}' is linked twice in the sync state; reset the user's sync state.", nameof(links));
            }

            if (!byRemote.TryAdd(link.RemoteId, link))
            {
                throw new ArgumentException($"Outlook event '{link.RemoteId}' is linked twice in the sync state; reset the user's sync state.", nameof(links));
            }
        }

        return new LinkCollection(byLocal, byRemote);
    }

    /// <summary>Finds the link of a host event.</summary>
    /// <param name="localId">The host event's id.</param>
    /// <returns>The link, or null.</returns>
    public EventLink? FindByLocalId(string localId) => _byLocalId.GetValueOrDefault(localId);

    /// <summary>Finds the link of an Outlook event.</summary>
    /// <param name="remoteId">The Outlook event's id.</param>
    /// <returns>The link, or null.</returns>
    public EventLink? FindByRemoteId(string remoteId) => _byRemoteId.GetValueOrDefault(remoteId);

    /// <summary>Returns a table with links removed (by host id) and links added or replaced.</summary>
    /// <param name="removedLocalIds">Host ids whose links go away.</param>
    /// <param name="upserts">Links to add or replace (matched by host id or Outlook id).</param>
    /// <returns>The new table.</returns>
    public LinkCollection With(IEnumerable<string> removedLocalIds, IEnumerable<EventLink> upserts)
    {
        Guard.NotNull(removedLocalIds);
        Guard.NotNull(upserts);
        var byLocal = new Dictionary<string, EventLink>(_byLocalId, StringComparer.Ordinal);
        var byRemote = new Dictionary<string, EventLink>(_byRemoteId, StringComparer.Ordinal);
        foreach (string localId in removedLocalIds)
        {
            if (byLocal.Remove(localId, out EventLink? old))
            {
                byRemote.Remove(old.RemoteId);
            }
        }

        foreach (EventLink link in upserts)
        {
            if (byLocal.Remove(link.LocalId, out EventLink? oldByLocal))
            {
                byRemote.Remove(oldByLocal.RemoteId);
            }

            if (byRemote.Remove(link.RemoteId, out EventLink? oldByRemote))
            {
                byLocal.Remove(oldByRemote.LocalId);
            }

            byLocal[link.LocalId] = link;
            byRemote[link.RemoteId] = link;
        }

        return new LinkCollection(byLocal, byRemote);
    }

    /// <inheritdoc />
    public IEnumerator<EventLink> GetEnumerator() => _byLocalId.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
