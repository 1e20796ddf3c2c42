namespace OutlookCalendarSync.Model;

/// <summary>The format of an event's body.</summary>
public enum BodyContentType
{
    /// <summary>Plain text.</summary>
    Text,

    /// <summary>HTML.</summary>
    Html,
}
