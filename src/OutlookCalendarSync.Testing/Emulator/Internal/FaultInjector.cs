using System.Text.RegularExpressions;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>The injected faults and how often each has matched and fired.</summary>
internal sealed class FaultInjector
{
    private readonly object gate = new();
    private readonly List<ActiveFault> faults = [];

    public IDisposable Add(GraphFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.EveryNth < 1)
        {
            throw new ArgumentException("EveryNth must be 1 or more: 1 fires on every matching request, k on every k-th.", nameof(fault));
        }

        if (fault.Times is < 0)
        {
            throw new ArgumentException("Times must be zero or more, or null to fire until removed.", nameof(fault));
        }

        var active = new ActiveFault(this, fault);
        lock (gate)
        {
            faults.Add(active);
        }

        return active;
    }

    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>Finds the fault to apply to a request, counting the request against every fault it matches.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="path">The normalized path (<c>/me/...</c> or <c>/$batch</c>).</param>
    /// <param name="inBatch">Whether the request is an item of a <c>$batch</c>: only status faults apply.</param>
    /// <param name="isBatch">Whether the request is the <c>$batch</c> itself: status faults apply only if their pattern names it.</param>
    public GraphFault? Next(string method, string path, bool inBatch, bool isBatch)
    {
        lock (gate)
        {
            GraphFault? chosen = null;
            foreach (var active in faults)
            {
                var fault = active.Fault;
                var isStatusFault = fault.Kind is GraphFaultKind.TooManyRequests or GraphFaultKind.ServiceUnavailable
                    or GraphFaultKind.GatewayTimeout or GraphFaultKind.SyncStateNotFound or GraphFaultKind.PreconditionFailed or GraphFaultKind.Unauthorized;
                if ((inBatch && !isStatusFault) || (isBatch && isStatusFault && fault.PathPattern is null))
                {
                    continue;
                }

                if (fault.Method is not null && !fault.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (fault.PathPattern is not null && !Regex.IsMatch(path, fault.PathPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                {
                    continue;
                }

                active.Matches++;
                if (chosen is null && active.Matches % fault.EveryNth == 0 && (fault.Times is null || active.Fired < fault.Times))
                {
                    active.Fired++;
                    chosen = fault;
                }
            }

            return chosen;
        }
    }

    private sealed class ActiveFault(FaultInjector owner, GraphFault fault) : IDisposable
    {
        public GraphFault Fault { get; } = fault;

        public int Matches { get; set; }

        public int Fired { get; set; }

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.faults.Remove(this);
            }
        }
    }
}
