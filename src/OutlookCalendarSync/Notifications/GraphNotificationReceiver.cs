using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Scheduling;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Notifications;

/// <summary>
/// Checks each notification against its subscription row and turns it into a scheduler request or background work; never syncs.
/// </summary>
internal sealed class GraphNotificationReceiver : IGraphNotificationReceiver
{
    private readonly IServiceScopeFactory _scopes;
    private readonly ISyncScheduler _scheduler;
    private readonly ChangeNotificationService _service;
    private readonly ILogger _logger;

    public GraphNotificationReceiver(IServiceScopeFactory scopes, ISyncScheduler scheduler, ChangeNotificationService service, ILogger<GraphNotificationReceiver>? logger = null)
    {
        _scopes = Guard.NotNull(scopes);
        _scheduler = Guard.NotNull(scheduler);
        _service = Guard.NotNull(service);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<int> ReceiveAsync(Stream body, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(body);
        using JsonDocument document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("value", out JsonElement items)
            || items.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("A Graph notification body is an object with a 'value' array.");
        }

        int genuine = 0;
        AsyncServiceScope scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            ISubscriptionStore store = scope.ServiceProvider.GetRequiredService<ISubscriptionStore>();
            foreach (JsonElement item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || Text(item, "subscriptionId") is not { Length: > 0 } subscriptionId)
                {
                    continue;
                }

                NotificationSubscription? subscription = await store.FindAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
                if (subscription is null)
                {
                    // An old subscription (deleted, replaced, or created by a run that crashed before saving it), or a forgery.
                    NotificationLog.Ignored(_logger, subscriptionId, "no user has this subscription");
                    continue;
                }

                if (!SameSecret(subscription.ClientState, Text(item, "clientState")))
                {
                    NotificationLog.Ignored(_logger, subscriptionId, "its clientState is wrong (a forged notification)");
                    continue;
                }

                genuine++;
                Act(subscription.UserId, Text(item, "lifecycleEvent"), Text(item, "changeType"));
            }
        }

        return genuine;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool SameSecret(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private void Act(string userId, string? lifecycleEvent, string? changeType)
    {
        switch (lifecycleEvent)
        {
            case null:
                NotificationLog.Notified(_logger, userId, changeType ?? "change");
                _scheduler.RequestSync(userId);
                break;
            case "reauthorizationRequired":
                NotificationLog.Lifecycle(_logger, lifecycleEvent, userId);
                _service.Enqueue(userId, SubscriptionWork.Reauthorize);
                break;
            case "subscriptionRemoved":
                NotificationLog.Lifecycle(_logger, lifecycleEvent, userId);
                _service.Enqueue(userId, SubscriptionWork.Recreate);

                // Changes made while no subscription existed reach the host through a delta run.
                _scheduler.RequestSync(userId);
                break;
            default:
                // "missed", and any lifecycle event Graph adds later: the delta run catches up whatever was not notified.
                NotificationLog.Lifecycle(_logger, lifecycleEvent, userId);
                _scheduler.RequestSync(userId);
                break;
        }
    }
}
