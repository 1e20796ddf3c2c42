using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using OutlookCalendarSync.AspNetCore;
using OutlookCalendarSync.Authentication;

// In this namespace, like the framework's Map* methods, so the call needs no extra using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoints users connect their Microsoft account through.</summary>
public static class OutlookCalendarSyncEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /microsoft_account/connect</c> (redirects the signed-in user to Microsoft; an optional <c>login_hint</c>
    /// query parameter is passed on) and <c>GET /microsoft_account/authentication</c> (completes the sign-in for the same
    /// signed-in user, then redirects to <see cref="MicrosoftAccountEndpointOptions.ReturnPath"/>).
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="configure">Changes paths, how the user is identified, and the answer to the callback.</param>
    /// <returns>The group of both endpoints, to add authorization or other conventions.</returns>
    /// <remarks>Needs <c>AddOutlookCalendarSync().UseMicrosoftAccount(...)</c> in the services.</remarks>
    public static RouteGroupBuilder MapOutlookCalendarSync(this IEndpointRouteBuilder endpoints, Action<MicrosoftAccountEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new MicrosoftAccountEndpointOptions();
        configure?.Invoke(options);
        RouteGroupBuilder group = endpoints.MapGroup(string.Empty);
        group.MapGet(options.ConnectPath, async (HttpContext context) =>
        {
            string? userId = options.GetUserId(context);
            if (string.IsNullOrEmpty(userId))
            {
                return Results.Unauthorized();
            }

            string? loginHint = context.Request.Query["login_hint"];
            IMicrosoftAccountAuthorization authorization = context.RequestServices.GetRequiredService<IMicrosoftAccountAuthorization>();
            Uri url = await authorization.BuildSignInUrlAsync(userId, loginHint, context.RequestAborted).ConfigureAwait(false);
            return Results.Redirect(url.ToString());
        });
        group.MapGet(options.CallbackPath, async (HttpContext context) =>
        {
            string? userId = options.GetUserId(context);
            if (string.IsNullOrEmpty(userId))
            {
                return Results.Unauthorized();
            }

            var query = context.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            IMicrosoftAccountAuthorization authorization = context.RequestServices.GetRequiredService<IMicrosoftAccountAuthorization>();
            SignInResult result = await authorization.CompleteSignInAsync(query, userId, context.RequestAborted).ConfigureAwait(false);
            if (options.OnCompleted is { } answer)
            {
                return answer(context, result);
            }

            string outcome = result.Status switch
            {
                SignInStatus.Connected => "connected",
                SignInStatus.Denied => "denied",
                SignInStatus.InvalidState => "invalid_state",
                _ => "failed",
            };
            return Results.Redirect(QueryHelpers.AddQueryString(options.ReturnPath, "microsoft_account", outcome));
        });
        return group;
    }
}
