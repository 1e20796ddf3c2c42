using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Engine;

public sealed class LinkPayloadTests
{
    [Fact]
    public void ToStoredThenFromStored_EveryMember_RoundTrips()
    {
        CalendarEvent series = TestEvents.Meeting("Stand-up") with
        {
            Recurrence = new Recurrence(RecurrenceFrequency.Weekly, new NodaTime.LocalDate(2026, 11, 2), "Europe/Berlin", daysOfWeek: [NodaTime.IsoDayOfWeek.Monday]),
        };
        var link = new EventLink("local-1", "AAMk-1", TestEvents.Meeting("Planning"))
        {
            ICalUId = "uid-1",
            LocalVersion = "3",
            RemoteVersion = "ck-4",
            LocalHash = ulong.MaxValue,
            RemoteHash = 1234567890123456789,
            LocalBase = series,
            RemoteBase = TestEvents.Meeting("Other"),
            PendingLocal = [TestEvents.Meeting("Pending host")],
            PendingRemote = [series, TestEvents.Meeting("Pending Outlook")],
        };

        StoredLink stored = LinkPayload.ToStored(link);
        EventLink read = LinkPayload.FromStored(stored);

        Assert.Equal(("local-1", "AAMk-1"), (stored.HostId, stored.OutlookId));
        Assert.Equal(link, read);
        Assert.Equal(link.LocalBase.ContentHash, read.LocalBase!.ContentHash);
    }

    [Fact]
    public void FromStored_DocumentOfTheSqliteStoreBeforeThePort_ReadsAsFormatZero()
    {
        CalendarEvent content = TestEvents.Meeting("Planning");
        string json = $$"""{"localId":"local-1","remoteId":"AAMk-1","localVersion":"7","remoteVersion":"ck-7","localHash":11,"remoteHash":12,"base":{{CalendarEventJson.Serialize(content)}},"pendingRemote":[{{CalendarEventJson.Serialize(content)}}]}""";

        EventLink read = LinkPayload.FromStored(new StoredLink("local-1", "AAMk-1", json));

        Assert.Equal(("7", "ck-7", 11UL, 12UL), (read.LocalVersion, read.RemoteVersion, read.LocalHash, read.RemoteHash));
        Assert.Equal(content, read.Base);
        Assert.Single(read.PendingRemote);
    }

    [Fact]
    public void FromStored_OlderHashVersion_RecomputesHashesFromTheBases()
    {
        CalendarEvent content = TestEvents.Meeting("Planning");
        string json = $$"""{"v":1,"hostHash":11,"outlookHash":12,"hashVersion":0,"base":{{CalendarEventJson.Serialize(content)}}}""";

        EventLink read = LinkPayload.FromStored(new StoredLink("local-1", "AAMk-1", json));

        Assert.Equal(content.ContentHash, read.LocalHash);
        Assert.Equal(content.ContentHash, read.RemoteHash);
    }

    [Fact]
    public void FromStored_NewerFormat_ThrowsSayingToUpgrade()
    {
        var error = Assert.Throws<OutlookCalendarSyncException>(() => LinkPayload.FromStored(new StoredLink("local-1", "AAMk-1", """{"v":99}""")));

        Assert.Contains("newer version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStored_NotJson_ThrowsSayingToReset()
    {
        var error = Assert.Throws<OutlookCalendarSyncException>(() => LinkPayload.FromStored(new StoredLink("local-1", "AAMk-1", "not json")));

        Assert.Contains("Reset the user's sync state", error.Message, StringComparison.Ordinal);
    }
}
