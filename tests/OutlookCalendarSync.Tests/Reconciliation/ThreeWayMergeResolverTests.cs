using NodaTime;
using OutlookCalendarSync.Conflicts;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using static OutlookCalendarSync.Tests.Support.TestEvents;

namespace OutlookCalendarSync.Tests.Reconciliation;

public sealed class ThreeWayMergeResolverTests
{
    private readonly ThreeWayMergeResolver _resolver = new();

    [Fact]
    public void Resolve_DifferentFieldsChanged_MergesBoth()
    {
        CalendarEvent b = Meeting();
        ConflictResolution r = _resolver.Resolve(new SyncConflict(b, b.Edited(subject: "S"), b.Edited(location: "L"), DeleteVersusChange.DeleteWins));

        Assert.Equal(ConflictWinner.Merged, r.Winner);
        Assert.Equal("S", r.Result!.Subject);
        Assert.Equal("L", r.Result.Location);
    }

    [Fact]
    public void Resolve_SameFieldChanged_NewerModificationWins()
    {
        CalendarEvent b = Meeting();
        ConflictResolution r = _resolver.Resolve(new SyncConflict(b, b.Edited(subject: "host", modified: Now), b.Edited(subject: "outlook", modified: Now - Duration.FromMinutes(5)), DeleteVersusChange.DeleteWins));

        Assert.Equal("host", r.Result!.Subject);
        Assert.Equal(ConflictWinner.Host, r.Winner);
        Assert.Contains("Subject", r.Explanation);
    }

    [Fact]
    public void Resolve_SameFieldChangedAtTheSameInstant_OutlookWins()
    {
        CalendarEvent b = Meeting();
        ConflictResolution r = _resolver.Resolve(new SyncConflict(b, b.Edited(subject: "host", modified: Now), b.Edited(subject: "outlook", modified: Now), DeleteVersusChange.DeleteWins));

        Assert.Equal("outlook", r.Result!.Subject);
    }

    [Fact]
    public void Resolve_BothDeleted_Deletes()
        => Assert.Equal(ConflictWinner.Deleted, _resolver.Resolve(new SyncConflict(Meeting(), null, null, DeleteVersusChange.ChangeWins)).Winner);

    [Theory]
    [InlineData(DeleteVersusChange.DeleteWins, ConflictWinner.Deleted)]
    [InlineData(DeleteVersusChange.ChangeWins, ConflictWinner.Outlook)]
    public void Resolve_DeletedLocallyChangedRemotely_FollowsThePolicy(DeleteVersusChange policy, ConflictWinner expected)
        => Assert.Equal(expected, _resolver.Resolve(new SyncConflict(Meeting(), null, Meeting().Edited(subject: "x"), policy)).Winner);

    [Fact]
    public void Resolve_NoBase_NewerSideWinsDifferingFields()
    {
        CalendarEvent l = Meeting().Edited(subject: "host", modified: Now - Duration.FromDays(2));
        CalendarEvent r = Meeting().Edited(subject: "outlook", location: "Room 7", modified: Now);

        ConflictResolution resolution = _resolver.Resolve(new SyncConflict(null, l, r, DeleteVersusChange.DeleteWins));

        Assert.Equal("outlook", resolution.Result!.Subject);
        Assert.Equal("Room 7", resolution.Result.Location);
    }

    private static readonly LocalDate Monday = new(2026, 11, 30);

    private static CalendarEvent Series(params LocalDate[] deleted) => Meeting("Stand-up") with
    {
        Recurrence = new Recurrence(RecurrenceFrequency.Weekly, Monday, "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday], deletedOccurrences: deleted),
    };

    [Fact]
    public void Resolve_OccurrencesDeletedOnBothSides_KeepsBothDeletions()
    {
        CalendarEvent b = Series(Monday.PlusWeeks(5));
        CalendarEvent host = Series(Monday.PlusWeeks(5), Monday.PlusWeeks(1)) with { LastModified = Now };
        CalendarEvent outlook = Series(Monday.PlusWeeks(5), Monday.PlusWeeks(2)) with { LastModified = Now - Duration.FromMinutes(5) };

        ConflictResolution r = _resolver.Resolve(new SyncConflict(b, host, outlook, DeleteVersusChange.DeleteWins));

        Assert.Equal([Monday.PlusWeeks(1), Monday.PlusWeeks(2), Monday.PlusWeeks(5)], r.Result!.Recurrence!.DeletedOccurrences);
        Assert.Equal(ConflictWinner.Merged, r.Winner);
    }

    [Fact]
    public void Resolve_OccurrenceRestoredOnOneSideAndAnotherDeletedOnTheOther_KeepsBoth()
    {
        CalendarEvent b = Series(Monday.PlusWeeks(5));
        CalendarEvent host = Series() with { LastModified = Now };
        CalendarEvent outlook = Series(Monday.PlusWeeks(5), Monday.PlusWeeks(2)) with { LastModified = Now };

        ConflictResolution r = _resolver.Resolve(new SyncConflict(b, host, outlook, DeleteVersusChange.DeleteWins));

        Assert.Equal([Monday.PlusWeeks(2)], r.Result!.Recurrence!.DeletedOccurrences);
    }

    [Fact]
    public void Resolve_PatternChangedOnOneSideDeletionOnTheOther_PatternWinsEvenWhenOlder()
    {
        CalendarEvent b = Series();
        CalendarEvent host = Series(Monday.PlusWeeks(1)) with { LastModified = Now };
        CalendarEvent outlook = b with
        {
            Recurrence = new Recurrence(RecurrenceFrequency.Weekly, Monday, "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday]),
            LastModified = Now - Duration.FromHours(1),
        };

        ConflictResolution r = _resolver.Resolve(new SyncConflict(b, host, outlook, DeleteVersusChange.DeleteWins));

        Assert.Equal(outlook.Recurrence, r.Result!.Recurrence);
    }

    [Fact]
    public void Resolve_PatternChangedOnBothSides_NewerWins()
    {
        CalendarEvent b = Series();
        CalendarEvent host = b with { Recurrence = new Recurrence(RecurrenceFrequency.Daily, Monday, "Europe/Berlin"), LastModified = Now };
        CalendarEvent outlook = b with { Recurrence = new Recurrence(RecurrenceFrequency.Weekly, Monday, "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Friday]), LastModified = Now - Duration.FromHours(1) };

        ConflictResolution r = _resolver.Resolve(new SyncConflict(b, host, outlook, DeleteVersusChange.DeleteWins));

        Assert.Equal(host.Recurrence, r.Result!.Recurrence);
        Assert.Contains("Recurrence", r.Explanation, StringComparison.Ordinal);
    }
}
