namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>The operations the emulator answers.</summary>
internal enum RouteKind
{
    Unknown,
    Batch,
    ListEvents,
    CreateEvent,
    GetEvent,
    UpdateEvent,
    DeleteEvent,
    Instances,
    CancelEvent,
    AcceptEvent,
    TentativelyAcceptEvent,
    DeclineEvent,
    CalendarView,
    Delta,
    MailboxSettings,
    Subscriptions,
    Subscription,
    GetDefaultCalendar,
    GetEventCalendar,
}
