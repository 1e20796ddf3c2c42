using System.Globalization;
using System.Net;
using System.Text;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.SampleHost;

/// <summary>The one page: every user the scheduler knows, with the status, last and next sync from the state store.</summary>
internal static class UsersPage
{
    public const string UserCookie = "sample-user";

    public static async Task<IResult> RenderAsync(ISyncScheduler scheduler, ISyncEngine engine, CancellationToken cancellationToken)
    {
        SyncSchedulerSnapshot snapshot = scheduler.GetSnapshot();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>OutlookCalendarSync sample</title>")
            .Append("<meta http-equiv=\"refresh\" content=\"5\"></head><body><h1>Users</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>Queue: {snapshot.QueueLength}, running: {snapshot.RunningCount}</p>")
            .Append("<table border=\"1\"><thead><tr><th>User</th><th>Status</th><th>Last sync</th><th>Next sync</th><th>Last run</th></tr></thead><tbody>");
        foreach (ScheduledUser user in snapshot.Users)
        {
            SyncStateHeader header = await engine.GetStatusAsync(user.UserId, cancellationToken);
            html.Append("<tr>")
                .Append(Cell(user.UserId))
                .Append(Cell(header.Status.ToString()))
                .Append(Cell(header.LastSyncAt?.ToString() ?? "never"))
                .Append(Cell((user.NextRunAt ?? header.NextSyncAt)?.ToString() ?? (user.State == ScheduledUserState.Idle ? "when due" : user.State.ToString())))
                .Append(Cell(user.LastStatus is { } status ? $"{status}: {user.LastMessage}" : user.State.ToString()))
                .Append("</tr>");
        }

        html.Append("</tbody></table>")
            .Append("<form action=\"/sign-in-as\"><label>Connect a Microsoft account as user <input name=\"user\" required></label> <button>Connect</button></form>")
            .Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static string Cell(string text) => $"<td>{WebUtility.HtmlEncode(text)}</td>";
}
