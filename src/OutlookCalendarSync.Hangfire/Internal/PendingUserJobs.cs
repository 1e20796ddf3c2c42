using System.Globalization;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Scheduling;

namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>
/// Keeps, in Hangfire's own storage, which users have a job enqueued, scheduled or running, so that every server of a farm enqueues
/// a user at most once: a set of the pending users (read once per dispatch) and a hash per user (the job that holds the user's
/// place, since when, whether a run was requested for it while it waited, and whether one was requested while it ran). Every change of a user's place happens under a Hangfire
/// distributed lock of that user, held only for the few storage calls of the change, never while a sync runs.
/// </summary>
internal sealed class PendingUserJobs(HangfireStorage storage, IOptionsMonitor<HangfireSchedulingOptions> options, IClock clock, ILogger<PendingUserJobs>? logger = null)
{
    public const string PendingSet = "outlook-calendar-sync:pending";
    private const string JobIdField = "JobId";
    private const string SinceField = "Since";
    private const string RunAgainField = "RunAgain";
    private const string RequestedField = "Requested";
    private const string FinishedField = "Finished";

    /// <summary>
    /// How long the hash of a user without a job (only its <c>Finished</c> instant) is kept: far longer than any dispatch's due list
    /// lives (it is read again every few seconds), and short enough that the users who left (disconnected, deleted) do not pile up
    /// in the storage. A user enqueued again makes its hash permanent until its job ends.
    /// </summary>
    public static readonly TimeSpan FinishedRetention = TimeSpan.FromHours(1);

    /// <summary>How long a change of a user's place may wait for another server's change of the same user (a few storage calls).</summary>
    private static readonly TimeSpan UserLockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The states in which Hangfire still runs the job later; any other (succeeded, failed, deleted, none) means it is gone.</summary>
    private static readonly HashSet<string> AliveStates =
        new(StringComparer.OrdinalIgnoreCase) { EnqueuedState.StateName, ScheduledState.StateName, ProcessingState.StateName, AwaitingState.StateName };

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public JobStorage Storage => storage.Storage;

    public static string UserKey(string userId) => "outlook-calendar-sync:user:" + userId;

    /// <summary>The users with a job in Hangfire, as the set says (one read).</summary>
    public static HashSet<string> ReadPending(IStorageConnection connection) => connection.GetAllItemsFromSet(PendingSet) ?? [];

    /// <summary>
    /// Enqueues a due user unless another server did since the pending set was read, or the user's last job ended at or after
    /// <paramref name="dueReadAt"/> (the instant the due list was read): that job's run has moved the user's next sync on, so the
    /// list is stale for this user (two dispatches overlap when one outlives the storage's lock timeout).
    /// </summary>
    public bool EnqueueDue(IStorageConnection connection, string userId, Instant dueReadAt)
    {
        using IDisposable userLock = LockUser(connection, userId);
        Dictionary<string, string>? hash = connection.GetAllEntriesFromHash(UserKey(userId));
        if (ToMarker(hash) is not null
            || (hash is not null && hash.TryGetValue(FinishedField, out string? finished) && ParseInstant(finished) >= dueReadAt))
        {
            return false;
        }

        Enqueue(connection, userId, failedRuns: 0, at: null, requested: false);
        return true;
    }

    /// <summary>
    /// For a due user that has a pending job: once the job is older than <see cref="HangfireSchedulingOptions.PendingCheckAfter"/>,
    /// checks that Hangfire still has it (enqueued, scheduled, processing or awaiting) and enqueues a new one when it does not.
    /// </summary>
    /// <returns>True when the job was lost and a new one enqueued.</returns>
    public bool ReplaceIfLost(IStorageConnection connection, string userId)
    {
        Instant now = clock.GetCurrentInstant();
        if (ReadMarker(connection, userId) is { } seen && seen.Since + options.CurrentValue.PendingCheckAfter > now)
        {
            return false;
        }

        using IDisposable userLock = LockUser(connection, userId);
        if (ReadMarker(connection, userId) is not { } marker)
        {
            // The job ended meanwhile; its user is enqueued again when due.
            return false;
        }

        string? state = connection.GetStateData(marker.JobId)?.Name;
        if (IsAlive(state))
        {
            WriteMarker(connection, userId, marker with { Since = now });
            return false;
        }

        HangfireLog.LostJobReplaced(_logger, userId, marker.JobId, state ?? "none");
        Enqueue(connection, userId, failedRuns: 0, at: null, requested: marker.Requested || marker.RunAgain);
        return true;
    }

