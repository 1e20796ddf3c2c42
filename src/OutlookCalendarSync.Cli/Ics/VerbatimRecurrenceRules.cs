using System.Text;
using System.Text.RegularExpressions;
using Ical.Net;
using Ical.Net.Serialization;
using Ical.Net.Serialization.DataTypes;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// Carries the RRULE of events through Ical.Net as text, unchanged in both directions.
/// </summary>
/// <remarks>
/// Ical.Net parses an RRULE into its own object and writes it back normalized: it drops <c>WKST=MO</c> (its default), so a monthly
/// rule whose weeks start on Monday would come back starting on Sunday, and it fails the whole file on a rule part it does not
/// know. The library's <c>RRule</c> converter reads and writes the text itself, so the text is what has to survive: on write an
/// RRULE property holds a value Ical.Net writes as is, on read each event's RRULE is renamed before Ical.Net sees it and read
/// back as a plain text property. RRULEs of time zone definitions (VTIMEZONE) are left to Ical.Net.
/// </remarks>
internal static partial class VerbatimRecurrenceRules
{
    /// <summary>The name an event's RRULE has after <see cref="MarkEventRules"/>.</summary>
    private const string MarkedName = "X-OUTLOOK-CALENDAR-SYNC-RRULE";

    /// <summary>An RRULE property that a serializer from <see cref="SerializationContext"/> writes exactly as <paramref name="rrule"/>.</summary>
    public static CalendarProperty Property(string rrule) => new("RRULE", new RuleText(rrule));

    /// <summary>A serialization context whose serializers write <see cref="Property"/> values verbatim.</summary>
    public static SerializationContext SerializationContext()
    {
        var context = new SerializationContext();
        context.SetService(new RuleAwareSerializerFactory());
        return context;
    }

    /// <summary>Renames the RRULE properties of VEVENTs so that Ical.Net keeps them as text; read them with <see cref="EventRules"/>.</summary>
    public static string MarkEventRules(string text)
    {
        string[] lines = FoldedLineBreak().Replace(text, string.Empty).Split('\n');
        var components = new Stack<string>();
        var marked = new StringBuilder(text.Length + 64);
        foreach (string raw in lines)
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("BEGIN:", StringComparison.OrdinalIgnoreCase))
            {
                components.Push(line[6..].Trim().ToUpperInvariant());
            }
            else if (line.StartsWith("END:", StringComparison.OrdinalIgnoreCase) && components.Count > 0)
            {
                components.Pop();
            }
            else if (components.TryPeek(out string? component) && component == "VEVENT" && IsRRule(line))
            {
                line = MarkedName + line[5..];
            }

            marked.Append(line).Append("\r\n");
        }

        return marked.ToString();
    }

    /// <summary>The RRULE values of an event loaded from text that went through <see cref="MarkEventRules"/>.</summary>
    public static IReadOnlyList<string> EventRules(Ical.Net.CalendarComponents.CalendarEvent source)
        => source.Properties.Where(p => p.Name == MarkedName)
            .Select(p => string.Join(',', p.Values.Select(v => v?.ToString()).Where(v => !string.IsNullOrEmpty(v))))
            .Where(rule => rule.Length > 0)
            .ToArray();

    private static bool IsRRule(string line)
        => line.Length > 5 && line.StartsWith("RRULE", StringComparison.OrdinalIgnoreCase) && line[5] is ':' or ';';

    /// <summary>A line break followed by a space or tab: RFC 5545 folding, undone before the lines are looked at.</summary>
    [GeneratedRegex("\r?\n[ \t]")]
    private static partial Regex FoldedLineBreak();

    private sealed record RuleText(string Value);

    private sealed class RuleAwareSerializerFactory : SerializerFactory
    {
        public override ISerializer? Build(Type? objectType, SerializationContext ctx)
            => objectType == typeof(RuleText) ? new RuleTextSerializer(ctx) : base.Build(objectType, ctx);
    }

    private sealed class RuleTextSerializer(SerializationContext context) : StringSerializer(context)
    {
        public override string? SerializeToString(object? obj) => (obj as RuleText)?.Value;
    }
}
