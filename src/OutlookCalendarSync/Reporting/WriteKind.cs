namespace OutlookCalendarSync.Reporting;

/// <summary>The kinds of write the engine makes.</summary>
public enum WriteKind
{
    /// <summary>Create an event.</summary>
    Create,

    /// <summary>Change some fields of an event.</summary>
    Update,

    /// <summary>Delete an event.</summary>
    Delete,
}
