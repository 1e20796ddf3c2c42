using System.Text.Json.Nodes;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>One event of a mailbox: its Graph JSON (start and end in the zone they were written in) and its span.</summary>
internal sealed class StoredEvent
{
    public StoredEvent(JsonObject data, Instant start, Instant end)
    {
        Data = data;
        Start = start;
        End = end;
    }

    public JsonObject Data { get; }

    public Instant Start { get; }

    public Instant End { get; }

    public string Id => (string)Data["id"]!;

    public string ChangeKey => (string)Data["changeKey"]!;

    public string ETag => $"W/\"{ChangeKey}\"";

    public bool IsOrganizer => Data["isOrganizer"]?.GetValue<bool>() ?? true;

    public bool IsAllDay => Data["isAllDay"]?.GetValue<bool>() ?? false;

    public string Subject => (string?)Data["subject"] ?? string.Empty;

    public bool Overlaps(Instant windowStart, Instant windowEnd) => Overlaps(Start, End, windowStart, windowEnd);

    public static bool Overlaps(Instant start, Instant end, Instant windowStart, Instant windowEnd) =>
        start < windowEnd && (end > windowStart || (start == end && start >= windowStart));
}
