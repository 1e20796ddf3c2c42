using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>Issue 10, item 6: an empty id is no identity.</summary>
public sealed partial class GraphSyncTests
{
    [Fact]
    public async Task SyncAsync_UnrelatedEventsWithEmptyICalUIdAndBlankStamp_AreNeverLinkedNorOverwritten()
    {
        Local.Seed(User, Meeting("Dentist", 1) with { ICalUId = string.Empty, CounterpartId = " " });
        Emulator.AddEvent(User, """{"subject":"Board meeting","iCalUId":"","start":{"dateTime":"2026-11-26T14:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-26T15:00:00","timeZone":"UTC"}}""");

        SyncResult result = await Engine.SyncAsync(User);
        SyncResult again = await Engine.SyncAsync(User);

        Assert.Equal(0, result.Linked);
        Assert.Equal(1, result.Outlook.Created);
        Assert.Equal(1, result.Host.Created);
        Assert.Equal(0, again.TotalWrites);
        Assert.Equal(["Board meeting", "Dentist"], Local.GetAll(User).Select(e => e.Subject).Order());
        Assert.Equal(["Board meeting", "Dentist"], Emulator.GetEvents(User).Select(e => (string?)e["subject"]).Order());
    }
}
