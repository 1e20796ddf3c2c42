using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>The mailboxes, their events, delta cursors and the outbox, shared by the HTTP handlers and the seeding API.</summary>
internal sealed class EmulatorBackend
{
    private readonly ConcurrentDictionary<string, MailboxState> mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DeltaCursor> cursors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OutboxMessage> outbox = new();

    public EmulatorBackend(GraphEmulatorOptions options) => Options = options;

    public GraphEmulatorOptions Options { get; }

    /// <summary>Gets or sets what hears of every stored change (mailbox, event id, <c>created</c>/<c>updated</c>/<c>deleted</c>).</summary>
    public Action<string, string, string>? EventChanged { get; set; }

    public Instant Now => Options.Clock.GetCurrentInstant();

    public IReadOnlyList<OutboxMessage> Outbox => outbox.ToArray();

    public void ClearOutbox() => outbox.Clear();

    public MailboxState Mailbox(string name) =>
        mailboxes.GetOrAdd(name, n => new MailboxState(n, n.Contains('@', StringComparison.Ordinal) ? n : $"{n}@{Options.MailboxDomain}")
        {
            Changed = (id, changeType) => EventChanged?.Invoke(n, id, changeType),
        });

    /// <summary>Maps a <c>/users/{id}</c> segment (a mailbox name or its address) to a mailbox name.</summary>
    public string MailboxNameFromPath(string id)
    {
        var suffix = "@" + Options.MailboxDomain;
        return id.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && !mailboxes.ContainsKey(id) ? id[..^suffix.Length] : id;
    }

    public (StoredEvent Event, bool Replayed) Create(MailboxState mailbox, JsonObject input, bool seeding)
    {
        var result = CreateEvent(mailbox, input, seeding);
        if (!seeding && !result.Replayed && result.Event.IsOrganizer)
        {
            // Outside the organizer's lock: two mailboxes inviting each other at once must not wait on each other's lock.
            foreach (var attendee in AttendeeMailboxes(mailbox, EventDocument.Attendees(result.Event).Keys))
            {
                DeliverInvitation(attendee, result.Event.Data, mailbox.Address, mailbox.Name);
            }
        }

        return result;
    }

