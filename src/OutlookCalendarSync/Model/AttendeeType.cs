namespace OutlookCalendarSync.Model;

/// <summary>How an attendee is invited.</summary>
public enum AttendeeType
{
    /// <summary>A required attendee.</summary>
    Required,

    /// <summary>An optional attendee.</summary>
    Optional,

    /// <summary>A resource, such as a room or equipment.</summary>
    Resource,
}
