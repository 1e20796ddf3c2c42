using NodaTime;
using NodaTime.Testing;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// The adapter's clock in tests: reads the test's <see cref="FakeClock"/>, and ends every wait at once, advancing the clock by it
/// and keeping it in <see cref="Waits"/>, so a test sees exactly how long the adapter would have waited.
/// </summary>
internal sealed class WaitRecordingTimeProvider(FakeClock clock) : TimeProvider
{
    private readonly List<TimeSpan> _waits = [];

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
            {
                return [.. _waits];
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => clock.GetCurrentInstant().ToDateTimeOffset();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_waits)
            {
                _waits.Add(dueTime);
            }

            clock.Advance(Duration.FromTimeSpan(dueTime));
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new SpentTimer();
    }

    private sealed class SpentTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
