using System.Collections.Concurrent;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// The stamps (extended properties) of events this process created, by user and event id, with the change key of the create's
/// answer: the echo of a create in the next delta round needs no read. A singleton, shared by the adapters of every run, bounded
/// to <see cref="MaxRemembered"/> events (forgetting costs one batched read, never correctness).
/// </summary>
internal sealed class GraphCreatedStamps
{
    internal const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<(string UserId, string EventId), (string ChangeKey, List<G.SingleValueLegacyExtendedProperty> Stamps)> _created = new();

    public void Remember(string userId, string eventId, string changeKey, List<G.SingleValueLegacyExtendedProperty> stamps)
    {
        if (_created.Count >= MaxRemembered)
        {
            _created.Clear();
        }

        _created[(userId, eventId)] = (changeKey, stamps);
    }

    public bool TryTake(string userId, string eventId, out (string ChangeKey, List<G.SingleValueLegacyExtendedProperty> Stamps) created)
        => _created.TryRemove((userId, eventId), out created);
}
