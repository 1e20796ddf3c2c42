namespace OutlookCalendarSync.Engine;

/// <summary>
/// The timer source of lease renewals (<see cref="LeaseRenewal"/>): the system's, registered once by <c>AddOutlookCalendarSync</c>.
/// Its own service, not the host's <see cref="TimeProvider"/>, so a test that fakes Graph's retry waits does not also fire every
/// renewal at once, and a test of renewals fakes only them.
/// </summary>
internal sealed class LeaseRenewalTimer(TimeProvider time)
{
    public TimeProvider Time { get; } = time;
}
