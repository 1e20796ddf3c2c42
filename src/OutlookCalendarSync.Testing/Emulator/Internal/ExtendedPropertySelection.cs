using System.Text.RegularExpressions;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>The single-value extended properties a <c>$expand</c> asked for: all, or those whose id the <c>$filter</c> names.</summary>
internal sealed partial class ExtendedPropertySelection
{
    private readonly HashSet<string>? ids;

    private ExtendedPropertySelection(HashSet<string>? ids) => this.ids = ids;

    public static ExtendedPropertySelection All { get; } = new(null);

    public bool Includes(string? id) => id is not null && (ids is null || ids.Contains(id));

    /// <summary>Reads <c>$expand=singleValueExtendedProperties($filter=id eq '...' or id eq '...')</c>.</summary>
    public static ExtendedPropertySelection? Parse(string? expand)
    {
        if (string.IsNullOrEmpty(expand))
        {
            return null;
        }

        var match = ExpandClause().Match(expand);
        if (!match.Success)
        {
            return null;
        }

        if (!match.Groups["options"].Success)
        {
            return All;
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match id in IdEquals().Matches(match.Groups["options"].Value))
        {
            ids.Add(id.Groups["id"].Value.Replace("''", "'", StringComparison.Ordinal));
        }

        return new ExtendedPropertySelection(ids);
    }

    [GeneratedRegex(@"singleValueExtendedProperties\s*(\((?<options>[^)]*)\))?", RegexOptions.IgnoreCase)]
    private static partial Regex ExpandClause();

    [GeneratedRegex(@"id\s+eq\s+'(?<id>(?:[^']|'')*)'", RegexOptions.IgnoreCase)]
    private static partial Regex IdEquals();
}
