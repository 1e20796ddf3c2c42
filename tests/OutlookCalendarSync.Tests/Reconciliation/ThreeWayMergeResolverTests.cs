using NodaTime;
using OutlookCalendarSync.Abstractions;
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
        Assert.Equal(ConflictWinner.Local, r.Winner);
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
    [InlineData(DeleteVersusChange.ChangeWins, ConflictWinner.Remote)]
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
}
