using System.Text;
using System.Text.Json;
using CsCheck;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Tests.Model;

/// <summary>
/// <see cref="IsoText"/> writes the documents' ISO texts without NodaTime's patterns: each text must be exactly the one the pattern
/// writes (the stored format is unchanged), for any value, including those it hands back to the pattern.
/// </summary>
public sealed class IsoTextTests
{
    /// <summary>Any instant NodaTime can hold, with any sub-second part (whole seconds, milliseconds, ticks, nanoseconds).</summary>
    private static readonly Gen<Instant> AnyInstant = Gen.Select(
        Gen.Long[Instant.MinValue.ToUnixTimeTicks() / TimeSpan.TicksPerSecond, Instant.MaxValue.ToUnixTimeTicks() / TimeSpan.TicksPerSecond],
        Gen.OneOf(Gen.Const(0), Gen.Int[0, 999].Select(ms => ms * 1_000_000), Gen.Int[0, 9_999_999].Select(t => t * 100), Gen.Int[0, 999_999_999]),
        (seconds, nanoseconds) => Instant.FromUnixTimeSeconds(seconds).PlusNanoseconds(nanoseconds));

    /// <summary>Offsets of whole hours, of minutes and of seconds, either sign, and zero.</summary>
    private static readonly Gen<Offset> AnyOffset = Gen.OneOf(
        Gen.Const(Offset.Zero),
        Gen.Int[-18, 18].Select(Offset.FromHours),
        Gen.Int[-18 * 60, 18 * 60].Select(m => Offset.FromSeconds(m * 60)),
        Gen.Int[-18 * 3600, 18 * 3600].Select(Offset.FromSeconds));

    [Fact]
    public void Instants_AreWrittenAsInstantPatternExtendedIsoWritesThem()
        => Gen.OneOf(AnyInstant, Gen.Long[-100_000_000_000, 253_402_300_799].Select(Instant.FromUnixTimeSeconds))
            .Sample(instant => Assert.Equal(InstantPattern.ExtendedIso.Format(instant), Written(w => IsoText.WriteInstant(w, "v", instant))), iter: 20_000);

    [Fact]
    public void OffsetDateTimes_AreWrittenAsOffsetDateTimePatternExtendedIsoWritesThem()
        => Gen.Select(AnyInstant.Where(i => i > Instant.MinValue + Duration.FromDays(1) && i < Instant.MaxValue - Duration.FromDays(1)), AnyOffset)
            .Sample(
                (instant, offset) =>
                {
                    OffsetDateTime value = instant.WithOffset(offset);
                    Assert.Equal(OffsetDateTimePattern.ExtendedIso.Format(value), Written(w => IsoText.WriteOffsetDateTime(w, "v", value)));
                },
                iter: 20_000);

    [Fact]
    public void ZonedTimesOfRealZones_AreWrittenAsThePatternWritesThem()
    {
        string[] zones = ["Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "Africa/Monrovia", "UTC", "America/Los_Angeles"];
        Gen.Select(Gen.Int[0, zones.Length - 1], Gen.Long[-3_000_000_000, 5_000_000_000], (z, seconds) => (Zone: zones[z], Seconds: seconds))
            .Sample(
                sample =>
                {
                    OffsetDateTime value = Instant.FromUnixTimeSeconds(sample.Seconds).InZone(DateTimeZoneProviders.Tzdb[sample.Zone]).ToOffsetDateTime();
                    Assert.Equal(OffsetDateTimePattern.ExtendedIso.Format(value), Written(w => IsoText.WriteOffsetDateTime(w, "v", value)));
                },
                iter: 5_000);
    }

    [Fact]
    public void Dates_AreWrittenAsLocalDatePatternIsoWritesThem()
        => Gen.Select(Gen.Int[-9998, 9999], Gen.Int[1, 12], Gen.Int[1, 28], (year, month, day) => new LocalDate(year, month, day))
            .Sample(
                date =>
                {
                    string expected = LocalDatePattern.Iso.Format(date);
                    Assert.Equal(expected, Written(w => IsoText.WriteDate(w, "v", date)));
                    Assert.Equal($"[\"{expected}\"]", WrittenArray(w => IsoText.WriteDateValue(w, date)));
                },
                iter: 20_000);

    [Fact]
    public void DatesOfOtherCalendars_GoToThePattern()
    {
        var julian = new LocalDate(2026, 2, 3, CalendarSystem.Julian);

        Assert.Equal(LocalDatePattern.Iso.Format(julian), Written(w => IsoText.WriteDate(w, "v", julian)));
    }

    private static string Written(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.GetProperty("v").GetString()!;
    }

    private static string WrittenArray(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            write(writer);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
