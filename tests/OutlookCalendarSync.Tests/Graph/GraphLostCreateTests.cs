using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// Issue 10, item 1: a <c>$batch</c> of creates whose answer is lost after Graph carried out some of them, when several host
/// events share subject, start and end (so only the host-id stamp can tell the Outlook copies apart), and whether or not Graph
/// de-duplicates a repeated <c>transactionId</c>. Delta pages carry no extended properties, as in Graph.
/// </summary>
public sealed class GraphLostCreateTests
{
    private const string User = "alice";
    private const int Colliding = 4;
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    public static TheoryData<string, int, bool> Cuts()
    {
        var cuts = new TheoryData<string, int, bool>();
        foreach (string how in new[] { "crash", "dropped connection", "truncated body" })
        {
            for (int carriedOut = 0; carriedOut <= Colliding; carriedOut++)
            {
                cuts.Add(how, carriedOut, true);
                cuts.Add(how, carriedOut, false);
            }
        }

        return cuts;
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task SyncAsync_BatchOfCollidingCreatesCutAfterKWrites_NoDuplicateNoExtraInvitationLastRunWritesNothing(string how, int carriedOut, bool graphDeduplicatesTransactionIds)
    {
        await using GraphTestHost host = await GraphTestHost.StartAsync(Now, configureEmulator: o => o.DeduplicatesTransactionIds = graphDeduplicatesTransactionIds);
        var local = new InMemoryCalendarStore(host.Clock);
        var state = new InMemorySyncStateStore(host.Clock);
        for (int i = 0; i < Colliding; i++)
        {
            local.AddByUser(User, Standup());
        }

        var cut = how == "truncated body" ? GraphFault.TruncateAnswer(carriedOut) : GraphFault.LoseAnswer(carriedOut);
        using (host.Emulator.InjectFault(cut with { Method = "POST", PathPattern = @"^/\$batch$", Times = 1 }))
        {
            await using ServiceProvider cutRun = host.BuildSyncServices(local, state, how == "crash" ? new CrashOnLostAnswer(host.Calendar) : null);
            if (how == "crash")
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cutRun.GetRequiredService<ISyncEngine>().SyncAsync(User));
            }
            else
            {
                SyncResult cutResult = await cutRun.GetRequiredService<ISyncEngine>().SyncAsync(User);
                Assert.All(cutResult.Failures, f => Assert.True(f.WillRetry));
            }
        }

        Assert.Equal(carriedOut, host.Emulator.GetEvents(User).Count);
        SyncResult last = default!;
        for (int run = 0; run < 3; run++)
        {
            await using ServiceProvider next = host.BuildSyncServices(local, state);
            last = await next.GetRequiredService<ISyncEngine>().SyncAsync(User);
            Assert.Empty(last.Failures);
        }

        Assert.Equal(0, last.TotalWrites);
        Assert.Equal(Colliding, local.GetAll(User).Count);
        IReadOnlyList<System.Text.Json.Nodes.JsonObject> outlook = host.Emulator.GetEvents(User);
        Assert.Equal(Colliding, outlook.Count);
        Assert.Equal(
            local.GetAll(User).Select(e => e.Id).Order(),
            outlook.Select(e => e["singleValueExtendedProperties"]!.AsArray().Single(p => ((string?)p!["id"])!.EndsWith("HostId", StringComparison.Ordinal))!["value"]!.GetValue<string>()).Order());
        Assert.Equal(Colliding, host.Emulator.Outbox.Count(m => m.Kind == OutboxMessageKind.Invitation));
    }

    private static CalendarEvent Standup() => new()
    {
        Subject = "Standup",
        Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 25, 9, 0), new LocalDateTime(2026, 11, 25, 9, 15), "Europe/Berlin"),
        Attendees = [Attendee.Create("team@example.com")],
    };

    /// <summary>The process dies while its batch is in flight: the answer never reaches the engine, and nothing after it runs.</summary>
    private sealed class CrashOnLostAnswer(IOutlookCalendar inner) : IOutlookCalendar
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, cancellationToken);

        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, LinkedEventLookup linked, CancellationToken cancellationToken) => inner.GetChangesAsync(userId, cursor, window, linked, cancellationToken);

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, Interval window, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, window, cancellationToken);

        public Task<IReadOnlyList<CalendarEvent?>> GetManyAsync(string userId, IReadOnlyList<string> eventIds, Interval window, CancellationToken cancellationToken) => inner.GetManyAsync(userId, eventIds, window, cancellationToken);

        public async Task<IReadOnlyList<EventWriteResult>> WriteAsync(string userId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken)
        {
            try
            {
                return await inner.WriteAsync(userId, writes, cancellationToken);
            }
            catch (OutlookCalendarSyncException ex)
            {
                throw new OperationCanceledException("Simulated crash: the process stopped while the batch was in flight.", ex);
            }
        }
    }
}
