using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using Spectre.Console;

namespace OutlookCalendarSync.Cli.Rendering;

/// <summary>
/// Runs a sync under a progress bar on a terminal; when the output is redirected (CI, a pipe, a file) it draws nothing live and
/// prints one line when the run ends.
/// </summary>
internal static class SyncProgressDisplay
{
    public static async Task<SyncResult> RunAsync(
        CliContext context, string label, SyncActivity activity, int plannedWrites, Func<Task<SyncResult>> sync)
    {
        activity.Reset();
        if (!context.IsInteractive)
        {
            SyncResult plain = await sync().ConfigureAwait(false);
            context.Console.MarkupLineInterpolated($"{label}: {Describe(plain.Status)}, {plain.TotalWrites} writes in {plain.Duration.TotalSeconds:0.00} s");
            return plain;
        }

        SyncResult? result = null;
        await context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                ProgressTask task = progress.AddTask(label, maxValue: Math.Max(1, plannedWrites));
                task.IsIndeterminate = plannedWrites == 0;
                Task<SyncResult> running = sync();
                while (!running.IsCompleted)
                {
                    task.Description = $"{Markup.Escape(label)}: {Markup.Escape(activity.Phase)}";
                    task.Value = Math.Min(task.MaxValue, activity.Writes);
                    await Task.WhenAny(running, Task.Delay(80)).ConfigureAwait(false);
                }

                result = await running.ConfigureAwait(false);
                task.IsIndeterminate = false;
                task.Description = $"{Markup.Escape(label)}: {Describe(result.Status)}, {result.TotalWrites} writes";
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result!;
    }

    public static string Describe(SyncRunStatus status) => status switch
    {
        SyncRunStatus.NothingNew => "nothing new",
        SyncRunStatus.Synced => "synced",
        SyncRunStatus.SyncedWithFailures => "synced with failures",
        SyncRunStatus.AlreadyRunning => "another sync of this user is running",
        SyncRunStatus.Paused => "paused",
        SyncRunStatus.Stopped => "stopped",
        SyncRunStatus.NeedsReauthorization => "needs the account to be connected again",
        SyncRunStatus.MassDeletionBlocked => "stopped by the mass-deletion guard",
        SyncRunStatus.Failed => "failed",
        SyncRunStatus.AdminConsentRequired => "needs a tenant admin's consent",
        SyncRunStatus.MailboxUnavailable => "the app may not reach this mailbox",
        _ => status.ToString(),
    };
}
