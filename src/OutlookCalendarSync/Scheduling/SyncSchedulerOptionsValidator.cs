using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.Scheduling;

/// <summary>Checks the scheduler's options when the app starts, with messages that say what to fix.</summary>
internal sealed class SyncSchedulerOptionsValidator : IValidateOptions<SyncSchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncSchedulerOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