    /// <summary>
    /// Asks for a run: merges into a job enqueued or scheduled (marking it requested, so it runs even if the user is not due when it
    /// starts), promises one more run after a job processing.
    /// </summary>
    public bool Request(string userId)
    {
        using IStorageConnection connection = Storage.GetConnection();
        using IDisposable userLock = LockUser(connection, userId);
        if (ReadMarker(connection, userId) is { } marker)
        {
            string? state = connection.GetStateData(marker.JobId)?.Name;
            if (string.Equals(state, ProcessingState.StateName, StringComparison.OrdinalIgnoreCase))
            {
                if (marker.RunAgain)
                {
                    return false;
                }

                WriteMarker(connection, userId, marker with { RunAgain = true });
                return true;
            }

            if (IsAlive(state))
            {
                if (!marker.Requested)
                {
                    WriteMarker(connection, userId, marker with { Requested = true });
                }

                return false;
            }

            HangfireLog.LostJobReplaced(_logger, userId, marker.JobId, state ?? "none");
        }

        Enqueue(connection, userId, failedRuns: 0, at: null, requested: true);
        return true;
    }

    /// <summary>
    /// Whether a run was asked of the job <paramref name="jobId"/>: the job holds the user's place and a request was made since the
    /// job was created (directly, or merged into it while it was enqueued or scheduled, or carried over from the job before it).
    /// Read under the user's lock once the job is <c>Processing</c>: a request made after this read finds the job processing and
    /// promises a run after it (<see cref="Finish(string, string?, RunDecision)"/>), so none falls between the read and the run.
    /// </summary>
    public bool WasRequested(string userId, string? jobId)
    {
        using IStorageConnection connection = Storage.GetConnection();
        using IDisposable userLock = LockUser(connection, userId);
        return ReadMarker(connection, userId) is { } marker && marker.JobId == jobId && marker.Requested;
    }

    /// <summary>
    /// After a user's job ran: frees the user's place (completed, inactive), enqueues the run requested meanwhile, or schedules the
    /// retry the decision asks for. A job that does not hold the user's place (a duplicate, or one started from the dashboard) changes
    /// nothing, unless no job holds it and the user must be retried.
    /// </summary>
    /// <returns>The id of the job that runs the user next, or null when none is needed.</returns>
    public string? Finish(string userId, string? jobId, RunDecision decision) =>
        Finish(userId, jobId, decision.Verdict, decision.RetryAt, decision.ConsecutiveFailures);

    /// <summary>After a user's job ended without a run (superseded): as <see cref="Finish(string, string?, RunDecision)"/> after a completed run.</summary>
    public string? FinishSuperseded(string userId, string? jobId) => Finish(userId, jobId, RunVerdict.Completed, retryAt: null, consecutiveFailures: 0);

    private string? Finish(string userId, string? jobId, RunVerdict verdict, Instant? retryAt, int consecutiveFailures)
    {
        using IStorageConnection connection = Storage.GetConnection();
        using IDisposable userLock = LockUser(connection, userId);
        Marker? marker = ReadMarker(connection, userId);
        if (marker is not null && marker.JobId != jobId)
        {
            return marker.JobId;
        }

        switch (verdict)
        {
            case RunVerdict.Completed or RunVerdict.Inactive:
                if (marker is { RunAgain: true })
                {
                    return Enqueue(connection, userId, failedRuns: 0, at: null, requested: true);
                }

                if (marker is not null)
                {
                    // The hash keeps when the user's last job ended (a few bytes per user), for a dispatch whose due list is older.
                    using IWriteOnlyTransaction transaction = connection.CreateWriteTransaction();
                    transaction.RemoveHash(UserKey(userId));
                    transaction.SetRangeInHash(UserKey(userId), new Dictionary<string, string> { [FinishedField] = InstantPattern.ExtendedIso.Format(clock.GetCurrentInstant()) });
                    transaction.RemoveFromSet(PendingSet, userId);
                    SetHashExpiry(transaction, UserKey(userId), FinishedRetention);
                    transaction.Commit();
                }

                return null;
            default:
                // A request made meanwhile merges into the retry, as with the embedded scheduler; a request this job carried, which its
                // run did not serve (held elsewhere, throttled, failed), is carried on, so the retry runs even if the user is not due.
                return Enqueue(
                    connection,
                    userId,
                    consecutiveFailures,
                    retryAt ?? clock.GetCurrentInstant(),
                    requested: marker is { Requested: true } or { RunAgain: true });
        }
    }

