using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Tests.Support;

namespace OutlookCalendarSync.Tests.Engine;

public sealed class ReauthorizationTests
{
    [Fact]
    public async Task SyncAsync_RevokedSignIn_ReturnsNeedsReauthorizationForThatUserOnly()
    {
        var remote = new RevokingOutlookCalendar(new InMemoryOutlookCalendar(), revokedUser: "alice");
        using var h = new SyncHarness(remoteOverride: remote);
        h.Local.AddByUser("alice", SyncHarness.Meeting("A"));
        h.Local.AddByUser("bob", SyncHarness.Meeting("B"));

        SyncResult alice = await h.SyncAsync("alice");
        SyncResult bob = await h.SyncAsync("bob");

        Assert.Equal(SyncRunStatus.NeedsReauthorization, alice.Status);
        Assert.Contains("connected again", alice.Message);
        Assert.Equal(SyncStatus.NeedsReauthorization, (await h.Engine.GetStatusAsync("alice")).Status);
        Assert.Equal(SyncRunStatus.Synced, bob.Status);
        Assert.Equal(SyncRunStatus.NeedsReauthorization, (await h.SyncAsync("alice")).Status);
    }

    private sealed class RevokingOutlookCalendar(IOutlookCalendar inner, string revokedUser) : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken)
            => userId == revokedUser ? throw new ReauthorizationRequiredException() : inner.GetChangesAsync(userId, cursor, window, cancellationToken);

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken)
            => inner.GetAsync(userId, eventId, window, cancellationToken);

        public Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
            => inner.WriteAsync(userId, writes, cancellationToken);
    }
}
