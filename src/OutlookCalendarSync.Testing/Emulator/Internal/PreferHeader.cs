using System.Globalization;
using System.Text.RegularExpressions;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>Reads <c>Prefer</c> values (several may be joined by commas): <c>outlook.timezone</c> and <c>odata.maxpagesize</c>.</summary>
internal static partial class PreferHeader
{
    public static string? TimeZone(string? prefer)
    {
        var match = prefer is null ? null : TimeZonePreference().Match(prefer);
        return match is { Success: true } ? match.Groups["zone"].Value.Trim() : null;
    }

    public static int? MaxPageSize(string? prefer)
    {
        var match = prefer is null ? null : MaxPageSizePreference().Match(prefer);
        return match is { Success: true } && int.TryParse(match.Groups["size"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : null;
    }

    [GeneratedRegex("outlook\\.timezone\\s*=\\s*(?:\"(?<zone>[^\"]*)\"|(?<zone>[^,;]*))", RegexOptions.IgnoreCase)]
    private static partial Regex TimeZonePreference();

    [GeneratedRegex("odata\\.maxpagesize\\s*=\\s*\"?(?<size>\\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex MaxPageSizePreference();
}
