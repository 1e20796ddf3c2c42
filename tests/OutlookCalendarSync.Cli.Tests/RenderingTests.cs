using NodaTime;
using OutlookCalendarSync.Cli.Rendering;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Tests;

public sealed class RenderingTests
{
    private static readonly Instant Friday = Instant.FromUtc(2026, 12, 11, 16, 0);

    [Fact]
    public void Compare_EventsWithTheSameStart_ListedBySubjectWhateverTheStoreOrder()
    {
        var before = new CalendarSnapshot([]);
        var after = new CalendarSnapshot([At("b-id", "Team retro", Friday), At("a-id", "1:1 with Dana", Friday), At("c-id", "Stand-up", Friday - Duration.FromHours(7))]);

        SideChangesReport changes = before.Compare(after);

        Assert.Equal(["Stand-up", "1:1 with Dana", "Team retro"], changes.Created);
    }

    [Fact]
    public void InPrintOrder_SameStartAndSubject_ShorterFirstThenById()
    {
        CalendarEvent[] events = [At("z", "Retro", Friday, minutes: 30), At("y", "Retro", Friday), At("x", "Retro", Friday)];

        Assert.Equal(["z", "x", "y"], events.InPrintOrder().Select(e => e.Id));
    }

    private static CalendarEvent At(string id, string subject, Instant start, int minutes = 60) => new()
    {
        Id = id,
        Subject = subject,
        Timing = EventTiming.Timed(start.InUtc(), (start + Duration.FromMinutes(minutes)).InUtc()),
    };
}
