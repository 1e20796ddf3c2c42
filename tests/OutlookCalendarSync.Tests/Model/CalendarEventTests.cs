using System.Reflection;
using NodaTime;
using OutlookCalendarSync.Model;
using static OutlookCalendarSync.Tests.Support.TestEvents;

namespace OutlookCalendarSync.Tests.Model;

public sealed class CalendarEventTests
{
    [Fact]
    public void ContentHash_TextBeyondLatin1_HashesWithoutOverflow()
    {
        CalendarEvent a = new() { Subject = "Réunion — 会議 🙂", Timing = EventTiming.AllDay(new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 2)) };
        CalendarEvent b = a with { Subject = "Réunion — 会議 🙃" };

        Assert.NotEqual(a.ContentHash, b.ContentHash);
    }

    [Fact]
    public void ContentHash_IsStableAcrossProcesses()
    {
        // A fixed value: the hash is persisted in sync state, so it must never depend on the process or machine.
        Assert.Equal(4376300233760769218UL, Meeting().ContentHash);
    }

    [Fact]
    public void ContentHash_CharactersBeyondLatin1_HashWithoutOverflow()
    {
        CalendarEvent dash = Meeting() with { Subject = "Planning – 2027 → 東京" };
        CalendarEvent hyphen = Meeting() with { Subject = "Planning - 2027 -> Tokyo" };

        Assert.NotEqual(dash.ContentHash, hyphen.ContentHash);
        Assert.Equal(dash.ContentHash, (dash with { Id = "other" }).ContentHash);
    }

    [Fact]
    public void ContentHash_IgnoresIdentityVersionAndModificationTime()
    {
        CalendarEvent a = Meeting(id: "A", version: "1");
        CalendarEvent b = Meeting(id: "B", version: "2") with { LastModified = Now, ICalUId = "u", CounterpartId = "c" };

        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.Equal(a, b, CalendarEvent.ContentComparer);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void ContentHash_AttendeesAndCategoriesCompareAsSetsAndAddressesIgnoreCase()
    {
        CalendarEvent a = Meeting() with { Attendees = [Attendee.Create("Ann@Example.com"), Attendee.Create("bob@example.com")], Categories = ["x", "y"] };
        CalendarEvent b = Meeting() with { Attendees = [Attendee.Create("bob@example.com"), Attendee.Create("ann@example.com")], Categories = ["y", "x"] };

        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.Equal(EventFields.None, a.DiffersFrom(b));
    }

    [Fact]
    public void ContentHash_EmptyAndNullTextAreTheSame()
    {
        Assert.Equal((Meeting() with { Location = null }).ContentHash, (Meeting() with { Location = string.Empty }).ContentHash);
        Assert.Equal((Meeting() with { Body = null }).ContentHash, (Meeting() with { Body = EventBody.Text(string.Empty) }).ContentHash);
    }

    [Fact]
    public void With_ChangingAField_ChangesTheHash()
    {
        CalendarEvent a = Meeting();
        _ = a.ContentHash;

        CalendarEvent b = a with { Subject = "Other" };

        Assert.NotEqual(a.ContentHash, b.ContentHash);
    }

    [Fact]
    public void With_CopiesEveryProperty()
    {
        CalendarEvent full = Meeting() with
        {
            ICalUId = "u",
            CounterpartId = "c",
            Body = EventBody.Html("<b>x</b>"),
            OnlineMeetingUrl = new Uri("https://teams.example.com/x"),
            Attendees = [Attendee.Create("ann@example.com")],
            Organizer = new EmailAddress("boss@example.com"),
            ShowAs = ShowAs.Tentative,
            Sensitivity = Sensitivity.Private,
            ReminderMinutesBeforeStart = 15,
            Categories = ["Red"],
            Recurrence = new Recurrence(RecurrenceFrequency.Daily, new LocalDate(2026, 12, 1), "Europe/Berlin"),
            SeriesMasterId = "m",
            OriginalStart = Now,
            IsCancelled = true,
            MyResponse = ResponseStatus.Declined,
        };

        CalendarEvent copy = full with { };

        foreach (PropertyInfo property in typeof(CalendarEvent).GetProperties().Where(p => p.CanWrite))
        {
            Assert.Equal(property.GetValue(full), property.GetValue(copy));
        }

        Assert.Equal(full, copy);
    }

    [Fact]
    public void DiffersFrom_ReportsEachChangedField()
    {
        CalendarEvent a = Meeting();
        CalendarEvent b = a with { Subject = "x", ReminderMinutesBeforeStart = 5, ShowAs = ShowAs.Free };

        Assert.Equal(EventFields.Subject | EventFields.Reminder | EventFields.ShowAs, a.DiffersFrom(b));
    }

    [Fact]
    public void WithFieldsFrom_CopiesOnlyTheGivenFields()
    {
        CalendarEvent a = Meeting();
        CalendarEvent b = a with { Subject = "x", Location = "y" };

        CalendarEvent merged = a.WithFieldsFrom(b, EventFields.Subject);

        Assert.Equal("x", merged.Subject);
        Assert.Equal(a.Location, merged.Location);
    }

    [Fact]
    public void MyResponse_IsASyncedField()
    {
        CalendarEvent invitation = Meeting() with { Organizer = new EmailAddress("boss@example.com") };
        CalendarEvent accepted = invitation with { MyResponse = ResponseStatus.Accepted };

        Assert.Equal(EventFields.MyResponse, invitation.DiffersFrom(accepted));
        Assert.NotEqual(invitation.ContentHash, accepted.ContentHash);
        Assert.False(CalendarEvent.ContentComparer.Equals(invitation, accepted));
        Assert.Equal(ResponseStatus.Accepted, invitation.WithFieldsFrom(accepted, EventFields.MyResponse).MyResponse);
        Assert.Equal(ResponseStatus.None, invitation.WithFieldsFrom(accepted, EventFields.Subject).MyResponse);
    }
}
