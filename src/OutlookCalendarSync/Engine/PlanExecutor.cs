using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Reporting;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// Makes a plan's writes — Outlook first, in batches, then the host calendar — and works out the links to keep: a change whose
/// writes all succeeded updates its link; a change with a failed write leaves its link as it was and is read again next run.
/// </summary>
internal sealed class PlanExecutor(ICalendarStore localStore, IOutlookCalendar remoteCalendar, int remoteBatchSize, ILogger logger)
{
    /// <summary>How many host writes one journal save settles: a first sync of 100,000 events makes 1,000 state saves, not 100,000.</summary>
    internal const int LocalWritesPerJournal = 100;
    /// <summary>How many batches of Outlook writes one <see cref="IOutlookCalendar.WriteAsync"/> call carries at most.</summary>
    private const int RemoteBatchesPerCall = 4;

    /// <summary>The end of the window Outlook's deleted occurrences are known up to; null when no series is involved.</summary>
    public NodaTime.Instant? SeriesHorizon { get; init; }

    public sealed class Outcome
    {
        public List<string> RemovedLinks { get; } = [];

        public List<EventLink> UpsertedLinks { get; } = [];

        public List<SyncFailure> Failures { get; } = [];

        public HashSet<string> RecheckLocalIds { get; } = new(StringComparer.Ordinal);

        public HashSet<string> RecheckRemoteIds { get; } = new(StringComparer.Ordinal);

        public int[] LocalCounts { get; } = new int[3];

        public int[] RemoteCounts { get; } = new int[3];

        public int Linked { get; set; }

        public List<ConflictReport> Conflicts { get; } = [];

        /// <summary>Adds the outcome of a follow-up plan executed in the same run.</summary>
        public void Absorb(Outcome other)
        {
            RemovedLinks.AddRange(other.RemovedLinks);
            UpsertedLinks.AddRange(other.UpsertedLinks);
            Failures.AddRange(other.Failures);
            RecheckLocalIds.UnionWith(other.RecheckLocalIds);
            RecheckRemoteIds.UnionWith(other.RecheckRemoteIds);
            for (int i = 0; i < LocalCounts.Length; i++)
            {
                LocalCounts[i] += other.LocalCounts[i];
                RemoteCounts[i] += other.RemoteCounts[i];
            }

            Linked += other.Linked;
            Conflicts.AddRange(other.Conflicts);
        }
    }

