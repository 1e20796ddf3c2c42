using System.Text.Json.Nodes;
using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// One event of a mailbox: its Graph JSON (start and end in the zone they were written in) and its span. A series master also
/// carries its rule, with the occurrences deleted from the series; its occurrences are computed from it (see <see cref="Series"/>).
/// </summary>
/// <remarks>Never changed once built: a write stores a new instance, so delta history can keep old ones.</remarks>
internal sealed class StoredEvent
{
    public StoredEvent(JsonObject data, Instant start, Instant end, Recurrence? rule = null)
    {
        Data = data;
        Start = start;
        End = end;
        Rule = rule;
    }

    public JsonObject Data { get; }

    public Instant Start { get; }

    public Instant End { get; }

    /// <summary>Gets the rule of a series master, with its deleted occurrences; null for every other kind of event.</summary>
    public Recurrence? Rule { get; }

    public string Id => (string)Data["id"]!;

    public string ChangeKey => (string)Data["changeKey"]!;

    public string ETag => $"W/\"{ChangeKey}\"";

    public bool IsOrganizer => Data["isOrganizer"]?.GetValue<bool>() ?? true;

    public bool IsAllDay => Data["isAllDay"]?.GetValue<bool>() ?? false;

    public string Subject => (string?)Data["subject"] ?? string.Empty;

    /// <summary>Gets the Graph event type: <c>singleInstance</c>, <c>seriesMaster</c>, <c>occurrence</c> or <c>exception</c>.</summary>
    public string Type => (string?)Data["type"] ?? Series.SingleInstance;

    public bool IsSeriesMaster => Rule is not null;

    public bool IsException => Type == Series.Exception;

    public string? SeriesMasterId => (string?)Data["seriesMasterId"];

    /// <summary>Gets the start an occurrence or exception has in its series' pattern (the instant in its id).</summary>
    public Instant? OriginalStart => Data["originalStart"] is JsonValue value && value.TryGetValue<string>(out var text)
        ? Series.ParseOriginalStart(text)
        : null;

    public bool Overlaps(Instant windowStart, Instant windowEnd) => Overlaps(Start, End, windowStart, windowEnd);

    public static bool Overlaps(Instant start, Instant end, Instant windowStart, Instant windowEnd) =>
        start < windowEnd && (end > windowStart || (start == end && start >= windowStart));
}
