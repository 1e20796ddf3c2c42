namespace OutlookCalendarSync.Model;

/// <summary>How the time of an event shows in the owner's free/busy information.</summary>
public enum ShowAs
{
    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>Free.</summary>
    Free,

    /// <summary>Tentative.</summary>
    Tentative,

    /// <summary>Busy (the default for new events).</summary>
    Busy,

    /// <summary>Out of office.</summary>
    OutOfOffice,

    /// <summary>Working elsewhere.</summary>
    WorkingElsewhere,
}
