using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>Checks the Hangfire scheduling options when the app starts, with messages that say what to fix.</summary>
internal sealed class HangfireSchedulingOptionsValidator : IValidateOptions<HangfireSchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, HangfireSchedulingOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
