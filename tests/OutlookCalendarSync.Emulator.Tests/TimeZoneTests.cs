using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace OutlookCalendarSync.Emulator.Tests;

public sealed class TimeZoneTests : EmulatorTestBase
{
    [Fact]
    public async Task GetEvent_PreferOutlookTimeZone_ConvertsStartAndEnd()
    {
        var created = await Graph.Me.Events.PostAsync(new Event
        {
            Subject = "Berlin morning",
            Start = new DateTimeTimeZone { DateTime = "2024-05-02T09:00:00", TimeZone = "W. Europe Standard Time" },
            End = new DateTimeTimeZone { DateTime = "2024-05-02T09:30:00.5", TimeZone = "W. Europe Standard Time" },
        });

        var pacific = await Graph.Me.Events[created!.Id].GetAsync(c => c.Headers.Add("Prefer", "outlook.timezone=\"Pacific Standard Time\""));
        var utc = await Graph.Me.Events[created.Id].GetAsync();

        Assert.Equal("2024-05-02T00:00:00.0000000", pacific!.Start!.DateTime);
        Assert.Equal("2024-05-02T00:30:00.5000000", pacific.End!.DateTime);
        Assert.Equal("Pacific Standard Time", pacific.Start.TimeZone);
        Assert.Equal("2024-05-02T07:00:00.0000000", utc!.Start!.DateTime);
        Assert.Equal("UTC", utc.Start.TimeZone);
        Assert.Equal("W. Europe Standard Time", utc.OriginalStartTimeZone);
        Assert.Equal(new DateTime(2024, 5, 2, 7, 0, 0), utc.Start.ToDateTime());
    }

    [Fact]
    public async Task PostEvent_IanaTimeZone_IsAcceptedAndKeptAsOriginal()
    {
        var created = await Graph.Me.Events.PostAsync(new Event
        {
            Subject = "Tokyo",
            Start = new DateTimeTimeZone { DateTime = "2024-05-02T09:00:00", TimeZone = "Asia/Tokyo" },
            End = new DateTimeTimeZone { DateTime = "2024-05-02T10:00:00", TimeZone = "Asia/Tokyo" },
        });

        Assert.Equal("Asia/Tokyo", created!.OriginalStartTimeZone);
        Assert.Equal("2024-05-02T00:00:00.0000000", created.Start!.DateTime);
    }

    [Fact]
    public async Task GetEvent_AllDayWithPreferTimeZone_IsNotShifted()
    {
        var created = await Graph.Me.Events.PostAsync(new Event
        {
            Subject = "Holiday",
            IsAllDay = true,
            Start = new DateTimeTimeZone { DateTime = "2024-05-02T00:00:00", TimeZone = "W. Europe Standard Time" },
            End = new DateTimeTimeZone { DateTime = "2024-05-03T00:00:00", TimeZone = "W. Europe Standard Time" },
        });

        var read = await Graph.Me.Events[created!.Id].GetAsync(c => c.Headers.Add("Prefer", "outlook.timezone=\"Tokyo Standard Time\""));

        Assert.True(read!.IsAllDay);
        Assert.Equal("2024-05-02T00:00:00.0000000", read.Start!.DateTime);
        Assert.Equal("2024-05-03T00:00:00.0000000", read.End!.DateTime);
        Assert.Equal("W. Europe Standard Time", read.Start.TimeZone);
    }

    [Fact]
    public async Task PostEvent_AllDayNotAtMidnight_Throws400()
    {
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events.PostAsync(new Event
        {
            IsAllDay = true,
            Start = new DateTimeTimeZone { DateTime = "2024-05-02T09:00:00", TimeZone = "UTC" },
            End = new DateTimeTimeZone { DateTime = "2024-05-03T00:00:00", TimeZone = "UTC" },
        }));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task PostEvent_UnknownTimeZone_Throws400()
    {
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events.PostAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = "2024-05-02T09:00:00", TimeZone = "Mars Standard Time" },
            End = new DateTimeTimeZone { DateTime = "2024-05-02T10:00:00", TimeZone = "Mars Standard Time" },
        }));

        Assert.Equal("TimeZoneNotSupportedException", error.Error!.Code);
    }

    [Fact]
    public async Task Delta_TwoPreferValues_AppliesTimeZoneAndPageSize()
    {
        Emulator.AddEvent(Mailbox, SeedJson("One", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        Emulator.AddEvent(Mailbox, SeedJson("Two", "2024-05-03T09:00:00", "2024-05-03T10:00:00"));

        var page = await Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-06-01T00:00:00Z";
            c.Headers.Add("Prefer", "outlook.timezone=\"India Standard Time\"");
            c.Headers.Add("Prefer", "odata.maxpagesize=1");
        });

        var item = Assert.Single(page!.Value!);
        Assert.Equal("2024-05-02T14:30:00.0000000", item.Start!.DateTime);
        Assert.Equal("India Standard Time", item.Start.TimeZone);
        Assert.NotNull(page.OdataNextLink);
    }

    [Fact]
    public async Task MailboxSettings_ZoneSet_AnswersIt()
    {
        var before = await Graph.Me.MailboxSettings.GetAsync();
        Emulator.SetMailboxTimeZone(Mailbox, "W. Europe Standard Time");

        var after = await Graph.Me.MailboxSettings.GetAsync();

        Assert.Equal("UTC", before!.TimeZone);
        Assert.Equal("W. Europe Standard Time", after!.TimeZone);
        Assert.Equal("W. Europe Standard Time", after.WorkingHours!.TimeZone!.Name);
    }

    [Theory]
    [InlineData("tzone://Microsoft/Custom")]
    [InlineData("Customized Time Zone")]
    [InlineData("Mars Standard Time")]
    public async Task SeededCustomZone_IsTheOriginalZoneUntilTheTimeIsWritten(string customZone)
    {
        var seeded = Emulator.AddEvent(Mailbox, $$$"""{"subject":"Custom","originalStartTimeZone":"{{{customZone}}}","originalEndTimeZone":"{{{customZone}}}","start":{"dateTime":"2024-05-02T07:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-05-02T08:00:00","timeZone":"UTC"}}""");
        var id = seeded["id"]!.GetValue<string>();

        var read = await Graph.Me.Events[id].GetAsync();
        await Graph.Me.Events[id].PatchAsync(new Event { Subject = "Renamed" });
        var renamed = await Graph.Me.Events[id].GetAsync();
        await Graph.Me.Events[id].PatchAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = "2024-05-02T09:00:00", TimeZone = "W. Europe Standard Time" },
            End = new DateTimeTimeZone { DateTime = "2024-05-02T10:00:00", TimeZone = "W. Europe Standard Time" },
        });
        var moved = await Graph.Me.Events[id].GetAsync();

        Assert.Equal(customZone, read!.OriginalStartTimeZone);
        Assert.Equal(customZone, read.OriginalEndTimeZone);
        Assert.Equal("2024-05-02T07:00:00.0000000", read.Start!.DateTime);
        Assert.Equal("UTC", read.Start.TimeZone);
        Assert.Equal(customZone, renamed!.OriginalStartTimeZone);
        Assert.Equal("W. Europe Standard Time", moved!.OriginalStartTimeZone);
        Assert.Equal("W. Europe Standard Time", moved.OriginalEndTimeZone);
    }
}
