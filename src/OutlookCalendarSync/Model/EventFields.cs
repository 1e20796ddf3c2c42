namespace OutlookCalendarSync.Model;

/// <summary>The synced fields of a <see cref="CalendarEvent"/>, as flags: what a change touched, what a patch writes.</summary>
[Flags]
#pragma warning disable CA1711 // "Fields" is the domain word here, not a collection suffix.
public enum EventFields
#pragma warning restore CA1711
{
    /// <summary>No field.</summary>
    None = 0,

    /// <summary><see cref="CalendarEvent.Subject"/>.</summary>
    Subject = 1 << 0,

    /// <summary><see cref="CalendarEvent.Body"/>.</summary>
    Body = 1 << 1,

    /// <summary><see cref="CalendarEvent.Timing"/> (start, end, all-day, time zone).</summary>
    Timing = 1 << 2,

    /// <summary><see cref="CalendarEvent.Location"/>.</summary>
    Location = 1 << 3,

    /// <summary><see cref="CalendarEvent.OnlineMeetingUrl"/>.</summary>
    OnlineMeetingUrl = 1 << 4,

    /// <summary><see cref="CalendarEvent.Attendees"/> and their responses.</summary>
    Attendees = 1 << 5,

    /// <summary><see cref="CalendarEvent.Organizer"/>.</summary>
    Organizer = 1 << 6,

    /// <summary><see cref="CalendarEvent.ShowAs"/>.</summary>
    ShowAs = 1 << 7,

    /// <summary><see cref="CalendarEvent.Sensitivity"/>.</summary>
    Sensitivity = 1 << 8,

    /// <summary><see cref="CalendarEvent.ReminderMinutesBeforeStart"/>.</summary>
    Reminder = 1 << 9,

    /// <summary><see cref="CalendarEvent.Categories"/>.</summary>
    Categories = 1 << 10,

    /// <summary><see cref="CalendarEvent.Recurrence"/>, including deleted occurrences.</summary>
    Recurrence = 1 << 11,

    /// <summary><see cref="CalendarEvent.OriginalStart"/> of an occurrence exception.</summary>
    OriginalStart = 1 << 12,

    /// <summary><see cref="CalendarEvent.IsCancelled"/>.</summary>
    IsCancelled = 1 << 13,

    /// <summary><see cref="CalendarEvent.MyResponse"/>: the calendar owner's answer to an invitation.</summary>
    MyResponse = 1 << 14,

    /// <summary>Every synced field.</summary>
    All = (1 << 15) - 1,
}
