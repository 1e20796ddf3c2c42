using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Cli.Demo;

/// <summary>The Outlook side of the demo: how the engine reaches it, and the hands of the mailbox owner editing it.</summary>
internal interface IDemoOutlook : IAsyncDisposable
{
    /// <summary>What the engine talks to, for the demo's opening lines.</summary>
    string Description { get; }

    /// <summary>The emails Outlook sent to attendees, or null when this Outlook cannot tell.</summary>
    OutboxSummary? Outbox { get; }

    /// <summary>Registers the Outlook port on the engine's builder.</summary>
    void Register(OutlookCalendarSyncBuilder builder);

    /// <summary>Adds an event as the mailbox owner would in Outlook.</summary>
    Task<CalendarEvent> AddAsync(CalendarEvent newEvent, CancellationToken cancellationToken);

    /// <summary>Changes an event as the mailbox owner would in Outlook.</summary>
    Task<CalendarEvent> UpdateAsync(string eventId, Func<CalendarEvent, CalendarEvent> change, CancellationToken cancellationToken);

    /// <summary>Deletes an event as the mailbox owner would in Outlook.</summary>
    Task DeleteAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Deletes one occurrence of a series as the mailbox owner would in Outlook.</summary>
    Task DeleteOccurrenceAsync(string seriesMasterId, NodaTime.Instant originalStart, CancellationToken cancellationToken);

    /// <summary>Every event of the mailbox, as the engine reads them.</summary>
    Task<IReadOnlyList<CalendarEvent>> GetAllAsync(CancellationToken cancellationToken);
}

/// <summary>The emails Outlook sent on the demo's behalf, by kind; the kinds add up to <see cref="Total"/>.</summary>
/// <param name="Invitations">Invitations to new meetings.</param>
/// <param name="Updates">Updates of meetings that moved, changed place or changed attendees.</param>
/// <param name="Cancellations">Cancellations of deleted meetings, and to attendees taken off one.</param>
/// <param name="Responses">Answers to invitations, sent to their organizers.</param>
/// <param name="ForPastEvents">Of all of them, the messages about events that were already over.</param>
internal sealed record OutboxSummary(int Invitations, int Updates, int Cancellations, int Responses, int ForPastEvents)
{
    /// <summary>Gets every message.</summary>
    public int Total => Invitations + Updates + Cancellations + Responses;
}
