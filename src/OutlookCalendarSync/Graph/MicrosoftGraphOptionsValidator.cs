using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.Graph;

/// <summary>Checks the Graph options and that an access token provider is plugged, with messages that say what to fix.</summary>
internal sealed class MicrosoftGraphOptionsValidator(IServiceProviderIsService services) : IValidateOptions<MicrosoftGraphOptions>
{
    public ValidateOptionsResult Validate(string? name, MicrosoftGraphOptions options)
    {
        var failures = options.Validate().ToList();
        if (!services.IsService(typeof(IUserAccessTokenProvider)) && !services.IsService(typeof(AppOnly.AppOnlyMailboxes)))
        {
            failures.Add($"No {nameof(IUserAccessTokenProvider)} is registered. The Microsoft Graph adapter needs one to get each user's access token: call .UseAccessTokenProvider<T>() (or .UseMicrosoftAccount(...)) on the builder AddOutlookCalendarSync returns, or .UseAppOnly(...) to sync mapped mailboxes with application permissions.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
