using Microsoft.Extensions.Options;
using OutlookCalendarSync.Notifications;

namespace OutlookCalendarSync.DependencyInjection;

/// <summary>Validates <see cref="ChangeNotificationOptions"/> when the app starts.</summary>
internal sealed class ChangeNotificationOptionsValidator : IValidateOptions<ChangeNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, ChangeNotificationOptions options)
    {
        string[] problems = [.. options.Validate()];
        return problems.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
