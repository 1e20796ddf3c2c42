namespace OutlookCalendarSync.Calendars;

/// <summary>An event that left a change feed.</summary>
/// <param name="Id">The event's id on that side.</param>
/// <param name="IsConfirmedDeletion">
/// True when the event is known to be deleted; false when it may only have left the window (Graph's <c>@removed</c>),
/// in which case the engine reads it by id before deleting anything.
/// </param>
public sealed record EventRemoval(string Id, bool IsConfirmedDeletion);
