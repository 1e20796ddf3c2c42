using NodaTime;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Calendars;

/// <summary>
/// Looks up Outlook events the engine has linked to host events, for
/// <see cref="IOutlookCalendar.GetChangesAsync(string, string?, Interval, LinkedEventLookup, CancellationToken)"/>.
/// </summary>
/// <param name="outlookEventIds">Outlook event ids a feed reports changed.</param>
/// <param name="cancellationToken">Cancels the look-up.</param>
/// <returns>
/// For each id among <paramref name="outlookEventIds"/> that is linked, the content last synced for it, with
/// <see cref="CalendarEvent.CounterpartId"/> set to the id of the linked host event; ids not linked are left out.
/// </returns>
public delegate Task<IReadOnlyDictionary<string, CalendarEvent>> LinkedEventLookup(IReadOnlyCollection<string> outlookEventIds, CancellationToken cancellationToken);
