using Microsoft.Extensions.Options;

namespace OutlookCalendarSync.Sqlite.DependencyInjection;

/// <summary>Reports unusable <see cref="SqliteStoreOptions"/> when the host starts, with every problem in one message.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
