using System.Collections;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>A user's links, or the part of them a run loaded, indexed by host id and by Outlook id.</summary>
/// <remarks>
/// Immutable: <see cref="With(IEnumerable{string}, IEnumerable{EventLink})"/> returns a new table. Look-ups by either id are O(1).
/// A <em>partial</em> table (<see cref="Partial"/>) holds only the links an incremental run loaded by id, and knows how many the
/// user has in all (<see cref="TotalCount"/>, for the mass-deletion guard); only a complete table can be enumerated as the user's
/// links, which a full snapshot needs to find the links whose events are missing from it.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
internal sealed class LinkCollection : IReadOnlyCollection<EventLink>
{
    private readonly Dictionary<string, EventLink> _byLocalId;
    private readonly Dictionary<string, EventLink> _byRemoteId;

    private LinkCollection(Dictionary<string, EventLink> byLocalId, Dictionary<string, EventLink> byRemoteId, int? totalCount)
    {
        _byLocalId = byLocalId;
        _byRemoteId = byRemoteId;
        IsComplete = totalCount is null;
        TotalCount = Math.Max(totalCount ?? byLocalId.Count, byLocalId.Count);
    }

    /// <summary>A table without links.</summary>
    public static LinkCollection Empty { get; } = new(new(StringComparer.Ordinal), new(StringComparer.Ordinal), null);

    /// <summary>The links this table holds (all of the user's when <see cref="IsComplete"/>).</summary>
    public int Count => _byLocalId.Count;

    /// <summary>How many links the user has in all, loaded or not.</summary>
    public int TotalCount { get; }

    /// <summary>True when the table holds every link of the user; false for the links an incremental run loaded by id.</summary>
    public bool IsComplete { get; }

    /// <summary>Builds a table from all of a user's links.</summary>
    /// <param name="links">The links; each host id and each Outlook id may appear once.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">An id appears in two links (the state is corrupt).</exception>
    public static LinkCollection Create(IEnumerable<EventLink> links) => Build(links, totalCount: null);

    /// <summary>Builds a table from some of a user's links.</summary>
    /// <param name="links">The links loaded; each host id and each Outlook id may appear once.</param>
    /// <param name="totalCount">How many links the user has in all.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">An id appears in two links (the state is corrupt).</exception>
    public static LinkCollection Partial(IEnumerable<EventLink> links, int totalCount) => Build(links, totalCount >= 0 ? totalCount : throw new ArgumentOutOfRangeException(nameof(totalCount), totalCount, "A count of links cannot be negative."));

    private static LinkCollection Build(IEnumerable<EventLink> links, int? totalCount)
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

        return new LinkCollection(byLocal, byRemote, totalCount);
    }

    /// <summary>Finds the link of a host event.</summary>
    /// <param name="localId">The host event's id.</param>
    /// <returns>The link, or null.</returns>
    public EventLink? FindByLocalId(string localId) => _byLocalId.GetValueOrDefault(localId);

    /// <summary>Finds the link of an Outlook event.</summary>
    /// <param name="remoteId">The Outlook event's id.</param>
    /// <returns>The link, or null.</returns>
    public EventLink? FindByRemoteId(string remoteId) => _byRemoteId.GetValueOrDefault(remoteId);

    /// <summary>Finds the link of an event on a side.</summary>
    /// <param name="side">The event's side.</param>
    /// <param name="id">The event's id on that side.</param>
    /// <returns>The link, or null.</returns>
    public EventLink? Find(SyncSide side, string id) => side == SyncSide.Host ? FindByLocalId(id) : FindByRemoteId(id);

    /// <summary>Returns a table with links removed (by host id) and links added or replaced.</summary>
    /// <param name="removedLocalIds">Host ids whose links go away.</param>
    /// <param name="upserts">Links to add or replace (matched by host id or Outlook id).</param>
    /// <returns>The new table; a partial table's <see cref="TotalCount"/> changes by as many links as it gained or lost, which is
    /// exact when every link an upsert replaces was loaded.</returns>
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

        return new LinkCollection(byLocal, byRemote, IsComplete ? null : TotalCount + byLocal.Count - Count);
    }

    /// <summary>Returns a partial table with more loaded links, the user's total unchanged.</summary>
    /// <param name="loaded">Stored links read since this table was built; a link already held is kept as held.</param>
    /// <returns>The new table (this one when nothing is new).</returns>
    public LinkCollection WithLoaded(IReadOnlyCollection<EventLink> loaded)
    {
        Guard.NotNull(loaded);
        List<EventLink> added = loaded.Where(link => !_byLocalId.ContainsKey(link.LocalId) && !_byRemoteId.ContainsKey(link.RemoteId)).ToList();
        if (added.Count == 0)
        {
            return this;
        }

        return Build(_byLocalId.Values.Concat(added), IsComplete ? null : TotalCount);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table is partial: its links are not the user's links.</exception>
    public IEnumerator<EventLink> GetEnumerator()
        => IsComplete
            ? _byLocalId.Values.GetEnumerator()
            : throw new InvalidOperationException("Only the links a run loaded are known: load every link of the user before walking them (a full snapshot needs them all).");

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
