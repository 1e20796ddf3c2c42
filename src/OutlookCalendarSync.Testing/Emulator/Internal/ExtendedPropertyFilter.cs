using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// The one <c>$filter</c> the <c>/me/events</c> listing answers, as Graph documents it for extended properties:
/// <c>singleValueExtendedProperties/any(ep: ep/id eq '{id}' and ep/value eq '{value}')</c>. Any other filter is a 400.
/// </summary>
internal static partial class ExtendedPropertyFilter
{
    public static List<StoredEvent> Apply(string? filter, List<StoredEvent> events)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return events;
        }

        var match = AnyClause().Match(filter);
        if (!match.Success)
        {
            throw GraphErrorException.BadRequest("ErrorInvalidUrlQueryFilter", $"The emulator answers only singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...') as a $filter of events, not '{filter}'.");
        }

        var id = Unquote(match.Groups["id"].Value);
        var value = Unquote(match.Groups["value"].Value);
        return events.Where(e => e.Data["singleValueExtendedProperties"] is JsonArray properties
            && properties.OfType<JsonObject>().Any(p => string.Equals((string?)p["id"], id, StringComparison.OrdinalIgnoreCase) && string.Equals((string?)p["value"], value, StringComparison.Ordinal)))
            .ToList();
    }

    private static string Unquote(string text) => text.Replace("''", "'", StringComparison.Ordinal);

    [GeneratedRegex(@"^\s*singleValueExtendedProperties/any\(\s*(?<v>\w+)\s*:\s*\k<v>/id\s+eq\s+'(?<id>(?:[^']|'')*)'\s+and\s+\k<v>/value\s+eq\s+'(?<value>(?:[^']|'')*)'\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AnyClause();
}
