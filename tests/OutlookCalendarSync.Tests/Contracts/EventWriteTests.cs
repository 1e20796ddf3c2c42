using System.Reflection;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class EventWriteTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Update_WithoutEventId_Throws(string? eventId)
        => Assert.ThrowsAny<ArgumentException>(() => EventWrite.Update(eventId!, "v1", InWindow("a"), EventFields.Subject));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Delete_WithoutEventId_Throws(string? eventId)
        => Assert.ThrowsAny<ArgumentException>(() => EventWrite.Delete(eventId!, "v1"));

    [Fact]
    public void Update_WithoutContent_Throws()
        => Assert.Throws<ArgumentNullException>(() => EventWrite.Update("e1", "v1", null!, EventFields.Subject));

    [Fact]
    public void Create_WithoutEvent_Throws()
        => Assert.Throws<ArgumentNullException>(() => EventWrite.Create(null!));

    [Fact]
    public void Factories_BuildTheCaseOfTheirKind_WithWhatTheyWereGiven()
    {
        CalendarEvent content = InWindow("a");

        EventCreate create = EventWrite.Create(content);
        EventUpdate update = EventWrite.Update("e1", "v1", content, EventFields.Subject | EventFields.Location);
        EventDelete delete = EventWrite.Delete("e2", null);

        Assert.Equal((WriteKind.Create, content), (create.Kind, create.Event));
        Assert.Equal((WriteKind.Update, "e1", "v1", content, EventFields.Subject | EventFields.Location), (update.Kind, update.EventId, update.ExpectedVersion, update.Content, update.Fields));
        Assert.Equal((WriteKind.Delete, "e2", (string?)null), (delete.Kind, delete.EventId, delete.ExpectedVersion));
    }

    [Fact]
    public void EventWrite_IsClosed_ToItsThreeSealedCases()
    {
        Type[] cases = typeof(EventWrite).Assembly.GetTypes().Where(t => t != typeof(EventWrite) && typeof(EventWrite).IsAssignableFrom(t)).ToArray();

        Assert.Equal([typeof(EventCreate), typeof(EventDelete), typeof(EventUpdate)], cases.OrderBy(t => t.Name));
        Assert.All(cases, t => Assert.True(t.IsSealed, $"{t.Name} must be sealed."));

        // No constructor another assembly can call: a write is built by a factory, which checks what it needs.
        Assert.All(
            cases.Append(typeof(EventWrite)).SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)),
            c => Assert.False(c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly, $"{c.DeclaringType!.Name} has a constructor other assemblies can call."));
    }

    [Fact]
    public void Equals_ComparesWhatTheWritesDo()
    {
        CalendarEvent content = InWindow("a");

        Assert.Equal(EventWrite.Update("e1", "v1", content, EventFields.Subject), EventWrite.Update("e1", "v1", content with { }, EventFields.Subject));
        Assert.NotEqual(EventWrite.Update("e1", "v1", content, EventFields.Subject), EventWrite.Update("e1", "v2", content, EventFields.Subject));
        Assert.NotEqual(EventWrite.Update("e1", "v1", content, EventFields.Subject), EventWrite.Update("e1", "v1", content, EventFields.Location));
        Assert.Equal(EventWrite.Delete("e1", "v1"), EventWrite.Delete("e1", "v1"));
        Assert.NotEqual<EventWrite>(EventWrite.Delete("e1", "v1"), EventWrite.Update("e1", "v1", content, EventFields.Subject));
        Assert.Equal(EventWrite.Create(content).GetHashCode(), EventWrite.Create(content with { }).GetHashCode());
    }
}
