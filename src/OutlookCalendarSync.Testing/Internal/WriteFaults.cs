
using OutlookCalendarSync.Calendars;

namespace OutlookCalendarSync.Testing.Internal;

/// <summary>
/// The fault injection both calendar doubles share: failures of the next writes (optionally only those matching a filter), and
/// a simulated crash after a number of successful writes.
/// </summary>
/// <remarks>
/// <see cref="Run"/> holds this object's lock while it decides and performs a write, so a crash point is exact even when writes
/// run concurrently. The lock is taken before the core's lock, never after it.
/// </remarks>
/// <threadsafety>Safe for concurrent use.</threadsafety>
internal sealed class WriteFaults
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = [];
    private int? _successfulWritesBeforeCrash;
    private bool _crashed;

    public void FailNext(int count, WriteStatus status, Func<EventWrite, bool>? filter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (status == WriteStatus.Succeeded || !Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Pass the failure to simulate: TransientFailure, PermanentFailure, VersionConflict or NotFound.");
        }

        lock (_gate)
        {
            _rules.Add(new FaultRule(status, filter) { Remaining = count });
        }
    }

    public void CrashAfter(int successfulWrites)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successfulWrites);
        lock (_gate)
        {
            _successfulWritesBeforeCrash = successfulWrites;
            _crashed = false;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _successfulWritesBeforeCrash = null;
            _crashed = false;
        }
    }

    /// <summary>Performs a write unless a fault is due.</summary>
    /// <param name="write">The write, as the fault filters see it.</param>
    /// <param name="perform">Makes the write.</param>
    /// <returns>The outcome of the write, or the injected failure.</returns>
    /// <exception cref="OperationCanceledException">The simulated crash point was reached.</exception>
    public WriteOutcome Run(EventWrite write, Func<WriteOutcome> perform)
    {
        lock (_gate)
        {
            if (_crashed || _successfulWritesBeforeCrash == 0)
            {
                _crashed = true;
                throw new OperationCanceledException("simulated crash: the double was told to crash (CrashAfterWrites); call ClearFaults() to recover.");
            }

            FaultRule? rule = _rules.Find(r => r.Filter is null || r.Filter(write));
            if (rule is not null)
            {
                if (--rule.Remaining == 0)
                {
                    _rules.Remove(rule);
                }

                return new WriteOutcome(
                    rule.Status,
                    ErrorCode: GraphErrorCodes.For(rule.Status),
                    Message: $"simulated failure ({rule.Status}) injected by FailNextWrites.",
                    ExpectedVersion: write switch { EventUpdate update => update.ExpectedVersion, EventDelete deletion => deletion.ExpectedVersion, _ => null });
            }

            WriteOutcome outcome = perform();
            if (outcome.Status == WriteStatus.Succeeded && _successfulWritesBeforeCrash > 0)
            {
                _successfulWritesBeforeCrash--;
            }

            return outcome;
        }
    }

    private sealed class FaultRule(WriteStatus status, Func<EventWrite, bool>? filter)
    {
        public WriteStatus Status { get; } = status;

        public Func<EventWrite, bool>? Filter { get; } = filter;

        public int Remaining { get; set; }
    }
}
