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
    /// signed-in user, then redirects to <see cref="MicrosoftAccountEndpointOptions.ReturnPath"/> with
    /// <c>?microsoft_account=connected</c>, <c>denied</c>, <c>invalid_state</c> or <c>failed</c>).
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="configure">Changes paths, how the user is identified, and the answer to the callback.</param>
    /// <returns>The group of both endpoints, to add authorization or other conventions.</returns>
    /// <remarks>
    /// <para>
    /// Needs <c>AddOutlookCalendarSync().UseMicrosoftAccount(...)</c> in the services, and the host's own sign-in: both endpoints
    /// answer 401 unless <see cref="MicrosoftAccountEndpointOptions.GetUserId"/> finds a user, by default the
    /// <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/> claim of the authenticated user. Map them after
    /// <c>app.UseAuthentication()</c>, or set <see cref="MicrosoftAccountEndpointOptions.GetUserId"/> to read the host's user id
    /// from elsewhere; <c>.RequireAuthorization()</c> on the returned group sends anonymous users to the host's login instead.
    /// </para>
    /// <para>
    /// The connect redirect's <c>Location</c> is the sign-in URL as an escaped absolute URI. The callback's outcome is added to
    /// <see cref="MicrosoftAccountEndpointOptions.ReturnPath"/>: <c>connected</c> (the account is connected), <c>denied</c>
    /// (Microsoft answered with an error, such as the user refusing consent), <c>invalid_state</c> (an unknown, expired or already
    /// used sign-in, or one started by another user) or <c>failed</c> (no code came back, or it could not be exchanged for
    /// tokens). Set <see cref="MicrosoftAccountEndpointOptions.OnCompleted"/> to answer otherwise.
    /// </para>
    /// </remarks>
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
            // AbsoluteUri keeps the escaping (the scopes' spaces as %20); Uri.ToString() would unescape it into an invalid header.
            return Results.Redirect(url.AbsoluteUri);
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
