using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.AppOnly;

/// <summary>Checks the app-only options, and that the host maps its users to mailboxes.</summary>
internal sealed class AppOnlyOptionsValidator(IServiceProviderIsService services) : IValidateOptions<AppOnlyOptions>
{
    public ValidateOptionsResult Validate(string? name, AppOnlyOptions options)
    {
        var failures = options.Validate().ToList();
        if (!services.IsService(typeof(IMailboxDirectory)))
        {
            failures.Add($"No {nameof(IMailboxDirectory)} is registered: app-only mode needs the host's mapping of users to mailboxes. Call .UseMailboxDirectory(...) on the builder.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
