namespace OutlookCalendarSync.Notifications;

/// <summary>
/// Takes in what Microsoft Graph POSTs to the notification and lifecycle URLs: checks each notification's <c>clientState</c>
/// against its subscription and records what it asks for, without syncing.
/// </summary>
/// <remarks>
/// <para>
/// <c>MapOutlookCalendarSyncNotifications</c> calls it from ASP.NET Core; a host on another web stack answers Graph's validation
/// handshake itself (echo <c>validationToken</c> as <c>text/plain</c> with 200) and passes every other POST body here, then answers
/// 202. Graph wants an answer within 3 seconds: this only reads the subscription row and queues work.
/// </para>
/// <para>
/// A change notification, or a <c>missed</c> lifecycle notification, asks the scheduler for a run of the subscription's user
/// (requests merge, so duplicated and reordered notifications cause at most one run). <c>reauthorizationRequired</c> renews the
/// subscription and <c>subscriptionRemoved</c> creates a new one, both in the background. A notification with an unknown
/// subscription or a <c>clientState</c> that does not match (compared in constant time) is ignored.
/// </para>
/// </remarks>
/// <threadsafety>Safe to call from any number of requests at once.</threadsafety>
public interface IGraphNotificationReceiver
{
    /// <summary>Reads a notification POST body (<c>{"value":[...]}</c>) and records what its genuine notifications ask for.</summary>
    /// <param name="body">The request body, JSON.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>How many notifications of the body were genuine (their subscription known, their <c>clientState</c> right).</returns>
    /// <exception cref="System.Text.Json.JsonException">The body is not a Graph notification collection.</exception>
    Task<int> ReceiveAsync(Stream body, CancellationToken cancellationToken = default);
}
