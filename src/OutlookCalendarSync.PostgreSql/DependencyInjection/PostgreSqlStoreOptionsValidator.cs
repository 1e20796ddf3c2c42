using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.PostgreSql.DependencyInjection;

/// <summary>Reports unusable <see cref="PostgreSqlStoreOptions"/> when the host starts, with every problem in one message.</summary>
internal sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
