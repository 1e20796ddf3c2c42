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

    public Instant Now => Options.Clock.GetCurrentInstant();

    public IReadOnlyList<OutboxMessage> Outbox => outbox.ToArray();

    public void ClearOutbox() => outbox.Clear();

    public MailboxState Mailbox(string name) =>
        mailboxes.GetOrAdd(name, n => new MailboxState(n, n.Contains('@', StringComparison.Ordinal) ? n : $"{n}@{Options.MailboxDomain}"));

    /// <summary>Maps a <c>/users/{id}</c> segment (a mailbox name or its address) to a mailbox name.</summary>
    public string MailboxNameFromPath(string id)
    {
        var suffix = "@" + Options.MailboxDomain;
        return id.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && !mailboxes.ContainsKey(id) ? id[..^suffix.Length] : id;
    }

    public (StoredEvent Event, bool Replayed) Create(MailboxState mailbox, JsonObject input, bool seeding)
    {
        lock (mailbox.Gate)
        {
            var transactionId = (string?)(input["transactionId"] as JsonValue);
            if (!seeding && transactionId is not null
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

    public StoredEvent Update(MailboxState mailbox, string id, JsonObject input, string? ifMatch, bool seeding)
    {
        lock (mailbox.Gate)
        {
            var before = mailbox.Get(id);
            CheckIfMatch(before, ifMatch);
            var after = EventDocument.Patch(before, input, mailbox, Now, seeding);
            mailbox.Put(after);
            if (!seeding && after.IsOrganizer)
            {
                RecordUpdateMessages(mailbox, before, after);
            }

            return after;
        }
    }

    public void Delete(MailboxState mailbox, string id, string? ifMatch, bool seeding)
    {
        lock (mailbox.Gate)
        {
            var stored = mailbox.Get(id);
            CheckIfMatch(stored, ifMatch);
            mailbox.Remove(id);
            var cancelled = stored.Data["isCancelled"]?.GetValue<bool>() ?? false;
            if (!seeding && stored.IsOrganizer && !cancelled)
            {
                Send(OutboxMessageKind.Cancellation, mailbox, stored, EventDocument.Attendees(stored).Keys);
            }
        }
    }

    public void Cancel(MailboxState mailbox, string id)
    {
        lock (mailbox.Gate)
        {
            var stored = mailbox.Get(id);
            if (!stored.IsOrganizer)
            {
                throw GraphErrorException.BadRequest("ErrorInvalidRequest", "Your request can't be completed. You need to be an organizer to cancel a meeting.");
            }

            mailbox.Remove(id);
            Send(OutboxMessageKind.Cancellation, mailbox, stored, EventDocument.Attendees(stored).Keys);
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
                var changes = new List<DeltaEntry>();
                foreach (var (id, revisions) in mailbox.History)
                {
                    var current = revisions[^1];
                    if (current.Sequence <= previous.Sequence)
                    {
                        continue;
                    }

                    if (current.IsIn(previous.WindowStart, previous.WindowEnd))
                    {
                        changes.Add(new DeltaEntry(id, Removed: false));
                        continue;
                    }

                    var seen = revisions.LastOrDefault(r => r.Sequence <= previous.Sequence);
                    if (seen.Sequence > 0 && seen.IsIn(previous.WindowStart, previous.WindowEnd))
                    {
                        changes.Add(new DeltaEntry(id, Removed: true));
                    }
                }

                return previous with { Sequence = mailbox.Sequence, Pending = changes };
            }

            if (windowStart is not { } start || windowEnd is not { } end)
            {
                throw GraphErrorException.BadRequest("ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
            }

            var entries = mailbox.InWindow(start, end).Select(e => new DeltaEntry(e.Id, Removed: false)).ToList();
            return new DeltaCursor(mailbox.Name, mailbox.Generation, start, end, mailbox.Sequence, entries);
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
