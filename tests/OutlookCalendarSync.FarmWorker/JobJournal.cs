using Hangfire.Common;
using Hangfire.Server;
using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.FarmWorker;

/// <summary>
/// A Hangfire server filter that prints one <c>JOB</c> line (<see cref="WorkerOutput"/>) per user job this worker performed: the
/// job id, the user, the job's failed-runs argument, whether the user was due when the job started (its next sync instant within
/// <paramref name="dispatchAhead"/>, the scheduling's lead, or never set), whether the job held the user's place in the scheduling's marker, start and end, and how the job ended (the first
/// word of its result: the run's status, <c>Superseded</c>, or <c>Threw</c>). The benchmark sorts the steady state's jobs by cause
/// from these lines.
/// </summary>
internal sealed class JobJournal(ISyncStateStore states, Duration dispatchAhead) : JobFilterAttribute, IServerFilter
{
    private const string StartedItem = "farm:started";
    private const string DueItem = "farm:due";
    private const string HolderItem = "farm:holder";

    public void OnPerforming(PerformingContext context)
    {
        if (UserOf(context.BackgroundJob.Job) is not { } user)
        {
            return;
        }

        context.Items[StartedItem] = WorkerOutput.Now;
        SyncStateHeader? header = states.GetHeaderAsync(user, CancellationToken.None).GetAwaiter().GetResult();
        context.Items[DueItem] = header?.NextSyncAt is not { } next || next <= SystemClock.Instance.GetCurrentInstant() + dispatchAhead;

        // The marker is read under the user's scheduling lock, as the library reads it: the library creates a job and then writes
        // its marker under that lock, so a job fetched at once may start before its marker is written.
        string key = "outlook-calendar-sync:user:" + user;
        using (context.Connection.AcquireDistributedLock(key, TimeSpan.FromSeconds(30)))
        {
            Dictionary<string, string>? marker = context.Connection.GetAllEntriesFromHash(key);
            context.Items[HolderItem] = marker is not null && marker.TryGetValue("JobId", out string? holder) && holder == context.BackgroundJob.Id;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (UserOf(context.BackgroundJob.Job) is not { } user || !context.Items.TryGetValue(StartedItem, out object? started))
        {
            return;
        }

        string outcome = context.Exception is not null ? "Threw"
            : context.Result is string result ? result.Split(' ', 2)[0].TrimEnd(':', '.')
            : "None";
        WorkerOutput.Line(
            "JOB",
            context.BackgroundJob.Id,
            user,
            context.BackgroundJob.Job.Args[1] ?? 0,
            (bool)context.Items[DueItem] ? 1 : 0,
            (bool)context.Items[HolderItem] ? 1 : 0,
            started,
            WorkerOutput.Now,
            outcome);
    }

    private static string? UserOf(Job? job) =>
        job is { Method.Name: "SyncUserAsync", Args: [string user, ..] } ? user : null;
}
