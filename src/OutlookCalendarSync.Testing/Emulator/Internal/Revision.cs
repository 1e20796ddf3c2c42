using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>One change of one event in a mailbox's history; no span means the event was deleted.</summary>
internal readonly record struct Revision(long Sequence, Instant? Start, Instant? End)
{
    public bool IsIn(Instant windowStart, Instant windowEnd) =>
        Start is { } start && End is { } end && StoredEvent.Overlaps(start, end, windowStart, windowEnd);
}
