using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Me.Events.Item.Accept;
using Microsoft.Graph.Me.Events.Item.Decline;
using Microsoft.Graph.Me.Events.Item.TentativelyAccept;
using Microsoft.Graph.Models.ODataErrors;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Graph;

/// <summary>The owner's answer to an invitation: sent to the organizer through Graph's event actions, never as a PATCH field.</summary>
/// <remarks>
/// <para>
/// An update whose fields include <see cref="EventFields.MyResponse"/> is split: the other fields go in the batch's PATCH as
/// usual, and the answer (<c>accept</c>, <c>tentativelyAccept</c> or <c>decline</c> with <c>sendResponse: true</c>) follows as
/// its own request once the PATCH succeeded. The action's 202 has no body, so the event is read again for its new change key;
/// a failed answer is the write's failure.
/// </para>
/// <para>
/// Nothing is sent for an event the owner organizes (Graph refuses an answer to one's own meeting) nor for a response that is
/// no answer (none, not responded): Outlook keeps what it has. An answer-only write of that kind makes no request at all.
/// </para>
/// </remarks>
internal sealed partial class GraphOutlookCalendar
{
    /// <summary>
    /// For an update that writes <see cref="EventFields.MyResponse"/>: the write without it, and the answer to send after it
    /// (null when there is none to send). Null for every other update.
    /// </summary>
    private static EventUpdate? SplitAnswer(EventUpdate write, out InvitationAnswer? answer)
    {
        answer = null;
        if (!write.Fields.HasFlag(EventFields.MyResponse))
        {
            return null;
        }

        answer = GraphEventMapper.AnswerOf(write.Content);
        return write.WithFields(write.Fields & ~EventFields.MyResponse);
    }

    /// <summary>Sends the owner's answer after a write's PATCH (or alone) and returns the event as Outlook now holds it.</summary>
    /// <param name="client">The Graph client.</param>
    /// <param name="userId">The user whose calendar is written.</param>
    /// <param name="write">The write, with <see cref="EventFields.MyResponse"/> among its fields.</param>
    /// <param name="answer">The answer to send, or null when there is none.</param>
    /// <param name="patched">The result of the write's PATCH, or null when the answer was the only change.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    private async Task<EventWriteResult> AnswerAsync(GraphServiceClient client, string userId, EventUpdate write, InvitationAnswer? answer, EventWriteResult? patched, CancellationToken cancellationToken)
    {
        string eventId = write.EventId;
        if (answer is not { } send)
        {
            return patched ?? EventWriteResult.Success(write.Content with { Id = eventId, Version = write.ExpectedVersion });
        }

        try
        {
            Task posted = send switch
            {
                InvitationAnswer.Accept => client.Me.Events[eventId].Accept.PostAsync(new AcceptPostRequestBody { SendResponse = true }, c => c.Headers.Add("Prefer", PreferOnEveryRequest), cancellationToken),
                InvitationAnswer.TentativelyAccept => client.Me.Events[eventId].TentativelyAccept.PostAsync(new TentativelyAcceptPostRequestBody { SendResponse = true }, c => c.Headers.Add("Prefer", PreferOnEveryRequest), cancellationToken),
                _ => client.Me.Events[eventId].Decline.PostAsync(new DeclinePostRequestBody { SendResponse = true }, c => c.Headers.Add("Prefer", PreferOnEveryRequest), cancellationToken),
            };
            await posted.ConfigureAwait(false);
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return EventWriteResult.Failure(WriteStatus.NotFound, $"The Outlook event {eventId} does not exist, so the invitation cannot be answered ({ex.Error?.Code}).", ex.Error?.Code);
        }
        catch (Exception ex) when (Translate(ex, $"send the answer '{send}' to the invitation {eventId}", cancellationToken) is { } translated)
        {
            if (translated is ReauthorizationRequiredException)
            {
                throw translated;
            }

            bool retryable = ex is not ODataError error || IsRetryable((HttpStatusCode)error.ResponseStatusCode) || error.ResponseStatusCode >= 500;
            string? errorCode = (ex as ODataError)?.Error?.Code;
            return retryable
                ? EventWriteResult.Failure(WriteStatus.TransientFailure, $"{translated.Message} It is retried next run.", errorCode)
                : EventWriteResult.Failure(WriteStatus.PermanentFailure, translated.Message, errorCode);
        }

        try
        {
            CalendarEvent? answered = await ReadAnsweredAsync(client, userId, write, cancellationToken).ConfigureAwait(false);
            return answered is null
                ? EventWriteResult.Failure(WriteStatus.NotFound, $"Outlook took the answer '{send}' to {eventId} and no longer shows the event (a declined meeting may move to Deleted Items); the next run reads its removal.")
                : EventWriteResult.Success(answered);
        }
        catch (OutlookCalendarSyncException ex) when (ex is not ReauthorizationRequiredException)
        {
            return EventWriteResult.Failure(WriteStatus.TransientFailure, $"Outlook took the answer '{send}' to {eventId} but the event cannot be read back; it is read again next run. {ex.Message}");
        }
    }

    /// <summary>Reads an answered event back for its new change key: null when Outlook no longer shows it.</summary>
    /// <remarks>
    /// An answer deletes no occurrence of a series, and the deleted occurrences the write carried are those Outlook holds (a
    /// pattern written with the answer had its deletions applied before it), so an answered series keeps the write's deleted
    /// occurrences instead of listing its instances again: the write knows no sync window to list them over.
    /// </remarks>
    private async Task<CalendarEvent?> ReadAnsweredAsync(GraphServiceClient client, string userId, EventUpdate write, CancellationToken cancellationToken)
    {
        Microsoft.Graph.Models.Event? found = await GetRawAsync(client, write.EventId, cancellationToken).ConfigureAwait(false);
        if (found is null || found.Type == Microsoft.Graph.Models.EventType.Occurrence)
        {
            return null;
        }

        (CalendarEvent? mapped, string? problem) = await ToModelAsync(client, userId, found, [], cancellationToken).ConfigureAwait(false);
        if (mapped is null)
        {
            throw new OutlookCalendarSyncException($"The Outlook event '{found.Subject}' ({write.EventId}) cannot be synced: {problem}.");
        }

        return mapped.Recurrence is { } rule && write.Content.Recurrence is { } written
            ? mapped with { Recurrence = rule.WithDeletedOccurrences(written.DeletedOccurrences) }
            : mapped;
    }
}
