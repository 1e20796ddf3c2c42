using NodaTime;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>Issue 9 item 7: the adapter keeps no per-user state that grows, and a read by id needs no earlier feed.</summary>
public sealed class GraphAdapterStateTests : IAsyncLifetime
{
    private const string User = "alice";
    private GraphTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GraphTestHost.StartAsync(Instant.FromUtc(2026, 11, 24, 8, 0));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetAsync_SeriesMasterWithoutEarlierFeed_ReadsDeletedOccurrencesUpToTheGivenWindowsEnd()
    {
        // A weekly series without end; the occurrence of 2028-06-05 (beyond a year ahead, within the default two-year window) is deleted.
        string masterId = _host.Emulator.AddEvent(User, """{"subject":"Weekly","start":{"dateTime":"2026-11-30T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-30T09:30:00","timeZone":"UTC"},"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd","startDate":"2026-11-30"}}}""")["id"]!.GetValue<string>();
        var far = new LocalDate(2028, 6, 5);
        var instances = _host.Emulator.GetInstances(User, masterId, new DateTimeOffset(2028, 6, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 6, 6, 0, 0, 0, TimeSpan.Zero));
        _host.Emulator.DeleteEvent(User, Assert.Single(instances)["id"]!.GetValue<string>());
        Instant now = _host.Clock.GetCurrentInstant();

        CalendarEvent? wide = await _host.Calendar.GetAsync(User, masterId, new Interval(now - Duration.FromDays(30), now + Duration.FromDays(730)), default);
        CalendarEvent? narrow = await _host.Calendar.GetAsync(User, masterId, new Interval(now - Duration.FromDays(30), now + Duration.FromDays(400)), default);
        IReadOnlyList<CalendarEvent?> many = await _host.Calendar.GetManyAsync(User, [masterId], new Interval(now - Duration.FromDays(30), now + Duration.FromDays(730)), default);

        Assert.Equal([far], wide!.Recurrence!.DeletedOccurrences);
        Assert.Empty(narrow!.Recurrence!.DeletedOccurrences);
        Assert.Equal([far], Assert.Single(many)!.Recurrence!.DeletedOccurrences);
    }

    [Fact]
    public void MailboxGates_LastWriterLeaves_TheMailboxsGateIsDropped()
    {
        var gates = new MailboxGates(slotsPerMailbox: 4);
        MailboxGates.Lease first = gates.Enter("a");
        MailboxGates.Lease second = gates.Enter("a");
        MailboxGates.Lease other = gates.Enter("b");

        Assert.Same(first.Semaphore, second.Semaphore);
        Assert.NotSame(first.Semaphore, other.Semaphore);
        Assert.Equal(2, gates.Count);
        first.Dispose();
        Assert.Equal(2, gates.Count);
        second.Dispose();
        other.Dispose();
        Assert.Equal(0, gates.Count);
        Assert.NotSame(second.Semaphore, gates.Enter("a").Semaphore);
    }

    [Fact]
    public async Task MailboxGates_TwoWritersShareOneMailboxsSlots()
    {
        var gates = new MailboxGates(slotsPerMailbox: 2);
        using MailboxGates.Lease first = gates.Enter("a");
        using MailboxGates.Lease second = gates.Enter("a");
        await first.Semaphore.WaitAsync();
        await second.Semaphore.WaitAsync();

        Assert.False(await first.Semaphore.WaitAsync(TimeSpan.Zero));
        first.Semaphore.Release(2);
    }
}
