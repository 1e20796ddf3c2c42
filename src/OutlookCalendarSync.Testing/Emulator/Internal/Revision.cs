using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// One change of one event in a mailbox's history: its span then (none when it was deleted), the series master as it was
/// then (a master's occurrences are computed from it), and the series an exception belongs to.
/// </summary>
internal readonly record struct Revision(long Sequence, Instant? Start, Instant? End, StoredEvent? Master, string? SeriesMasterId)
{
    public static Revision Stored(long sequence, StoredEvent stored) =>
        new(sequence, stored.Start, stored.End, stored.IsSeriesMaster ? stored : null, stored.SeriesMasterId);

    public static Revision Deleted(long sequence) => new(sequence, null, null, null, null);

    public bool Exists => Start is not null;

    /// <summary>Whether the event overlapped a window at this revision; a series master, whether one of its occurrences did.</summary>
    public bool IsIn(Instant windowStart, Instant windowEnd)
    {
        if (Master is { } master)
        {
            return Series.Occurrences(master, windowStart, windowEnd).Any();
        }

        return Start is { } start && End is { } end && StoredEvent.Overlaps(start, end, windowStart, windowEnd);
    }
}