    /// <summary>Makes the writes, settling each change as soon as its writes are done.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="journal">Records the links settled so far, so a crash between writes keeps them; null for none.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>What happened.</returns>
    public async Task<Outcome> ExecuteAsync(string userId, SyncPlan plan, Func<IReadOnlyCollection<EventLink>, IReadOnlyCollection<string>, Task>? journal, CancellationToken cancellationToken)
    {
        var changes = plan.Changes;
        var remoteResults = new EventWriteResult?[changes.Count];
        var outcome = new Outcome();
        int journaledUpserts = 0;
        int journaledRemovals = 0;

        for (int i = 0; i < changes.Count; i++)
        {
            if (changes[i].RemoteWrite is null && changes[i].LocalWrite is null)
            {
                Settle(userId, changes[i], null, null, outcome);
            }
        }

        await JournalAsync().ConfigureAwait(false);

        // Up to four batches' worth per call: the adapter may overlap them (Outlook allows 4 concurrent requests per mailbox).
        var remoteIndexes = Enumerable.Range(0, changes.Count).Where(i => changes[i].RemoteWrite is not null).ToList();
        foreach (int[] batch in remoteIndexes.Chunk(remoteBatchSize * RemoteBatchesPerCall))
        {
            // Journaled before sending: if the run dies before the answer, the next run knows what the batch was writing.
            foreach (int i in batch)
            {
                if (EventLink.Sending(changes[i], SyncSide.Outlook) is { } pending)
                {
                    outcome.UpsertedLinks.Add(pending);
                }
            }

            await JournalAsync().ConfigureAwait(false);
            IReadOnlyList<EventWriteResult> results;
            try
            {
                results = await remoteCalendar.WriteAsync(userId, batch.Select(i => changes[i].RemoteWrite!).ToArray(), cancellationToken).ConfigureAwait(false);
                if (results.Count != batch.Length)
                {
                    throw new InvalidOperationException($"The Outlook calendar returned {results.Count} results for a batch of {batch.Length} writes.");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not ReauthorizationRequiredException)
            {
                var failure = EventWriteResult.Failure(WriteStatus.TransientFailure, $"The batch could not be sent: {ex.Message}");
                results = batch.Select(_ => failure).ToArray();
            }

            for (int j = 0; j < batch.Length; j++)
            {
                int i = batch[j];
                remoteResults[i] = Normalize(changes[i].RemoteWrite!, results[j]);
                if (changes[i].LocalWrite is null || !remoteResults[i]!.Succeeded)
                {
                    Settle(userId, changes[i], remoteResults[i], null, outcome);
                }
                else if (EventLink.ReachedOutlookOnly(changes[i], remoteResults[i]) is { } halfApplied)
                {
                    // Journaled until the host write is made: a crash in between must not let the next run take this write for
                    // an Outlook edit.
                    outcome.UpsertedLinks.Add(halfApplied);
                }
            }

            await JournalAsync().ConfigureAwait(false);
        }

        // Host writes go in chunks with two journal saves each (the markers of the chunk's updates before its writes, the settled
        // links after), not two per event. A crash inside a chunk leaves its creates unjournaled: they carry the stamp of their
        // Outlook event (CounterpartId), and the next run, a full one, links them instead of duplicating them.
        var localIndexes = Enumerable.Range(0, changes.Count)
            .Where(i => changes[i].LocalWrite is not null && remoteResults[i] is not { Succeeded: false })
            .ToList();
        foreach (int[] chunk in localIndexes.Chunk(LocalWritesPerJournal))
        {
            foreach (int i in chunk)
            {
                EventLink? pendingLocal = remoteResults[i] is { Succeeded: true } remote
                    ? EventLink.SendingToHost(changes[i], remote)
                    : EventLink.Sending(changes[i], SyncSide.Host);
                if (pendingLocal is not null)
                {
                    outcome.UpsertedLinks.Add(pendingLocal);
                }
            }

            await JournalAsync().ConfigureAwait(false);
            // The writes keep plan order: only a run of consecutive creates goes to the store as one CreateManyAsync.
            Dictionary<int, EventWriteResult> created = [];
            for (int k = 0; k < chunk.Length; k++)
            {
                int i = chunk[k];
                if (changes[i].LocalWrite is EventCreate && (k == 0 || changes[chunk[k - 1]].LocalWrite is not EventCreate))
                {
                    created = await CreateLocalAsync(userId, [.. chunk.Skip(k).TakeWhile(j => changes[j].LocalWrite is EventCreate)], changes, cancellationToken).ConfigureAwait(false);
                }

                EventWriteResult local = created.TryGetValue(i, out EventWriteResult? made)
                    ? made
                    : Normalize(changes[i].LocalWrite!, await WriteLocalAsync(userId, changes[i].LocalWrite!, cancellationToken).ConfigureAwait(false));
                Settle(userId, changes[i], remoteResults[i], local, outcome);
            }

            await JournalAsync().ConfigureAwait(false);
        }

        return outcome;

        async Task JournalAsync()
        {
            if (journal is null || (outcome.UpsertedLinks.Count == journaledUpserts && outcome.RemovedLinks.Count == journaledRemovals))
            {
                return;
            }

            await journal(outcome.UpsertedLinks[journaledUpserts..], outcome.RemovedLinks[journaledRemovals..]).ConfigureAwait(false);
            journaledUpserts = outcome.UpsertedLinks.Count;
            journaledRemovals = outcome.RemovedLinks.Count;
        }
    }

    /// <summary>
    /// Makes a run of consecutive host creates with one <see cref="ICalendarStore.CreateManyAsync"/> (one transaction in the database
    /// stores); an empty map when there are fewer than two, or when the store threw (which means it made none: they are then
    /// made one by one like the other writes).
    /// </summary>
    private async Task<Dictionary<int, EventWriteResult>> CreateLocalAsync(string userId, int[] indexes, IReadOnlyList<PlannedChange> changes, CancellationToken cancellationToken)
    {
        var created = new Dictionary<int, EventWriteResult>();
        if (indexes.Length < 2)
        {
            return created;
        }

        IReadOnlyList<EventWriteResult> results;
        try
        {
            results = await localStore.CreateManyAsync(userId, [.. indexes.Select(i => (EventCreate)changes[i].LocalWrite!)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return created;
        }

        if (results.Count != indexes.Length)
        {
            throw new InvalidOperationException($"The host calendar store answered {results.Count} results for {indexes.Length} creates; ICalendarStore.CreateManyAsync must answer one per create.");
        }

        for (int k = 0; k < indexes.Length; k++)
        {
            created[indexes[k]] = results[k];
        }

        return created;
    }

    private async Task<EventWriteResult> WriteLocalAsync(string userId, EventWrite write, CancellationToken cancellationToken)
    {
        try
        {
            switch (write)
            {
                case EventCreate create:
                    return EventWriteResult.Success(await localStore.CreateAsync(userId, create, cancellationToken).ConfigureAwait(false));
                case EventUpdate update:
                    if (update.Fields.HasFlag(EventFields.Recurrence) && update.Content.Recurrence is not null && SeriesHorizon is { } horizon)
                    {
                        update = update.WithContent(Engine.SeriesHorizon.Restore(update.Content, await localStore.GetAsync(userId, update.EventId, cancellationToken).ConfigureAwait(false), horizon));
                    }

                    return EventWriteResult.Success(await localStore.UpdateAsync(userId, update, cancellationToken).ConfigureAwait(false));
                case EventDelete delete:
                    await localStore.DeleteAsync(userId, delete, cancellationToken).ConfigureAwait(false);
                    return EventWriteResult.Success(null);
                default:
                    throw new UnreachableException($"The write {write} is of no known kind.");
            }
        }
        catch (EventVersionConflictException ex)
        {
            return EventWriteResult.Failure(WriteStatus.VersionConflict, ex.Message);
        }
        catch (EventNotFoundException ex)
        {
            return EventWriteResult.Failure(WriteStatus.NotFound, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return EventWriteResult.HostRefused(ex);
        }
    }

    /// <summary>Deleting an event that is already gone is what was wanted.</summary>
    private static EventWriteResult Normalize(EventWrite write, EventWriteResult result)
        => write.Kind == WriteKind.Delete && result.Status == WriteStatus.NotFound ? EventWriteResult.Success(null) : result;

    private void Settle(string userId, PlannedChange change, EventWriteResult? remote, EventWriteResult? local, Outcome outcome)
    {
        bool remoteFailed = remote is { Succeeded: false };
        bool localSkipped = change.LocalWrite is not null && local is null && !remoteFailed;
        bool localFailed = local is { Succeeded: false };
        if (!remoteFailed && localFailed && EventLink.ReachedOutlookOnly(change, remote) is { } halfApplied)
        {
            outcome.UpsertedLinks.Add(halfApplied);
        }

        if (remoteFailed || localFailed || localSkipped)
        {
            if (remoteFailed)
            {
                Fail(userId, change, SyncSide.Outlook, change.RemoteWrite!, remote!, outcome);
            }

            if (localFailed)
            {
                Fail(userId, change, SyncSide.Host, change.LocalWrite!, local!, outcome);
            }

            if (remoteFailed && EventLink.RolledBack(change) is { } unchanged)
            {
                // The Outlook write certainly did not happen: drop the pending marker journaled before it, back to the link as it was.
                outcome.UpsertedLinks.Add(unchanged);
            }

            if (change.LocalId is { } retryLocalId)
            {
                outcome.RecheckLocalIds.Add(retryLocalId);
            }

            if (change.RemoteId is { } retryRemoteId)
            {
                outcome.RecheckRemoteIds.Add(retryRemoteId);
            }

            return;
        }

        Count(outcome.RemoteCounts, change.RemoteWrite);
        Count(outcome.LocalCounts, change.LocalWrite);
        if (change.Kind == ChangeKind.Link)
        {
            outcome.Linked++;
        }

        if (change.Conflict is not null)
        {
            outcome.Conflicts.Add(change.Conflict);
        }

        EventLink? existing = change.ExistingLink;
        if (change.NewBase is null)
        {
            if (existing is not null)
            {
                outcome.RemovedLinks.Add(existing.LocalId);
            }

            return;
        }

        if (EventLink.Settled(change, local, remote) is not { } link)
        {
            return;
        }

        if (existing is not null && existing.LocalId != link.LocalId)
        {
            outcome.RemovedLinks.Add(existing.LocalId);
        }

        // An event created by this run appeared after the cursor this run read: the next feed must report it. A feed that leaves
        // out an event created and deleted between two reads would otherwise hide that deletion, so it is read again if missing.
        if (change.LocalWrite?.Kind == WriteKind.Create)
        {
            outcome.RecheckLocalIds.Add(link.LocalId);
        }

        if (change.RemoteWrite?.Kind == WriteKind.Create)
        {
            outcome.RecheckRemoteIds.Add(link.RemoteId);
        }

        outcome.UpsertedLinks.Add(link);
    }

    private void Fail(string userId, PlannedChange change, SyncSide side, EventWrite write, EventWriteResult result, Outcome outcome)
    {
        string reason = result.Status switch
        {
            WriteStatus.VersionConflict => $"the event changed while the run was writing it ({result.Message}); the next run merges the new version",
            WriteStatus.NotFound => $"the event no longer exists ({result.Message}); the next run reads it again",
            WriteStatus.TransientFailure => $"{result.Message?.TrimEnd('.')}; retried next run",
            _ => result.Message ?? "the write was refused",
        };
        string? eventId = write.TargetId ?? change.IdOn(side);
        Log.WriteFailed(logger, userId, side, write.Kind, eventId, reason);
        outcome.Failures.Add(new SyncFailure(side, write.Kind, change.LocalId, change.RemoteId, change.Subject, reason, result.ErrorCode, willRetry: true));
    }

    private static void Count(int[] counts, EventWrite? write)
    {
        if (write is not null)
        {
            counts[(int)write.Kind]++;
        }
    }
}
