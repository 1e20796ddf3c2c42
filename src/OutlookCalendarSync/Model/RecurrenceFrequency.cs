namespace OutlookCalendarSync.Model;

/// <summary>The kinds of recurrence that both RFC 5545 and Outlook can express.</summary>
public enum RecurrenceFrequency
{
    /// <summary>Every N days.</summary>
    Daily,

    /// <summary>Every N weeks on the given days of the week.</summary>
    Weekly,

    /// <summary>Every N months on a day of the month (for example the 15th).</summary>
    AbsoluteMonthly,

    /// <summary>Every N months on a weekday by its index (for example the second Tuesday).</summary>
    RelativeMonthly,

    /// <summary>Every N years on a month and day (for example 3 May).</summary>
    AbsoluteYearly,

    /// <summary>Every N years on a weekday by its index in a month (for example the last Friday of November).</summary>
    RelativeYearly,
}
