namespace OutlookCalendarSync.Abstractions;

/// <summary>One of the two calendars a sync joins.</summary>
public enum SyncSide
{
    /// <summary>The host application's calendar (<see cref="ICalendarStore"/>).</summary>
    Host,

    /// <summary>The user's Outlook calendar (<see cref="IOutlookCalendar"/>).</summary>
    Outlook,
}
