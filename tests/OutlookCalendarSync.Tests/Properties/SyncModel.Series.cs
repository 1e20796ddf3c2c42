using NodaTime;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Recurrences;

namespace OutlookCalendarSync.Tests.Properties;

/// <summary>Recurring series in the model: creating series, moving and deleting occurrences, and what must hold of them.</summary>
internal sealed partial class SyncModel
{
    private static readonly DateTimeZone SeriesZone = DateTimeZoneProviders.Tzdb[Zone];

    private void CreateSeries(CreateSeriesStep c)
    {
        int logical = _nextLogical++;
        var first = new LocalDate(2026, 12, c.Day);
        Recurrence rule = c.Count % 2 == 1
            ? new Recurrence(RecurrenceFrequency.Daily, first, Zone, numberOfOccurrences: c.Count)
            : new Recurrence(RecurrenceFrequency.Weekly, first, Zone, daysOfWeek: [first.DayOfWeek], numberOfOccurrences: c.Count);
        Add(c.InOutlook, logical, new CalendarEvent { Subject = $"series {logical}", Timing = OnDate(first, c.Hour), Location = "Room", Recurrence = rule });
    }

    private void AddException(AddExceptionStep step)
    {
        if (PickOccurrence(step.InOutlook, step.Pick, step.Index) is not { Exception: null, IsDeleted: false } occurrence)
        {
            return;
        }

        int logical = _nextLogical++;
        int hour = step.Hour == occurrence.Start.InZone(SeriesZone).Hour ? step.Hour + 1 : step.Hour;
        Add(step.InOutlook, logical, new CalendarEvent
        {
            Subject = $"occurrence {logical}",
            Timing = OnDate(occurrence.Date, hour),
            Location = "Room",
            SeriesMasterId = occurrence.Series.Id,
            OriginalStart = occurrence.Start,
        });
        _occurrenceOf[logical] = (occurrence.SeriesLogical, occurrence.Date);
    }

    private void DeleteOccurrence(DeleteOccurrenceStep step)
    {
        if (PickOccurrence(step.InOutlook, step.Pick, step.Index) is { IsDeleted: false } occurrence)
        {
            DeleteOccurrence(step.InOutlook, occurrence);
        }
    }

    /// <summary>Deletes an occurrence as Outlook and host calendars do: its date joins the series' deleted occurrences, and its modified occurrence goes.</summary>
    private void DeleteOccurrence(bool inOutlook, Occurrence occurrence)
    {
        if (occurrence.Exception is { } exception)
        {
            DeleteEvent(inOutlook, exception);
        }

        Func<CalendarEvent, CalendarEvent> change = e => e with { Recurrence = e.Recurrence!.WithDeletedOccurrence(occurrence.Date) };
        CalendarEvent series = inOutlook ? _h.Remote.UpdateByUser(User, occurrence.Series.Id!, change) : _h.Local.UpdateByUser(User, occurrence.Series.Id!, change);
        _expected[occurrence.SeriesLogical].OccurrenceDeleted(occurrence.Date, FieldValue(series, "Recurrence"));
        _h.Tick();
    }

    /// <summary>Occurrence #<paramref name="index"/> of the pattern (deleted ones included) of a series picked by position.</summary>
    private Occurrence? PickOccurrence(bool inOutlook, int pick, int index)
    {
        IReadOnlyList<CalendarEvent> events = Events(inOutlook);
        var series = events.Where(e => e.IsSeriesMaster).ToList();
        if (series.Count == 0)
        {
            return null;
        }

        CalendarEvent master = series[pick % series.Count];
        if (LogicalOf(master, inOutlook) is not { } logical)
        {
            return null;
        }

        SeriesOccurrence[] pattern = [.. RecurrenceExpander.Expand(master.Recurrence!.WithDeletedOccurrences([]), master.Timing, new Interval(null, null))];
        SeriesOccurrence picked = pattern[index % pattern.Length];
        CalendarEvent? exception = events.FirstOrDefault(e => e.SeriesMasterId == master.Id && OriginalDate(e) == picked.OriginalDate);
        return new Occurrence(master, logical, picked.OriginalDate, picked.OriginalStart, exception, master.Recurrence.DeletedOccurrences.Contains(picked.OriginalDate));
    }

