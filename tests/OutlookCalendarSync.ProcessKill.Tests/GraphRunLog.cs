namespace OutlookCalendarSync.ProcessKill.Tests;

/// <summary>
/// What the Graph emulator saw of each run: the workers send tokens <c>{user}|{worker}:{lease}</c>, which
/// <see cref="ResolveMailbox"/> (the emulator's <c>ResolveMailbox</c>) maps to the mailbox while it records, as each request
/// arrives, which run sent it and when. The emulator side thus tells, independently of the state store, whether the requests of two
/// runs of one mailbox ever interleaved.
/// </summary>
internal sealed class GraphRunLog
{
    private readonly List<(string Mailbox, string Run, DateTime At)> _requests = [];

    public string? ResolveMailbox(string token)
    {
        int bar = token.IndexOf('|', StringComparison.Ordinal);
        string mailbox = bar < 0 ? token : token[..bar];
        string run = bar < 0 ? "untagged" : token[(bar + 1)..];
        lock (_requests)
        {
            _requests.Add((mailbox, run, DateTime.UtcNow));
        }

        return mailbox;
    }

    /// <summary>Per run of the mailbox, the arrival of its first and last request, in the order the runs began.</summary>
    public IReadOnlyList<(string Run, DateTime First, DateTime Last, int Requests)> Runs(string mailbox)
    {
        lock (_requests)
        {
            return [.. _requests.Where(r => r.Mailbox == mailbox)
                .GroupBy(r => r.Run)
                .Select(g => (g.Key, g.Min(r => r.At), g.Max(r => r.At), g.Count()))
                .OrderBy(r => r.Item2)];
        }
    }

    /// <summary>Pairs of runs of the mailbox whose requests interleaved (a run's first request before the previous run's last).</summary>
    public IReadOnlyList<string> Overlaps(string mailbox)
    {
        var runs = Runs(mailbox);
        return [.. runs.Zip(runs.Skip(1))
            .Where(pair => pair.Second.First <= pair.First.Last)
            .Select(pair => $"{pair.First.Run} [{pair.First.First:HH:mm:ss.fff}–{pair.First.Last:HH:mm:ss.fff}] and {pair.Second.Run} [{pair.Second.First:HH:mm:ss.fff}–{pair.Second.Last:HH:mm:ss.fff}]")];
    }
}
