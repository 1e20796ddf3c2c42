using BenchmarkDotNet.Attributes;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Benchmarks;

/// <summary>How the in-memory Outlook double's delta feed scales: an incremental read should cost O(changes), not O(events).</summary>
[MemoryDiagnoser]
public class InMemoryChangeFeedBenchmarks
{
    private const string UserId = "user-1";
    private static readonly Interval Window = new(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0));
    private readonly InMemoryOutlookCalendar _calendar = new();
    private string _cursor = string.Empty;

    [Params(1_000, 10_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Events; i++)
        {
            _calendar.AddByUser(UserId, new CalendarEvent
            {
                Subject = $"event {i}",
                Timing = EventTiming.Timed(new LocalDateTime(2026, 1, 1, 9, 0).PlusHours(i % 8000), new LocalDateTime(2026, 1, 1, 10, 0).PlusHours(i % 8000), "Europe/Berlin"),
            });
        }

        _cursor = _calendar.GetChangesAsync(UserId, null, Window, default).GetAwaiter().GetResult().NextCursor;
        IReadOnlyList<CalendarEvent> all = _calendar.GetAll(UserId);
        for (int i = 0; i < 10; i++)
        {
            _calendar.UpdateByUser(UserId, all[i * (Events / 10)].Id!, e => e with { Location = "changed" });
        }
    }

    [Benchmark]
    public Task<ChangeFeed> FullListing() => _calendar.GetChangesAsync(UserId, null, Window, default);

    [Benchmark]
    public Task<ChangeFeed> DeltaOfTenChanges() => _calendar.GetChangesAsync(UserId, _cursor, Window, default);
}
