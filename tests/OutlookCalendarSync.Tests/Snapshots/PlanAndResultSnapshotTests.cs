using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Tests.Support;
using Snapshooter.Xunit;
using static OutlookCalendarSync.Tests.Support.TestEvents;

namespace OutlookCalendarSync.Tests.Snapshots;

/// <summary>
/// Snapshots of a plan and a result for one fixed scenario (a week with a new meeting on each side, a conflicting edit, a
/// deletion, a past event and an event outside the window). A change in what the engine decides shows as a snapshot diff.
/// </summary>
public sealed class PlanAndResultSnapshotTests
{
    [Fact]
    public void Reconcile_FixedWeek_MatchesSnapshot()
    {
        CalendarEvent standupL = Local("Stand-up", day: 1, hour: 9, id: "L-standup");
        CalendarEvent standupR = Remote("Stand-up", day: 1, hour: 9, id: "R-standup");
        CalendarEvent reviewL = Local("Review", day: 2, hour: 14, id: "L-review");
        CalendarEvent reviewR = Remote("Review", day: 2, hour: 14, id: "R-review");
        var links = LinkCollection.Create([Link(standupL, standupR), Link(reviewL, reviewR)]);

        var local = new SideChanges(
            [
                standupL.Edited(subject: "Stand-up (host)", modified: Now - Duration.FromMinutes(10)),
                Local("Kick-off", day: 3, hour: 10, id: "L-kickoff") with { Attendees = [Attendee.Create("ann@example.com", "Ann"), Attendee.Create("bob@example.com")] },
                Local("Last week's retro", day: 1, id: "L-past") with { Timing = EventTiming.Timed(new LocalDateTime(2026, 11, 17, 15, 0), new LocalDateTime(2026, 11, 17, 16, 0), "Europe/Berlin") },
            ],
            ["L-review"],
            isFullSnapshot: false);
        var remote = new SideChanges(
            [
                standupR.Edited(subject: "Stand-up (Outlook)", location: "Teams", modified: Now - Duration.FromMinutes(5)),
                Remote("Dentist", day: 4, hour: 8, id: "R-dentist") with { ICalUId = "uid-dentist", Sensitivity = Sensitivity.Private },
                Remote("Conference", id: "R-far") with { Timing = EventTiming.AllDay(new LocalDate(2031, 5, 1), new LocalDate(2031, 5, 3)) },
            ],
            [],
            isFullSnapshot: false);

        SyncPlan plan = Reconcile(links, local, remote);

        Describe(plan).MatchSnapshot();
    }

    [Fact]
    public async Task SyncAsync_FixedWeek_ResultMatchesSnapshot()
    {
        using var h = new SyncHarness();
        CalendarEvent planning = h.Local.AddByUser(SyncHarness.User, SyncHarness.Meeting("Planning", day: 1));
        h.Remote.AddByUser(SyncHarness.User, SyncHarness.Meeting("Customer call", day: 2, hour: 11));
        await h.SyncAsync();
        h.Tick();
        string planningRemoteId = h.Remote.GetAll(SyncHarness.User).Single(e => e.Subject == "Planning").Id!;
        h.Local.UpdateByUser(SyncHarness.User, planning.Id!, e => e with { Subject = "Planning (agenda)" });
        h.Tick();
        h.Remote.UpdateByUser(SyncHarness.User, planningRemoteId, e => e with { Location = "Room 5", ReminderMinutesBeforeStart = 10 });
        h.Local.AddByUser(SyncHarness.User, SyncHarness.Meeting("1:1", day: 3, hour: 15));
        h.Remote.FailNextWrites(1, WriteStatus.TransientFailure, w => w.Kind == WriteKind.Create);

        SyncResult result = await h.SyncAsync();

        new
        {
            result.UserId,
            Status = result.Status.ToString(),
            result.Message,
            StartedAt = result.StartedAt.ToString(),
            result.Host,
            result.Outlook,
            result.Linked,
            result.WasFullResync,
            Conflicts = result.Conflicts.Select(c => new { c.HostId, c.OutlookId, c.Subject, LocalChanged = c.HostChanged.ToString(), RemoteChanged = c.OutlookChanged.ToString(), Winner = c.Winner.ToString(), c.Explanation }),
            Failures = result.Failures.Select(f => new { Side = f.Side.ToString(), Operation = f.Operation.ToString(), f.HostId, f.OutlookId, f.Subject, f.Reason, f.ErrorCode, f.WillRetry }),
            Notes = result.Notes.Select(n => new { Side = n.Side.ToString(), n.EventId, n.Subject, n.Reason, n.WillRetry }),
        }.MatchSnapshot();
    }

    private static object Describe(SyncPlan plan) => new
    {
        plan.BlockedReason,
        InvitationEmails = plan.EstimateInvitationEmails(),
        Changes = plan.Changes.Select(c => new
        {
            Kind = c.Kind.ToString(),
            c.Description,
            c.LocalId,
            c.RemoteId,
            RemoteWrite = Describe(c.RemoteWrite),
            LocalWrite = Describe(c.LocalWrite),
            NewBase = c.NewBase?.ToString(),
            Conflict = c.Conflict is null ? null : new { Winner = c.Conflict.Winner.ToString(), LocalChanged = c.Conflict.HostChanged.ToString(), RemoteChanged = c.Conflict.OutlookChanged.ToString(), c.Conflict.Explanation },
        }),
        Notes = plan.Notes.Select(n => new { Side = n.Side.ToString(), n.EventId, n.Subject, n.Reason, n.WillRetry }),
        Failures = plan.Failures.Select(f => new { f.Reason }),
    };

    private static object? Describe(EventWrite? write)
    {
        (string? eventId, string? expectedVersion, EventFields fields, CalendarEvent? content) = write switch
        {
            null => default,
            EventCreate create => (null, null, EventFields.None, create.Event),
            EventUpdate update => (update.EventId, update.ExpectedVersion, update.Fields, update.Content),
            EventDelete deletion => (deletion.EventId, deletion.ExpectedVersion, EventFields.None, null),
            _ => throw new InvalidOperationException($"Unknown write {write}."),
        };
        return write is null ? null : new
        {
            Kind = write.Kind.ToString(),
            EventId = eventId,
            ExpectedVersion = expectedVersion,
            Fields = fields.ToString(),
            Event = content?.ToString(),
            content?.CounterpartId,
            content?.ICalUId,
            Attendees = content?.Attendees.Select(a => a.Email.ToString()),
        };
    }
}
