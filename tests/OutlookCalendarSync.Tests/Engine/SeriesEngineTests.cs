using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Tests.Support;
using static OutlookCalendarSync.Tests.Support.SyncHarness;

namespace OutlookCalendarSync.Tests.Engine;

/// <summary>Recurring series through the engine and the in-memory doubles: ordering of series and their exceptions, the horizon.</summary>
public sealed class SeriesEngineTests : IDisposable
{
    private static readonly LocalDate FirstMonday = new(2026, 11, 30);
    private readonly SyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CalendarEvent StandUp(params LocalDate[] deleted) => new()
    {
        Subject = "Stand-up",
        Timing = EventTiming.Timed(FirstMonday.At(new LocalTime(9, 0)), FirstMonday.At(new LocalTime(9, 15)), "Europe/Berlin"),
        Recurrence = new Recurrence(RecurrenceFrequency.Weekly, FirstMonday, "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday], deletedOccurrences: deleted),
    };

    private static CalendarEvent Moved(string masterId, LocalDate originalDate, int hour) => new()
    {
        Subject = "Stand-up (moved)",
        Timing = EventTiming.Timed(originalDate.At(new LocalTime(hour, 0)), originalDate.At(new LocalTime(hour, 15)), "Europe/Berlin"),
        SeriesMasterId = masterId,
        OriginalStart = originalDate.At(new LocalTime(9, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/Berlin"]).ToInstant(),
    };

    [Fact]
    public async Task SyncAsync_HostSeriesWithException_BothReachOutlookInOneRun()
    {
        CalendarEvent master = _h.Local.AddByUser(User, StandUp());
        _h.Local.AddByUser(User, Moved(master.Id!, FirstMonday.PlusWeeks(1), 11));

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(2, result.Outlook.Created);
        Assert.DoesNotContain(result.Notes, n => n.WillRetry);
        CalendarEvent remoteMaster = Assert.Single(_h.Remote.GetAll(User), e => e.IsSeriesMaster);
        CalendarEvent remoteException = Assert.Single(_h.Remote.GetAll(User), e => e.IsSeriesException);
        Assert.Equal(remoteMaster.Id, remoteException.SeriesMasterId);
        Assert.Equal(0, (await _h.SyncAsync()).TotalWrites);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PreviewAsync_SeriesWithException_CountsTheExceptionThatFollowsItsSeries(bool inOutlook)
    {
        CalendarEvent master = inOutlook ? _h.Remote.AddByUser(User, StandUp()) : _h.Local.AddByUser(User, StandUp());
        CalendarEvent moved = Moved(master.Id!, FirstMonday.PlusWeeks(1), 11);
        _ = inOutlook ? _h.Remote.AddByUser(User, moved) : _h.Local.AddByUser(User, moved);

        SyncPreview preview = await _h.Engine.PreviewAsync(User);
        SyncResult result = await _h.SyncAsync();

        Assert.Equal(new SyncCounts(2, 0, 0), inOutlook ? preview.Host : preview.Outlook);
        Assert.Equal(result.Host, preview.Host);
        Assert.Equal(result.Outlook, preview.Outlook);
        Assert.DoesNotContain(preview.Notes, n => n.WillRetry);
    }

    [Fact]
    public async Task SyncAsync_OutlookSeriesWithException_BothReachTheHostInOneRun()
    {
        CalendarEvent master = _h.Remote.AddByUser(User, StandUp(FirstMonday.PlusWeeks(3)));
        _h.Remote.AddByUser(User, Moved(master.Id!, FirstMonday.PlusWeeks(1), 11));

        SyncResult result = await _h.SyncAsync();

        Assert.Equal(2, result.Host.Created);
        CalendarEvent localMaster = Assert.Single(_h.Local.GetAll(User), e => e.IsSeriesMaster);
        Assert.Equal([FirstMonday.PlusWeeks(3)], localMaster.Recurrence!.DeletedOccurrences);
        Assert.Equal(localMaster.Id, Assert.Single(_h.Local.GetAll(User), e => e.IsSeriesException).SeriesMasterId);
        Assert.Equal(0, (await _h.SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_OutlookDeletesAnOccurrence_HostKeepsItsDeletionsPastTheWindow()
    {
        // The window ends on 2028-11-23 (730 days after now); Outlook tells deletions only up to there.
        var farAway = new LocalDate(2029, 6, 4);
        CalendarEvent local = _h.Local.AddByUser(User, StandUp(farAway));
        await _h.SyncAsync();
        CalendarEvent remote = Assert.Single(_h.Remote.GetAll(User));
        _h.Tick();

        // As Graph shows it after the user deletes the second occurrence: deletions within the window only.
        _h.Remote.UpdateByUser(User, remote.Id!, e => e with { Recurrence = StandUp(FirstMonday.PlusWeeks(1)).Recurrence });
        SyncResult result = await _h.SyncAsync();

        Assert.Equal(1, result.Host.Updated);
        Assert.Equal([FirstMonday.PlusWeeks(1), farAway], _h.Local.GetAll(User).Single(e => e.Id == local.Id).Recurrence!.DeletedOccurrences);
        Assert.Equal(0, (await _h.SyncAsync()).TotalWrites);
    }

    [Fact]
    public async Task SyncAsync_HostDeletesTheSeries_OutlookSeriesAndExceptionGo()
    {
        CalendarEvent master = _h.Local.AddByUser(User, StandUp());
        CalendarEvent exception = _h.Local.AddByUser(User, Moved(master.Id!, FirstMonday.PlusWeeks(1), 11));
        await _h.SyncAsync();
        _h.Tick();

        _h.Local.DeleteByUser(User, exception.Id!);
        _h.Local.DeleteByUser(User, master.Id!);
        SyncResult result = await _h.SyncAsync();

        Assert.Equal(2, result.Outlook.Deleted);
        Assert.Empty(_h.Remote.GetAll(User));
    }
}
