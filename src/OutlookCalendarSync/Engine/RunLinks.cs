using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// The links one run works with, read from the state store as the run needs them: by id for the events the feeds name (so an
/// incremental run costs what changed), or all of them when a full snapshot must find the linked events missing from it.
/// </summary>
/// <remarks>
/// An id is asked for once per run, found or not; a look-up of an id never asked for is a bug, so every step that looks links up
/// first calls <see cref="EnsureAsync(SideChanges, SideChanges, CancellationToken)"/> with the events it is about to look at.
/// </remarks>
internal sealed class RunLinks
{
    private readonly ISyncStateStore _store;
    private readonly string _userId;
    private readonly HashSet<string> _askedHostIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _askedOutlookIds = new(StringComparer.Ordinal);
    private readonly bool _countKnown;

    public RunLinks(ISyncStateStore store, SyncState state)
    {
        _store = store;
        _userId = state.UserId;
        _countKnown = state.IsLinkCountKnown;
        Current = state.Links;
    }

    /// <summary>The links loaded so far (all of them once <see cref="LinkCollection.IsComplete"/>).</summary>
    public LinkCollection Current { get; private set; }

    /// <summary>True when the user's link count is not known yet: only a full load tells it.</summary>
    public bool NeedsFullLoad => !_countKnown && !Current.IsComplete;

    /// <summary>Loads every link of the user (once).</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        if (Current.IsComplete)
        {
            return;
        }

        IReadOnlyList<StoredLink> stored = await _store.GetLinksAsync(_userId, cancellationToken).ConfigureAwait(false);
        Current = LinkCollection.Create(stored.Select(LinkPayload.FromStored));
    }

    /// <summary>Loads the links of host ids and Outlook ids not asked for before in this run.</summary>
    public async Task EnsureAsync(IEnumerable<string> hostIds, IEnumerable<string> outlookIds, CancellationToken cancellationToken)
    {
        if (Current.IsComplete)
        {
            return;
        }

        // An id whose link is held already needs no read: each id is in one link at most.
        List<string> newHostIds = hostIds.Where(id => !string.IsNullOrWhiteSpace(id) && Current.FindByLocalId(id) is null && _askedHostIds.Add(id)).ToList();
        List<string> newOutlookIds = outlookIds.Where(id => !string.IsNullOrWhiteSpace(id) && Current.FindByRemoteId(id) is null && _askedOutlookIds.Add(id)).ToList();
        if (newHostIds.Count == 0 && newOutlookIds.Count == 0)
        {
            return;
        }

        IReadOnlyList<StoredLink> found = await _store.FindLinksAsync(_userId, newHostIds, newOutlookIds, cancellationToken).ConfigureAwait(false);
        if (found.Count > 0)
        {
            Current = Current.WithLoaded(found.Select(LinkPayload.FromStored).ToList());
        }
    }

    /// <summary>
    /// Loads the links every look-up of the reconciler may make for these changes: the events' own ids, the ids their counterpart
    /// stamps name on the other side, and their series.
    /// </summary>
    public Task EnsureAsync(SideChanges local, SideChanges remote, CancellationToken cancellationToken)
        => EnsureAsync(
            IdsOf(local).Concat(Stamps(remote)),
            IdsOf(remote).Concat(Stamps(local)),
            cancellationToken);

    /// <summary>Loads the links a run's writes may replace: the ids of the links about to be saved (new ids of created events).</summary>
    public Task EnsureAsync(IReadOnlyCollection<EventLink> upserts, CancellationToken cancellationToken)
        => EnsureAsync(upserts.Select(link => link.LocalId), upserts.Select(link => link.RemoteId), cancellationToken);

    private static IEnumerable<string> IdsOf(SideChanges side)
    {
        foreach (CalendarEvent e in side.Changed)
        {
            if (e.Id is not null)
            {
                yield return e.Id;
            }

            if (e.SeriesMasterId is not null)
            {
                yield return e.SeriesMasterId;
            }
        }

        foreach (string id in side.DeletedIds)
        {
            yield return id;
        }
    }

    private static IEnumerable<string> Stamps(SideChanges side)
        => side.Changed.Where(e => e.CounterpartId is not null).Select(e => e.CounterpartId!);
}
