using CsCheck;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;
using NodaTime;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Tests.Recurrences;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Tests.Graph;

/// <summary>
/// <see cref="Recurrence"/> ⇄ Graph <c>patternedRecurrence</c>: a property round trip through the SDK's JSON, and Graph's own
/// renderings (every property filled in whatever the type) read back.
/// </summary>
public sealed class GraphRecurrenceMapperTests
{
    private static readonly EventTiming NineAmBerlin = EventTiming.Timed(new LocalDateTime(2026, 3, 2, 9, 0), new LocalDateTime(2026, 3, 2, 9, 30), "Europe/Berlin");

    private static int Iterations(int normal)
        => int.TryParse(Environment.GetEnvironmentVariable("OCS_PROPERTY_ITERATIONS"), out int n) && n > 0 ? n : normal;

    [Fact]
    public void ToModel_OfToGraphThroughJson_GivesAnEqualRule()
        => RecurrenceGen.Rule.Sample(
            rule =>
            {
                string json = Serialize(GraphRecurrenceMapper.ToGraph(rule));
                G.PatternedRecurrence read = Deserialize(json);
                Recurrence? back = GraphRecurrenceMapper.ToModel(read, NineAmBerlin, rule.DeletedOccurrences, out string? problem);
                Assert.Null(problem);
                Assert.Equal(rule, back);
            },
            iter: Iterations(2_000),
            print: r => r + " " + Serialize(GraphRecurrenceMapper.ToGraph(r)));

    [Fact]
    public void ToGraph_WritesOnlyWhatThePatternTypeUses()
    {
        var weekly = new Recurrence(RecurrenceFrequency.Weekly, new LocalDate(2026, 3, 2), "Europe/Berlin", daysOfWeek: [IsoDayOfWeek.Monday, IsoDayOfWeek.Thursday], endDate: new LocalDate(2026, 6, 30));

        string json = Serialize(GraphRecurrenceMapper.ToGraph(weekly));

        Assert.Contains("\"type\":\"weekly\"", json, StringComparison.Ordinal);
        Assert.Contains("\"daysOfWeek\":[\"monday\",\"thursday\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"recurrenceTimeZone\":\"W. Europe Standard Time\"", json, StringComparison.Ordinal);
        Assert.Contains("\"endDate\":\"2026-06-30\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("dayOfMonth", json, StringComparison.Ordinal);
        Assert.DoesNotContain("numberOfOccurrences", json, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> GraphRenderings() => new()
    {
        {
            // As Graph returns a daily, endless series: month, dayOfMonth, index and endDate are filled in and meaningless.
            """{"pattern":{"type":"daily","interval":2,"month":0,"dayOfMonth":0,"firstDayOfWeek":"sunday","index":"first"},"range":{"type":"noEnd","startDate":"2026-03-02","endDate":"0001-01-01","recurrenceTimeZone":"W. Europe Standard Time","numberOfOccurrences":0}}""",
            "Daily every 2 from 2026-03-02 (Europe/Berlin) forever"
        },
        {
            """{"pattern":{"type":"relativeMonthly","interval":1,"month":0,"dayOfMonth":0,"daysOfWeek":["friday"],"firstDayOfWeek":"sunday","index":"last"},"range":{"type":"numbered","startDate":"2026-03-27","endDate":"0001-01-01","recurrenceTimeZone":"Eastern Standard Time","numberOfOccurrences":10}}""",
            "RelativeMonthly every 1 from 2026-03-27 (America/New_York) x10"
        },
        {
            """{"pattern":{"type":"absoluteYearly","interval":1,"month":7,"dayOfMonth":4,"firstDayOfWeek":"sunday","index":"first"},"range":{"type":"endDate","startDate":"2026-07-04","endDate":"2030-07-04","recurrenceTimeZone":"","numberOfOccurrences":0}}""",
            "AbsoluteYearly every 1 from 2026-07-04 (Europe/Berlin) until 2030-07-04"
        },
    };

    [Theory]
    [MemberData(nameof(GraphRenderings))]
    public void ToModel_ReadsGraphsRendering(string json, string expected)
    {
        Recurrence? rule = GraphRecurrenceMapper.ToModel(Deserialize(json), NineAmBerlin, [], out string? problem);

        Assert.Null(problem);
        Assert.Equal(expected, rule!.ToString());
    }

    [Fact]
    public void ToModel_RelativeMonthly_KeepsIndexAndDays()
    {
        string json = """{"pattern":{"type":"relativeMonthly","interval":1,"daysOfWeek":["tuesday"],"index":"second"},"range":{"type":"noEnd","startDate":"2026-03-10","recurrenceTimeZone":"UTC"}}""";

        Recurrence rule = GraphRecurrenceMapper.ToModel(Deserialize(json), NineAmBerlin, [new LocalDate(2026, 4, 14)], out _)!;

        Assert.Equal(WeekIndex.Second, rule.Index);
        Assert.Equal([IsoDayOfWeek.Tuesday], rule.DaysOfWeek);
        Assert.Equal([new LocalDate(2026, 4, 14)], rule.DeletedOccurrences);
    }

    public static TheoryData<string, string> Unreadable() => new()
    {
        { """{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd"}}""", "no start date" },
        { """{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"endDate","startDate":"2026-03-02"}}""", "names none" },
        { """{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"numbered","startDate":"2026-03-02","numberOfOccurrences":0}}""", "no number of occurrences" },
        { """{"pattern":{"type":"weekly","interval":1},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", "needs at least one day of the week" },
        { """{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2026-03-02","recurrenceTimeZone":"Mars Standard Time"}}""", "Mars Standard Time" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void ToModel_OfAnUnreadableRule_SaysWhy(string json, string reason)
    {
        Recurrence? rule = GraphRecurrenceMapper.ToModel(Deserialize(json), NineAmBerlin, [], out string? problem);

        Assert.Null(rule);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToModel_WithoutRecurrenceTimeZone_UsesTheMastersZone()
    {
        string json = """{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2026-03-02"}}""";

        Recurrence rule = GraphRecurrenceMapper.ToModel(Deserialize(json), NineAmBerlin, [], out _)!;

        Assert.Equal("Europe/Berlin", rule.TimeZoneId);
    }

    private static string Serialize(G.PatternedRecurrence value)
    {
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, value);
        using var reader = new StreamReader(writer.GetSerializedContent());
        return reader.ReadToEnd();
    }

    private static G.PatternedRecurrence Deserialize(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return new JsonParseNode(document.RootElement.Clone()).GetObjectValue(G.PatternedRecurrence.CreateFromDiscriminatorValue)!;
    }
}
