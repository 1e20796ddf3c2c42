using Microsoft.Extensions.DependencyInjection;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Reporting;

namespace MyApp;

public static class CalendarSync
{
    // At startup: the engine, a SQLite file for the local calendar and the sync state, and Microsoft Graph.
    public static IServiceCollection AddCalendarSync(this IServiceCollection services, IUserAccessTokenProvider tokens, Uri? graph = null) =>
        services.AddOutlookCalendarSync(o => o.PushPastEvents = false) // the default: no invitations for past events
            .UseSqliteStores(o => o.DatabasePath = "calendar.db")      // or .UseCalendarStore<YourStore>()
            .UseMicrosoftGraph(o => o.GraphBaseUrl = graph ?? MicrosoftGraphOptions.DefaultGraphBaseUrl)
            .UseAccessTokenProvider(tokens)                            // a Calendars.ReadWrite token for each user
            .Services;

    // From a button, a timer or a job: a dry run first, then the sync.
    public static async Task<SyncResult> SyncAsync(IServiceProvider services, string userId)
    {
        ISyncEngine engine = services.GetRequiredService<ISyncEngine>();
        SyncPreview preview = await engine.PreviewAsync(userId);
        Console.WriteLine($"{preview.OutlookCreates} events to create in Outlook, {preview.InvitationEmails} invitation emails");

        SyncResult result = await engine.SyncAsync(userId);
        Console.WriteLine($"{result.Status}: {result.Outlook.Created} created in Outlook, {result.Host.Created} in the host calendar");
        return result;
    }
}
