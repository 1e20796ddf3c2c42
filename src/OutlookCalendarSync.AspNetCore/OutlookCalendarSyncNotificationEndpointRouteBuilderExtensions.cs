using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OutlookCalendarSync.Notifications;

// In this namespace, like the framework's Map* methods, so the call needs no extra using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoints Microsoft Graph POSTs change notifications and lifecycle notifications to.</summary>
public static class OutlookCalendarSyncNotificationEndpointRouteBuilderExtensions
{
    /// <summary>The largest notification body read: 1 MiB (Graph sends a few kilobytes per notification, in batches).</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// Maps <c>POST</c> on the paths of <see cref="ChangeNotificationOptions.NotificationUrl"/> and
    /// <see cref="ChangeNotificationOptions.LifecycleNotificationUrl"/>: Graph's validation handshake (the <c>validationToken</c>
    /// query parameter echoed as <c>text/plain</c> with 200) and notifications, answered 202 once
    /// <see cref="IGraphNotificationReceiver"/> has checked their <c>clientState</c> and recorded a sync request. Nothing is
    /// synced while Graph waits.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <returns>The group of both endpoints.</returns>
    /// <remarks>
    /// <para>
    /// Needs <c>AddOutlookCalendarSync(...).AddChangeNotifications(...)</c> in the services. The endpoints allow anonymous
    /// requests, since Graph sends no credentials: a notification is trusted only when it names a known subscription and carries
    /// that subscription's secret <c>clientState</c>; any other is answered 202 and ignored, so a forger learns nothing. A body
    /// that is not a notification collection is answered 400.
    /// </para>
    /// <para>
    /// These are separate from <c>MapOutlookCalendarSync</c> (the sign-in endpoints), whose group a host may put behind
    /// <c>.RequireAuthorization()</c>: Graph could not pass that.
    /// </para>
    /// </remarks>
    public static RouteGroupBuilder MapOutlookCalendarSyncNotifications(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ChangeNotificationOptions options = endpoints.ServiceProvider.GetRequiredService<IOptions<ChangeNotificationOptions>>().Value;
        RouteGroupBuilder group = endpoints.MapGroup(string.Empty);
        foreach (string path in new[] { options.NotificationUrl!.AbsolutePath, options.LifecycleNotificationUrl!.AbsolutePath }.Distinct(StringComparer.Ordinal))
        {
            group.MapPost(path, (Delegate)ReceiveAsync);
        }

        group.AllowAnonymous();
        return group;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("validationToken", out var token))
        {
            // Graph's handshake: the decoded token back, as plain text, within 10 seconds. nosniff keeps a browser from
            // reading the echoed text as anything else.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(token.ToString(), "text/plain");
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        IGraphNotificationReceiver receiver = context.RequestServices.GetRequiredService<IGraphNotificationReceiver>();
        try
        {
            await receiver.ReceiveAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        return Results.StatusCode(StatusCodes.Status202Accepted);
    }
}
