namespace OutlookCalendarSync.Graph;

/// <summary>An answer the calendar owner sends to the organizer of an invitation: one of Graph's event actions.</summary>
internal enum InvitationAnswer
{
    /// <summary><c>POST /me/events/{id}/accept</c>.</summary>
    Accept,

    /// <summary><c>POST /me/events/{id}/tentativelyAccept</c>.</summary>
    TentativelyAccept,

    /// <summary><c>POST /me/events/{id}/decline</c>.</summary>
    Decline,
}
