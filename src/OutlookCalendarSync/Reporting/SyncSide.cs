namespace OutlookCalendarSync.Reporting;

/// <summary>One of the two calendars a sync joins.</summary>
public enum SyncSide
{
    /// <summary>The host application's calendar (<see cref="Calendars.ICalendarStore"/>).</summary>
    Host,

    /// <summary>The user's Outlook calendar (<see cref="Calendars.IOutlookCalendar"/>).</summary>
    Outlook,
}