    /// <summary>
    /// Puts an attendee's copy of a meeting into a mailbox, as Exchange delivers a meeting request: the organizer's fields (subject,
    /// body, start, end, location, attendees, all-day, recurrence, sensitivity, importance, online meeting) and the meeting's
    /// iCalUId; <c>isOrganizer</c> false, <c>organizer</c> the organizer's address, <c>responseStatus</c> <c>notResponded</c>,
    /// <c>responseRequested</c> true and <c>showAs</c> <c>tentative</c> (Exchange pencils an unanswered meeting in); the
    /// attendee's own fields at their defaults (no categories, a 15-minute reminder). The mailbox's owner is among the attendees.
    /// </summary>
    public StoredEvent DeliverInvitation(MailboxState attendee, JsonObject meeting, string organizerAddress, string? organizerName)
    {
        var input = OrganizerFields(meeting);
        input["isOrganizer"] = false;
        input["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = organizerName ?? organizerAddress, ["address"] = organizerAddress } };
        input["responseStatus"] = new JsonObject { ["response"] = "notResponded", ["time"] = "0001-01-01T00:00:00Z" };
        input["responseRequested"] = true;
        input["showAs"] = "tentative";
        if ((string?)meeting["iCalUId"] is { Length: > 0 } uid)
        {
            input["iCalUId"] = uid;
        }

        if (input["attendees"] is not JsonArray attendees)
        {
            attendees = [];
            input["attendees"] = attendees;
        }

        if (!attendees.OfType<JsonObject>().Any(a => string.Equals((string?)a["emailAddress"]?["address"], attendee.Address, StringComparison.OrdinalIgnoreCase)))
        {
            attendees.Add(new JsonObject
            {
                ["type"] = "required",
                ["status"] = new JsonObject { ["response"] = "none" },
                ["emailAddress"] = new JsonObject { ["name"] = attendee.Name, ["address"] = attendee.Address },
            });
        }

        return CreateEvent(attendee, input, seeding: true).Event;
    }

    private (StoredEvent Event, bool Replayed) CreateEvent(MailboxState mailbox, JsonObject input, bool seeding)
    {
        lock (mailbox.Gate)
        {
            var transactionId = (string?)(input["transactionId"] as JsonValue);
            if (!seeding && transactionId is not null && Options.DeduplicatesTransactionIds
                && mailbox.TransactionIds.TryGetValue(transactionId, out var existingId)
                && mailbox.Events.TryGetValue(existingId, out var existing))
            {
                return (existing, true);
            }

            var created = EventDocument.Create(input, mailbox, Now, seeding);
            if (mailbox.Events.ContainsKey(created.Id))
            {
                throw new GraphErrorException(409, "ErrorItemAlreadyExists", $"An event with id '{created.Id}' already exists.");
            }

            mailbox.Put(created);
            if (transactionId is not null)
            {
                mailbox.TransactionIds[transactionId] = created.Id;
            }

            if (!seeding && created.IsOrganizer)
            {
                Send(OutboxMessageKind.Invitation, mailbox, created, EventDocument.Attendees(created).Keys);
            }

            return (created, false);
        }
    }

    /// <summary>
    /// Changes an event. A single event or series master is patched (a master whose time or pattern changes is regenerated);
    /// an occurrence becomes an exception with the same id, and an exception is patched; both give the master a new change key.
    /// </summary>
    public StoredEvent Update(MailboxState mailbox, string id, JsonObject input, string? ifMatch, bool seeding)
    {
        var (before, after) = ChangeEvent(mailbox, id, input, ifMatch, seeding);
        if (!seeding && after.IsOrganizer && after.Type is Series.SingleInstance or Series.SeriesMaster)
        {
            SendUpdateToAttendeeCopies(mailbox, before, after);
        }

        return after;
    }

    /// <summary>
    /// What an organizer's update does to the copies of the attendees whose mailboxes the emulator holds: each copy gets the
    /// organizer's fields and keeps its own (answer, reminder, show-as, categories); an attendee added gets a copy; an attendee
    /// removed finds theirs cancelled. Updates of one occurrence of a series are not delivered.
    /// </summary>
    /// <remarks>
    /// Whether Exchange resets an attendee's answer when the organizer moves a meeting is left out: the copy keeps it.
    /// </remarks>
    private void SendUpdateToAttendeeCopies(MailboxState organizer, StoredEvent before, StoredEvent after)
    {
        var uid = (string?)after.Data["iCalUId"];
        var now = EventDocument.Attendees(after).Keys.ToList();
        foreach (var attendee in AttendeeMailboxes(organizer, now))
        {
            if (CopyOf(attendee, uid) is { } copy)
            {
                Update(attendee, copy.Id, OrganizerFields(after.Data), ifMatch: null, seeding: true);
            }
            else
            {
                DeliverInvitation(attendee, after.Data, organizer.Address, organizer.Name);
            }
        }

        var removed = EventDocument.Attendees(before).Keys.Where(a => !now.Contains(a, StringComparer.OrdinalIgnoreCase));
        foreach (var attendee in AttendeeMailboxes(organizer, removed))
        {
            CancelCopy(attendee, uid);
        }
    }

    /// <summary>An attendee's copy of a meeting the organizer deleted or cancelled: marked cancelled, as Exchange does.</summary>
    private void CancelCopy(MailboxState attendee, string? uid)
    {
        if (CopyOf(attendee, uid) is { } copy && !(copy.Data["isCancelled"]?.GetValue<bool>() ?? false))
        {
            var cancelled = new JsonObject { ["isCancelled"] = true, ["subject"] = "Canceled: " + copy.Subject };
            Update(attendee, copy.Id, cancelled, ifMatch: null, seeding: true);
        }
    }

    private static StoredEvent? CopyOf(MailboxState attendee, string? uid)
    {
        if (string.IsNullOrEmpty(uid))
        {
            return null;
        }

        lock (attendee.Gate)
        {
            return attendee.Events.Values.FirstOrDefault(e => !e.IsOrganizer && string.Equals((string?)e.Data["iCalUId"], uid, StringComparison.Ordinal));
        }
    }

    /// <summary>The mailboxes of the emulator among a meeting's attendees (addresses in its domain, or of a known mailbox), not the organizer's.</summary>
    private IEnumerable<MailboxState> AttendeeMailboxes(MailboxState organizer, IEnumerable<string> addresses)
    {
        var suffix = "@" + Options.MailboxDomain;
        foreach (var address in addresses.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (string.Equals(address, organizer.Address, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var known = mailboxes.Values.FirstOrDefault(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase));
            if (known is not null)
            {
                yield return known;
            }
            else if (address.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && address.Length > suffix.Length)
            {
                yield return Mailbox(address[..^suffix.Length]);
            }
        }
    }

    /// <summary>The organizer's fields of a meeting, as a body that writes them to an attendee's copy.</summary>
    private static JsonObject OrganizerFields(JsonObject meeting)
    {
        var input = new JsonObject();
        foreach (var key in new[] { "subject", "body", "start", "end", "isAllDay", "location", "attendees", "recurrence", "sensitivity", "importance", "isOnlineMeeting", "onlineMeetingProvider", "onlineMeeting", "hideAttendees" })
        {
            if (meeting.TryGetPropertyValue(key, out var value))
            {
                input[key] = value?.DeepClone();
            }
        }

        return input;
    }

    private (StoredEvent Before, StoredEvent After) ChangeEvent(MailboxState mailbox, string id, JsonObject input, string? ifMatch, bool seeding)
    {
        lock (mailbox.Gate)
        {
            if (mailbox.Events.TryGetValue(id, out var stored))
            {
                return (stored, stored.IsException
                    ? UpdateInstance(mailbox, MasterOf(mailbox, stored), stored, input, ifMatch, seeding)
                    : UpdateEvent(mailbox, stored, input, ifMatch, seeding));
            }

            if (mailbox.FindOccurrence(id) is { } occurrence)
            {
                var instance = Series.OccurrenceEvent(occurrence.Master, occurrence.Slot);
                return (instance, UpdateInstance(mailbox, occurrence.Master, instance, input, ifMatch, seeding));
            }

            throw GraphErrorException.NotFound();
        }
    }

    /// <summary>
    /// Deletes an event: a series master with its exceptions; an occurrence or exception is taken out of its series (the master
    /// records its original date and gets a new change key). Cancelling is deleting as the organizer, with cancellations sent.
    /// </summary>
    public void Delete(MailboxState mailbox, string id, string? ifMatch, bool seeding, bool cancelling = false)
    {
        var removed = DeleteEvent(mailbox, id, ifMatch, seeding, cancelling);
        if (!seeding && removed.IsOrganizer && removed.Type is Series.SingleInstance or Series.SeriesMaster)
        {
            foreach (var attendee in AttendeeMailboxes(mailbox, EventDocument.Attendees(removed).Keys))
            {
                CancelCopy(attendee, (string?)removed.Data["iCalUId"]);
            }
        }
    }

    private StoredEvent DeleteEvent(MailboxState mailbox, string id, string? ifMatch, bool seeding, bool cancelling)
    {
        lock (mailbox.Gate)
        {
            StoredEvent removed;
            if (mailbox.Events.TryGetValue(id, out var stored))
            {
                CheckIfMatch(stored, ifMatch);
                CheckCanCancel(stored, cancelling);
                removed = stored;
                mailbox.Remove(id);
                if (stored.IsSeriesMaster)
                {
                    RemoveExceptions(mailbox, stored, _ => true);
                }
                else if (stored.IsException && mailbox.Events.TryGetValue(stored.SeriesMasterId!, out var master)
                    && Series.Find(master, stored.OriginalStart!.Value) is { } slot)
                {
                    mailbox.Put(EventDocument.Touch(master, Now, master.Rule!.WithDeletedOccurrence(slot.OriginalDate)));
                }
            }
            else if (mailbox.FindOccurrence(id) is { } occurrence)
            {
                removed = Series.OccurrenceEvent(occurrence.Master, occurrence.Slot);
                CheckIfMatch(removed, ifMatch);
                CheckCanCancel(removed, cancelling);
                var master = occurrence.Master;
                mailbox.Put(EventDocument.Touch(master, Now, master.Rule!.WithDeletedOccurrence(occurrence.Slot.OriginalDate)));
            }
            else
            {
                throw GraphErrorException.NotFound();
            }

            var cancelled = removed.Data["isCancelled"]?.GetValue<bool>() ?? false;
            if (!seeding && removed.IsOrganizer && (cancelling || !cancelled))
            {
                Send(OutboxMessageKind.Cancellation, mailbox, removed, EventDocument.Attendees(removed).Keys);
            }

            return removed;
        }
    }

    public void Cancel(MailboxState mailbox, string id) => Delete(mailbox, id, ifMatch: null, seeding: false, cancelling: true);

    /// <summary>
    /// Answers an invitation as its attendee (accept, tentatively accept, decline): the event gets the response and a new
    /// change key, and the organizer a response message unless <paramref name="sendResponse"/> is false. Answering a meeting
    /// the mailbox organizes is refused, as in Graph.
    /// </summary>
    /// <remarks>
    /// A declined meeting stays in the calendar here. Real Outlook may move it to Deleted Items, and delta then reports it as
    /// removed; tests that need that delete the event through the seeding API.
    /// </remarks>
    public void Respond(MailboxState mailbox, string id, string response, bool sendResponse)
    {
        lock (mailbox.Gate)
        {
            if (!mailbox.Events.TryGetValue(id, out var stored))
            {
                throw GraphErrorException.NotFound();
            }

            if (stored.IsOrganizer)
            {
                throw GraphErrorException.BadRequest("ErrorInvalidRequest", "Your request can't be completed. You can't respond to a meeting you organized.");
            }

            var answered = EventDocument.Touch(stored, Now);
            answered.Data["responseStatus"] = new JsonObject { ["response"] = response, ["time"] = GraphTime.FormatInstant(Now) };
            mailbox.Put(answered);
            if (sendResponse && (string?)stored.Data["organizer"]?["emailAddress"]?["address"] is { Length: > 0 } organizer)
            {
                Send(OutboxMessageKind.Response, mailbox, answered, [organizer]);
            }
        }
    }

    /// <summary>Starts a delta round: every event in the window, or the changes since a delta token.</summary>
    public DeltaCursor StartDelta(MailboxState mailbox, string? deltaToken, Instant? windowStart, Instant? windowEnd)
    {
        lock (mailbox.Gate)
        {
            if (deltaToken is not null)
            {
                var previous = Cursor(mailbox, deltaToken);
                return previous with { Sequence = mailbox.Sequence, Pending = Changes(mailbox, previous) };
            }

            if (windowStart is not { } start || windowEnd is not { } end)
            {
                throw GraphErrorException.BadRequest("ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
            }

            return new DeltaCursor(mailbox.Name, mailbox.Generation, start, end, mailbox.Sequence, FullRound(mailbox, start, end));
        }
    }

    public DeltaCursor Cursor(MailboxState mailbox, string token)
    {
        lock (mailbox.Gate)
        {
            if (!cursors.TryGetValue(token, out var cursor)
                || !cursor.Mailbox.Equals(mailbox.Name, StringComparison.OrdinalIgnoreCase)
                || cursor.Generation != mailbox.Generation)
            {
                throw new GraphErrorException(410, "SyncStateNotFound", "The sync state generation is not found. Do a full synchronization again.");
            }

            return cursor;
        }
    }

    public string SaveCursor(DeltaCursor cursor)
    {
        var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        cursors[token] = cursor;
        return token;
    }

    private static void CheckIfMatch(StoredEvent stored, string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return;
        }

        var tag = ifMatch.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        tag = tag.Trim('"');
        if (!string.Equals(tag, stored.ChangeKey, StringComparison.Ordinal))
        {
            throw new GraphErrorException(412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.");
        }
    }

    private static void CheckCanCancel(StoredEvent stored, bool cancelling)
    {
        if (cancelling && !stored.IsOrganizer)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "Your request can't be completed. You need to be an organizer to cancel a meeting.");
        }
    }

    private static StoredEvent MasterOf(MailboxState mailbox, StoredEvent exception) =>
        mailbox.Events.TryGetValue(exception.SeriesMasterId!, out var master) ? master : throw GraphErrorException.NotFound();

    /// <summary>
    /// Moving an occurrence to or past the date of a neighbour (its moved date, if the neighbour is an exception) is refused,
    /// as Outlook refuses it.
    /// </summary>
    private static void CheckBoundary(MailboxState mailbox, StoredEvent master, StoredEvent moved)
    {
        var rule = master.Rule!;
        var exceptions = mailbox.ExceptionsOf(master.Id);
        var (previous, next) = Series.Neighbours(master, moved.OriginalStart!.Value);
        var date = Series.StartDate(moved, rule);
        LocalDate DateOf(OccurrenceSlot slot) => exceptions.TryGetValue(slot.Start, out var exception) ? Series.StartDate(exception, rule) : slot.OriginalDate;
        if ((previous is { } before && date <= DateOf(before)) || (next is { } after && date >= DateOf(after)))
        {
            throw GraphErrorException.BadRequest("ErrorOccurrenceCrossingBoundary", "An occurrence cannot be moved to or past the date of the next or previous occurrence.");
        }
    }

    private static void RemoveExceptions(MailboxState mailbox, StoredEvent master, Func<StoredEvent, bool> which)
    {
        foreach (var exception in mailbox.ExceptionsOf(master.Id).Values.Where(which))
        {
            mailbox.Remove(exception.Id);
        }
    }

    /// <summary>Every event of a window: singles, and per series the master, its occurrences (stripped) and exceptions.</summary>
    private static List<DeltaEntry> FullRound(MailboxState mailbox, Instant start, Instant end)
    {
        var groups = new List<(Instant First, string Id, List<DeltaEntry> Entries)>();
        foreach (var stored in mailbox.Events.Values)
        {
            if (stored.IsSeriesMaster)
            {
                var instances = mailbox.Instances(stored, start, end);
                if (instances.Count > 0)
                {
                    var entries = new List<DeltaEntry> { new(stored.Id, DeltaItemKind.Event, stored.Id) };
                    entries.AddRange(instances.Select(i => new DeltaEntry(i.Id, i.IsException ? DeltaItemKind.Event : DeltaItemKind.Occurrence, stored.Id)));
                    groups.Add((instances[0].Start, stored.Id, entries));
                }
            }
            else if (!stored.IsException && stored.Overlaps(start, end))
            {
                groups.Add((stored.Start, stored.Id, [new DeltaEntry(stored.Id, DeltaItemKind.Event, stored.Id)]));
            }
        }

        return [.. groups.OrderBy(g => g.First).ThenBy(g => g.Id, StringComparer.Ordinal).SelectMany(g => g.Entries)];
    }

    /// <summary>
    /// What changed since a delta token, in its window: changed singles and exceptions in full; a series whose master changed as
    /// its master and occurrences; <c>@removed</c> for what was in the window and is now gone or moved out (never for occurrences).
    /// </summary>
    private static List<DeltaEntry> Changes(MailboxState mailbox, DeltaCursor previous)
    {
        var groups = new Dictionary<string, List<DeltaEntry>>(StringComparer.Ordinal);
        void Add(string group, DeltaEntry entry, bool first = false)
        {
            if (!groups.TryGetValue(group, out var entries))
            {
                entries = [];
                groups[group] = entries;
            }

            entries.Insert(first ? 0 : entries.Count, entry);
        }

        foreach (var (id, revisions) in mailbox.ChangedSince(previous.Sequence))
        {
            var current = revisions[^1];
            if (current.Sequence <= previous.Sequence)
            {
                continue;
            }

            var group = revisions[0].SeriesMasterId ?? id;
            if (current.Master is not null && mailbox.Events.TryGetValue(id, out var master))
            {
                var instances = mailbox.Instances(master, previous.WindowStart, previous.WindowEnd);
                if (instances.Count > 0)
                {
                    Add(id, new DeltaEntry(id, DeltaItemKind.Event, id), first: true);
                    foreach (var occurrence in instances.Where(i => !i.IsException))
                    {
                        Add(id, new DeltaEntry(occurrence.Id, DeltaItemKind.Occurrence, id));
                    }

                    continue;
                }
            }
            else if (current.IsIn(previous.WindowStart, previous.WindowEnd))
            {
                Add(group, new DeltaEntry(id, DeltaItemKind.Event, group));
                continue;
            }

            var seen = revisions.LastOrDefault(r => r.Sequence <= previous.Sequence);
            if (seen.Exists && WasInWindow(mailbox, id, seen, previous) && !IsOccurrenceInWindow(mailbox, id, previous))
            {
                Add(group, new DeltaEntry(id, DeltaItemKind.Removed, group));
            }
        }

        return [.. groups.Values.SelectMany(g => g)];
    }

    /// <summary>
    /// Whether an id is a live occurrence in the token's window: an exception dropped by a change of its series' pattern can be
    /// an occurrence again under the same id, which the series' entries list, so it is not removed.
    /// </summary>
    private static bool IsOccurrenceInWindow(MailboxState mailbox, string id, DeltaCursor previous) =>
        mailbox.FindOccurrence(id) is { } occurrence
        && StoredEvent.Overlaps(occurrence.Slot.Start, occurrence.Slot.End, previous.WindowStart, previous.WindowEnd);

    /// <summary>Whether the client of a token saw an event: it overlapped the window, or (a master) one of its exceptions did.</summary>
    private static bool WasInWindow(MailboxState mailbox, string id, Revision seen, DeltaCursor previous)
    {
        if (seen.IsIn(previous.WindowStart, previous.WindowEnd))
        {
            return true;
        }

        if (seen.Master is null)
        {
            return false;
        }

        return mailbox.ExceptionHistories(id).Any(revisions =>
            revisions.LastOrDefault(r => r.Sequence <= previous.Sequence).IsIn(previous.WindowStart, previous.WindowEnd));
    }

    private StoredEvent UpdateEvent(MailboxState mailbox, StoredEvent before, JsonObject input, string? ifMatch, bool seeding)
    {
        CheckIfMatch(before, ifMatch);
        var after = EventDocument.Patch(before, input, mailbox, Now, seeding);
        if (after.Rule is { } rule)
        {
            if (before.Rule is not { } old || after.Start != before.Start || after.End != before.End || !GraphRecurrence.SamePattern(old, rule))
            {
                // Outlook regenerates a series whose time or pattern changes: exceptions go, deleted occurrences come back.
                RemoveExceptions(mailbox, after, _ => true);
                after = new StoredEvent(after.Data, after.Start, after.End, GraphRecurrence.WithDeleted(rule, []));
            }
            else if (old.EndDate != rule.EndDate || old.NumberOfOccurrences != rule.NumberOfOccurrences)
            {
                var shortened = after;
                RemoveExceptions(mailbox, after, e => Series.Find(shortened, e.OriginalStart!.Value) is null);
            }
        }
        else if (before.IsSeriesMaster)
        {
            RemoveExceptions(mailbox, before, _ => true);
        }

        mailbox.Put(after);
        if (!seeding && after.IsOrganizer)
        {
            RecordUpdateMessages(mailbox, before, after);
        }

        return after;
    }

    /// <summary>Patches an occurrence (which becomes an exception with its id) or an exception; the master gets a new change key.</summary>
    private StoredEvent UpdateInstance(MailboxState mailbox, StoredEvent master, StoredEvent before, JsonObject input, string? ifMatch, bool seeding)
    {
        CheckIfMatch(before, ifMatch);
        if (input["recurrence"] is not null)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidRequest", "An occurrence or exception of a series cannot have a recurrence of its own: change the recurrence of the series master.");
        }

        var draft = before.IsException ? before : EventDocument.WithType(before, Series.Exception);
        var after = EventDocument.Patch(draft, input, mailbox, Now, seeding);
        if (after.Start != before.Start)
        {
            CheckBoundary(mailbox, master, after);
        }

        mailbox.Put(after);
        mailbox.Put(EventDocument.Touch(master, Now));
        if (!seeding && after.IsOrganizer)
        {
            RecordUpdateMessages(mailbox, before, after);
        }

        return after;
    }

    private void RecordUpdateMessages(MailboxState mailbox, StoredEvent before, StoredEvent after)
    {
        var old = EventDocument.Attendees(before);
        var now = EventDocument.Attendees(after);
        var moved = before.Start != after.Start || before.End != after.End || before.IsAllDay != after.IsAllDay
            || !string.Equals((string?)before.Data["location"]?["displayName"], (string?)after.Data["location"]?["displayName"], StringComparison.Ordinal);
        var updated = now.Where(a => moved || !old.TryGetValue(a.Key, out var type) || type != a.Value).Select(a => a.Key).ToList();
        var removed = old.Keys.Where(a => !now.ContainsKey(a)).ToList();
        Send(OutboxMessageKind.Update, mailbox, after, updated);
        Send(OutboxMessageKind.Cancellation, mailbox, after, removed);
    }

    private void Send(OutboxMessageKind kind, MailboxState mailbox, StoredEvent stored, IEnumerable<string> recipients)
    {
        foreach (var recipient in recipients)
        {
            outbox.Enqueue(new OutboxMessage(kind, mailbox.Name, stored.Id, stored.Subject, recipient, Now));
        }
    }
}
