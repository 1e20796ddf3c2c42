namespace OutlookCalendarSync.Model;

/// <summary>Which weekday of a month a relative recurrence falls on.</summary>
public enum WeekIndex
{
    /// <summary>The first.</summary>
    First,

    /// <summary>The second.</summary>
    Second,

    /// <summary>The third.</summary>
    Third,

    /// <summary>The fourth.</summary>
    Fourth,

    /// <summary>The last.</summary>
    Last,
}