    /// <summary>The occurrence a modified occurrence stands for, or null when its series is not on its side.</summary>
    private Occurrence? OccurrenceOf(bool inOutlook, CalendarEvent exception)
    {
        CalendarEvent? master = Events(inOutlook).FirstOrDefault(e => e.Id == exception.SeriesMasterId);
        return master is not null && LogicalOf(master, inOutlook) is { } logical
            ? new Occurrence(master, logical, OriginalDate(exception), exception.OriginalStart!.Value, exception, IsDeleted: false)
            : null;
    }

    /// <summary>
    /// The modified occurrences of a series deleted on either side, or of an occurrence deleted on either side, are expected
    /// gone: Outlook deletes them with the series or the occurrence.
    /// </summary>
    private void FollowSeries()
    {
        foreach ((int logical, (int seriesLogical, LocalDate date)) in _occurrenceOf)
        {
            Expectation exception = _expected[logical];
            Expectation series = _expected[seriesLogical];
            if (exception.Deleted || _gone.Contains(logical))
            {
                continue;
            }

            if (series.Deleted || _gone.Contains(seriesLogical))
            {
                exception.Deleted = true;
                exception.MayReturn |= series.MayReturn;
            }
            else if (series.ExpectsDeleted(date) is var deleted && deleted is not false)
            {
                exception.Deleted = true;
                exception.MayReturn |= deleted is null;
            }
        }
    }

    /// <summary>
    /// Both sides modified the same occurrence before a run: the two modifications became one (a series has one per occurrence),
    /// with the values of either, as competing edits.
    /// </summary>
    private void MergeOccurrences(int kept, int merged)
    {
        Assert.True(
            _occurrenceOf.TryGetValue(kept, out var occurrence) && _occurrenceOf.TryGetValue(merged, out var other) && occurrence == other,
            $"events {kept} and {merged} became one.");
        _expected[kept].Absorb(_expected[merged]);
        _expected.Remove(merged);
        _occurrenceOf.Remove(merged);
        foreach (Dictionary<string, int> logicalOf in new[] { _logicalOfLocal, _logicalOfRemote })
        {
            foreach (string id in logicalOf.Where(p => p.Value == merged).Select(p => p.Key).ToList())
            {
                logicalOf[id] = kept;
            }
        }
    }

    /// <summary>Every modified occurrence of a side belongs to a series of that side, on a date the series has not deleted, once.</summary>
    private static void AssertSeriesHold(IReadOnlyList<CalendarEvent> events, string side)
    {
        var byId = events.ToDictionary(e => e.Id!);
        var moved = new HashSet<(string Series, LocalDate Date)>();
        foreach (CalendarEvent e in events.Where(e => e.IsSeriesException))
        {
            Assert.True(byId.TryGetValue(e.SeriesMasterId!, out CalendarEvent? master) && master.IsSeriesMaster, $"{side}: {e} belongs to no series there.");
            LocalDate date = OriginalDate(e);
            Assert.False(master.Recurrence!.DeletedOccurrences.Contains(date), $"{side}: {e} is the occurrence of {date:uuuu-MM-dd}, which {master} has deleted.");
            Assert.True(moved.Add((master.Id!, date)), $"{side}: the occurrence of {date:uuuu-MM-dd} of {master} is modified twice.");
        }
    }

    private static LocalDate OriginalDate(CalendarEvent exception) => exception.OriginalStart!.Value.InZone(SeriesZone).Date;

    private sealed record Occurrence(CalendarEvent Series, int SeriesLogical, LocalDate Date, Instant Start, CalendarEvent? Exception, bool IsDeleted);
}
