namespace OutlookCalendarSync.Cli.Configuration;

/// <summary>A setting's value and where it came from (an option, an environment variable, the user secrets, a default).</summary>
/// <param name="Value">The value, or null when no source gave one.</param>
/// <param name="Source">Where it came from, for <c>status</c>.</param>
internal sealed record SettingValue(string? Value, string Source)
{
    public bool IsSet => !string.IsNullOrWhiteSpace(Value);
}