    /// <summary>
    /// Expires a hash after <paramref name="expireIn"/>, or keeps it for good when null. Every storage of Hangfire 1.8 supports
    /// both (<see cref="JobStorageTransaction"/>); one that does not keeps its hashes, as before, rather than failing the change.
    /// </summary>
    private static void SetHashExpiry(IWriteOnlyTransaction transaction, string key, TimeSpan? expireIn)
    {
        if (transaction is not JobStorageTransaction storageTransaction)
        {
            return;
        }

        try
        {
            if (expireIn is { } after)
            {
                storageTransaction.ExpireHash(key, after);
            }
            else
            {
                storageTransaction.PersistHash(key);
            }
        }
        catch (NotSupportedException)
        {
            // The storage keeps hashes for good.
        }
    }

    private static bool IsAlive(string? state) => state is not null && AliveStates.Contains(state);

    private static IDisposable LockUser(IStorageConnection connection, string userId) =>
        connection.AcquireDistributedLock(UserKey(userId), UserLockTimeout);

    private static Marker? ReadMarker(IStorageConnection connection, string userId) => ToMarker(connection.GetAllEntriesFromHash(UserKey(userId)));

    private static Instant ParseInstant(string? text) =>
        InstantPattern.ExtendedIso.Parse(text ?? string.Empty) is { Success: true } parsed ? parsed.Value : Instant.MinValue;

    private static Marker? ToMarker(Dictionary<string, string>? hash)
    {
        if (hash is null || !hash.TryGetValue(JobIdField, out string? jobId) || string.IsNullOrEmpty(jobId))
        {
            return null;
        }

        Instant since = hash.TryGetValue(SinceField, out string? text) && InstantPattern.ExtendedIso.Parse(text ?? string.Empty) is { Success: true } parsed
            ? parsed.Value
            : Instant.MinValue;
        return new Marker(
            jobId,
            since,
            RunAgain: hash.TryGetValue(RunAgainField, out string? again) && again == "1",
            Requested: hash.TryGetValue(RequestedField, out string? requested) && requested == "1");
    }

    private static void WriteMarker(IStorageConnection connection, string userId, Marker marker)
    {
        using IWriteOnlyTransaction transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash(UserKey(userId), new Dictionary<string, string>
        {
            [JobIdField] = marker.JobId,
            [SinceField] = InstantPattern.ExtendedIso.Format(marker.Since),
            [RunAgainField] = marker.RunAgain ? "1" : "0",
            [RequestedField] = marker.Requested ? "1" : "0",
        });
        transaction.AddToSet(PendingSet, userId);

        // A hash left to expire after the user's last job ended (FinishedRetention) must stay while the user holds a place.
        SetHashExpiry(transaction, UserKey(userId), expireIn: null);
        transaction.Commit();
    }

    /// <summary>
    /// Creates the user's job, enqueued now or scheduled at <paramref name="at"/>, and makes it the holder of the user's place;
    /// <paramref name="requested"/> when a run was asked for (it then runs even if the user is not due when it starts).
    /// </summary>
    private string Enqueue(IStorageConnection connection, string userId, int failedRuns, Instant? at, bool requested)
    {
        string queue = options.CurrentValue.Queue;
        var job = global::Hangfire.Common.Job.FromExpression<OutlookCalendarSyncJobs>(j => j.SyncUserAsync(userId, failedRuns, null, CancellationToken.None), queue);
        IState state = at is { } instant ? new ScheduledState(WholeSecondNotBefore(instant).ToDateTimeUtc()) : new EnqueuedState(queue);
        string jobId = new BackgroundJobClient(Storage).Create(job, state);
        WriteMarker(connection, userId, new Marker(jobId, clock.GetCurrentInstant(), RunAgain: false, Requested: requested));
        return jobId;
    }

    /// <summary>
    /// Hangfire's storages keep a scheduled job's instant in whole seconds (the schedule set's score) and enqueue it once that second
    /// has begun, so a job scheduled at 12:00:05.8 runs from 12:00:05.0: rounding up keeps a retry from running before Graph's instant.
    /// </summary>
    private static Instant WholeSecondNotBefore(Instant instant)
    {
        long ticks = instant.ToUnixTimeTicks();
        long remainder = ticks % NodaConstants.TicksPerSecond;
        return remainder == 0 ? instant : Instant.FromUnixTimeTicks(ticks - remainder + (remainder > 0 ? NodaConstants.TicksPerSecond : 0));
    }

    private sealed record Marker(string JobId, Instant Since, bool RunAgain, bool Requested);
}
