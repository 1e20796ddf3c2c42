using BenchmarkDotNet.Attributes;
using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;

namespace OutlookCalendarSync.Benchmarks;

/// <summary>
/// The pure reconciliation at scale. Targets: 1,000 changes against 100,000 linked events in under 10 ms; a first sync of 100,000
/// local against 100,000 remote events, matching included, in under 1 s.
/// </summary>
[MemoryDiagnoser]
public class ReconciliationBenchmarks
{
    private const int Linked = 100_000;
    private const int Changes = 1_000;
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 12, 0);
    private static readonly ReconciliationOptions Options = new() { Window = new Interval(Now - Duration.FromDays(365), Now + Duration.FromDays(730)) };
    private readonly ThreeWayMergeResolver _resolver = new();

    private LinkCollection _links = LinkCollection.Empty;
    private CalendarEvent[] _localChanges = [];
    private CalendarEvent[] _remoteChanges = [];
    private CalendarEvent[] _allLocal = [];
    private CalendarEvent[] _allRemote = [];
    private SideChanges _firstSyncLocal = SideChanges.None;
    private SideChanges _firstSyncRemote = SideChanges.None;

    [GlobalSetup]
    public void Setup()
    {
        _allLocal = Enumerable.Range(0, Linked).Select(i => Event(i, $"L{i}", $"v{i}")).ToArray();
        _allRemote = Enumerable.Range(0, Linked).Select(i => Event(i, $"R{i}", $"ck{i}")).ToArray();
        _links = LinkCollection.Create(Enumerable.Range(0, Linked).Select(i => new EventLink($"L{i}", $"R{i}", _allLocal[i].ContentOnly())
        {
            LocalHash = _allLocal[i].ContentHash,
            RemoteHash = _allRemote[i].ContentHash,
            LocalVersion = $"v{i}",
            RemoteVersion = $"ck{i}",
        }));

        // 1,000 changes: local edits, remote edits, a few on both sides, deletions, and new events on each side.
        var local = new List<CalendarEvent>();
        var remote = new List<CalendarEvent>();
        for (int i = 0; i < Changes; i++)
        {
            int k = i * 97 % Linked;
            switch (i % 5)
            {
                case 0: local.Add(_allLocal[k] with { Subject = $"edited {k}", Version = "v'" }); break;
                case 1: remote.Add(_allRemote[k] with { Location = "Room 9", Version = "ck'" }); break;
                case 2:
                    local.Add(_allLocal[k] with { Subject = $"host {k}", Version = "v'", LastModified = Now });
                    remote.Add(_allRemote[k] with { Location = "Room 3", Version = "ck'", LastModified = Now });
                    break;
                case 3: local.Add(Event(Linked + i, $"Lnew{i}", "v1")); break;
                default: remote.Add(Event(Linked + i, $"Rnew{i}", "ck1")); break;
            }
        }

        _localChanges = [.. local];
        _remoteChanges = [.. remote];
    }

    [IterationSetup(Target = nameof(FirstSync100kBy100k))]
    public void FreshFirstSyncFeeds()
    {
        // Fresh copies, so content hashes are computed inside the measurement as in a real run (setting a content property
        // drops the hash a copy would otherwise share with its original).
        _firstSyncLocal = new SideChanges(_allLocal.Select(e => e with { Subject = e.Subject }), [], isFullSnapshot: true);
        _firstSyncRemote = new SideChanges(_allRemote.Select(e => e with { Subject = e.Subject }), [], isFullSnapshot: false);
    }

    [Benchmark(Description = "1,000 changes against 100,000 linked events")]
    public int ThousandChangesAgainst100kLinks()
    {
        // Copies made here (a few microseconds) so hashes are not served from a previous iteration's cache.
        var local = new SideChanges(_localChanges.Select(e => e with { Subject = e.Subject }), [], isFullSnapshot: false);
        var remote = new SideChanges(_remoteChanges.Select(e => e with { Subject = e.Subject }), [], isFullSnapshot: false);
        return Reconciler.Reconcile(_links, local, remote, Options, _resolver, Now).Changes.Count;
    }

    [Benchmark(Description = "first sync: 100,000 local vs 100,000 remote, matching")]
    public int FirstSync100kBy100k()
        => Reconciler.Reconcile(LinkCollection.Empty, _firstSyncLocal, _firstSyncRemote, Options, _resolver, Now).Changes.Count;

    private static CalendarEvent Event(int i, string id, string version)
    {
        LocalDateTime start = new LocalDateTime(2026, 1, 1, 8, 0).PlusMinutes(i * 15L);
        return new CalendarEvent
        {
            Id = id,
            Version = version,
            Subject = $"Event {i}",
            Timing = EventTiming.Timed(start, start.PlusMinutes(30), "Europe/Berlin"),
            Location = "Room 1",
            Attendees = [Attendee.Create($"person{i % 50}@example.com")],
            LastModified = Now - Duration.FromDays(1),
        };
    }
}
