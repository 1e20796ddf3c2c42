namespace OutlookCalendarSync.Reconciliation;

/// <summary>Which way changes flow.</summary>
public enum SyncDirection
{
    /// <summary>Both ways (the default).</summary>
    TwoWay,

    /// <summary>Host changes go to Outlook; Outlook changes are not brought back, and the host wins conflicts.</summary>
    ToOutlookOnly,

    /// <summary>Outlook changes come to the host; host changes are not pushed, and Outlook wins conflicts.</summary>
    FromOutlookOnly,
}
