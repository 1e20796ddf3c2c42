namespace OutlookCalendarSync.Model;

/// <summary>Who may see the details of an event (Outlook's sensitivity, the host's privacy).</summary>
public enum Sensitivity
{
    /// <summary>Visible as usual.</summary>
    Normal,

    /// <summary>Personal.</summary>
    Personal,

    /// <summary>Private: others see only the time.</summary>
    Private,

    /// <summary>Confidential.</summary>
    Confidential,
}
