using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>
/// The side abstraction of the reconciler and the executor: code that treats both calendars alike names a <see cref="SyncSide"/>
/// and asks the link, the change or these helpers for that side's part, instead of mirroring each branch.
/// </summary>
internal static class SyncSides
{
    /// <summary>The other calendar.</summary>
    public static SyncSide Other(this SyncSide side) => side == SyncSide.Host ? SyncSide.Outlook : SyncSide.Host;

    /// <summary>The calendar's name in messages: "host calendar" or "Outlook".</summary>
    public static string Name(this SyncSide side) => side == SyncSide.Host ? "host calendar" : "Outlook";

    /// <summary>The calendar as a sentence names it: "the host calendar" or "Outlook".</summary>
    public static string Described(this SyncSide side) => side == SyncSide.Host ? "the host calendar" : "Outlook";

    /// <summary>The value for <paramref name="side"/> of a pair given host first.</summary>
    public static T Pick<T>(this SyncSide side, T host, T outlook) => side == SyncSide.Host ? host : outlook;
}
