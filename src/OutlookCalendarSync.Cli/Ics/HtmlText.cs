using System.Net;
using System.Text.RegularExpressions;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// The plain text of an HTML body, for an iCalendar DESCRIPTION, which RFC 5545 defines as plain text (the HTML goes in
/// <c>X-ALT-DESC;FMTTYPE=text/html</c>).
/// </summary>
/// <remarks>
/// Enough for what calendar bodies hold: the head, scripts, styles and comments are dropped, block boundaries and <c>&lt;br&gt;</c>
/// become line breaks, list items start with "- ", other tags are removed, entities are decoded, and runs of spaces and of line
/// breaks are collapsed into one.
/// </remarks>
internal static partial class HtmlText
{
    /// <summary>The plain text of an HTML fragment or document.</summary>
    /// <param name="html">The HTML.</param>
    /// <returns>The text, trimmed.</returns>
    public static string ToPlainText(string html)
    {
        string text = Hidden().Replace(html, string.Empty);
        text = LineBreak().Replace(text, "\n");
        text = BlockEnd().Replace(text, "\n");
        text = ListItem().Replace(text, "\n- ");
        text = Tag().Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        text = Spaces().Replace(text, " ");
        text = SpaceAroundBreak().Replace(text, "\n");
        text = BlankLines().Replace(text, "\n");
        return text.Trim();
    }

    [GeneratedRegex(@"<!--.*?-->|<(head|script|style|title)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"</(p|div|h[1-6]|tr|table|ul|ol|li|blockquote|pre)\s*>|<(p|div|h[1-6]|tr|table|ul|ol|blockquote|pre)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\r\f\v]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@" ?\n ?")]
    private static partial Regex SpaceAroundBreak();

    [GeneratedRegex(@"\n{2,}")]
    private static partial Regex BlankLines();
}
