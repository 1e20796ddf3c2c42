using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// Recurring series as Outlook keeps them: a stored master whose occurrences are computed on read with the library's
/// <see cref="RecurrenceExpander"/>, never materialized, and identified by the master id and their original start.
/// </summary>
internal static class Series
{
    public const string SingleInstance = "singleInstance";
    public const string SeriesMaster = "seriesMaster";
    public const string Occurrence = "occurrence";
    public const string Exception = "exception";

    /// <summary>Where an iCalUId that Outlook made puts the date of an occurrence (zeros on the master).</summary>
    private const string GlobalObjectIdPrefix = "040000008200E00074C5B7101A82E008";

    private static readonly InstantPattern IdSuffix = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    private static readonly InstantPattern OriginalStartPattern = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    /// <summary>Occurrence windows are widened by this much before expansion, then filtered exactly: all-day spans are local.</summary>
    private static readonly Duration Margin = Duration.FromDays(2);

    /// <summary>The id of an occurrence, and of the exception it becomes: <c>{masterId}_{yyyyMMddTHHmmssZ}</c> of its original start.</summary>
    public static string OccurrenceId(string masterId, Instant originalStart) => masterId + "_" + IdSuffix.Format(originalStart);

    public static bool TryParseOccurrenceId(string id, out string masterId, out Instant originalStart)
    {
        const int SuffixLength = 16;
        masterId = string.Empty;
        originalStart = default;
        if (id.Length <= SuffixLength + 1 || id[^(SuffixLength + 1)] != '_')
        {
            return false;
        }

        var parsed = IdSuffix.Parse(id[^SuffixLength..]);
        if (!parsed.Success)
        {
            return false;
        }

        masterId = id[..^(SuffixLength + 1)];
        originalStart = parsed.Value;
        return true;
    }

    public static string FormatOriginalStart(Instant value) => OriginalStartPattern.Format(value);

    public static Instant? ParseOriginalStart(string text)
    {
        var parsed = InstantPattern.ExtendedIso.Parse(text);
        return parsed.Success ? parsed.Value : null;
    }

    /// <summary>
    /// The occurrences of a master that overlap a window (either bound may be open), in order, without the deleted ones and
    /// ignoring exceptions; lazy, so an endless series can be read with any window.
    /// </summary>
    public static IEnumerable<OccurrenceSlot> Occurrences(StoredEvent master, Instant? from, Instant? to)
    {
        var rule = master.Rule ?? throw new InvalidOperationException($"Event '{master.Id}' is not a series master.");
        var startZone = Zone(master, "start");
        var endZone = Zone(master, "end");
        var window = new Interval(from - Margin, to + Margin);
        IEnumerable<SeriesOccurrence> expanded;
        if (master.IsAllDay)
        {
            var first = EventTiming.AllDay(master.Start.InZone(startZone).Date, master.End.InZone(endZone).Date);
            expanded = RecurrenceExpander.Expand(rule, first, window);
        }
        else
        {
            expanded = RecurrenceExpander.Expand(rule, EventTiming.Timed(master.Start.InZone(startZone), master.End.InZone(endZone)), window);
        }

        foreach (var occurrence in expanded)
        {
            var slot = master.IsAllDay
                ? AllDaySlot(occurrence, startZone, endZone)
                : new OccurrenceSlot(
                    occurrence.OriginalDate,
                    occurrence.Timing.StartInstant,
                    occurrence.Timing.EndInstant,
                    occurrence.Timing.StartInstant.InZone(startZone).LocalDateTime,
                    occurrence.Timing.EndInstant.InZone(endZone).LocalDateTime);
            if ((to is null || slot.Start < to) && (from is null || slot.End > from || (slot.Start == slot.End && slot.Start >= from)))
            {
                yield return slot;
            }
        }
    }

    /// <summary>The occurrence of a master that has this original start, unless it was deleted or never existed.</summary>
    public static OccurrenceSlot? Find(StoredEvent master, Instant originalStart)
    {
        foreach (var slot in Occurrences(master, originalStart, originalStart + Duration.Epsilon))
        {
            if (slot.Start == originalStart)
            {
                return slot;
            }
        }

        return null;
    }

    /// <summary>The occurrences before and after the one with this original start (deleted ones do not count).</summary>
    public static (OccurrenceSlot? Previous, OccurrenceSlot? Next) Neighbours(StoredEvent master, Instant originalStart)
    {
        OccurrenceSlot? previous = null;
        foreach (var slot in Occurrences(master, null, null))
        {
            if (slot.Start < originalStart)
            {
                previous = slot;
            }
            else if (slot.Start > originalStart)
            {
                return (previous, slot);
            }
        }

        return (previous, null);
    }

    /// <summary>An occurrence as Graph renders it: the master's fields, its own id, span, original start and iCalUId.</summary>
    public static StoredEvent OccurrenceEvent(StoredEvent master, OccurrenceSlot slot, string type = Occurrence)
    {
        var data = (JsonObject)master.Data.DeepClone();
        var id = OccurrenceId(master.Id, slot.Start);
        data["id"] = id;
        data["type"] = type;
        data["seriesMasterId"] = master.Id;
        data["recurrence"] = null;
        data["transactionId"] = null;
        data["originalStart"] = FormatOriginalStart(slot.Start);
        data["iCalUId"] = OccurrenceICalUId((string?)master.Data["iCalUId"], slot.OriginalDate);
        data["webLink"] = EventDocument.WebLink(id);
        data["start"] = new JsonObject { ["dateTime"] = GraphTime.FormatLocal(slot.StartLocal), ["timeZone"] = (string?)master.Data["start"]?["timeZone"] };
        data["end"] = new JsonObject { ["dateTime"] = GraphTime.FormatLocal(slot.EndLocal), ["timeZone"] = (string?)master.Data["end"]?["timeZone"] };
        return new StoredEvent(data, slot.Start, slot.End);
    }

    /// <summary>The date an event starts on in the series' time zone (an all-day event: its own date).</summary>
    public static LocalDate StartDate(StoredEvent stored, Recurrence rule) =>
        stored.IsAllDay
            ? stored.Start.InZone(Zone(stored, "start")).Date
            : stored.Start.InZone(DateTimeZoneProviders.Tzdb[rule.TimeZoneId]).Date;

    private static OccurrenceSlot AllDaySlot(SeriesOccurrence occurrence, DateTimeZone startZone, DateTimeZone endZone)
    {
        var startLocal = occurrence.Timing.StartDate.AtMidnight();
        var endLocal = occurrence.Timing.EndDate.AtMidnight();
        return new OccurrenceSlot(occurrence.OriginalDate, GraphTime.ToInstant(startLocal, startZone), GraphTime.ToInstant(endLocal, endZone), startLocal, endLocal);
    }

    private static DateTimeZone Zone(StoredEvent stored, string key) =>
        GraphTime.FindZone((string?)stored.Data[key]?["timeZone"]) ?? DateTimeZone.Utc;

    /// <summary>Outlook's iCalUId of an occurrence: the master's, with the occurrence's original date where the master has zeros.</summary>
    private static string? OccurrenceICalUId(string? master, LocalDate date)
    {
        if (master is null || master.Length < GlobalObjectIdPrefix.Length + 8 || !master.StartsWith(GlobalObjectIdPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return master;
        }

        var stamp = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{date.Year:X4}{date.Month:X2}{date.Day:X2}");
        return string.Concat(master.AsSpan(0, GlobalObjectIdPrefix.Length), stamp, master.AsSpan(GlobalObjectIdPrefix.Length + 8));
    }
}
