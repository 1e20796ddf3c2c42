using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>Graph's date-time formats and time-zone names (Windows or IANA) in NodaTime terms.</summary>
internal static class GraphTime
{
    private static readonly LocalDateTimePattern LocalPattern =
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff");

    private static readonly InstantPattern InstantOutPattern =
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'");

    public static string FormatLocal(LocalDateTime value) => LocalPattern.Format(value);

    public static string FormatInstant(Instant value) => InstantOutPattern.Format(value);

    public static DateTimeZone? FindZone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        name = name.Trim();
        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase)
            || name.Equals("tzone://Microsoft/Utc", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Coordinated Universal Time", StringComparison.OrdinalIgnoreCase))
        {
            return DateTimeZone.Utc;
        }

        var source = TzdbDateTimeZoneSource.Default;
        if (source.WindowsToTzdbIds.TryGetValue(name, out var tzdbId))
        {
            return DateTimeZoneProviders.Tzdb.GetZoneOrNull(tzdbId);
        }

        foreach (var pair in source.WindowsToTzdbIds)
        {
            if (pair.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return DateTimeZoneProviders.Tzdb.GetZoneOrNull(pair.Value);
            }
        }

        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(name);
    }

    /// <summary>Parses a Graph <c>dateTime</c> (local, any fraction length; a trailing Z or offset is converted into <paramref name="zone"/>).</summary>
    public static LocalDateTime? ParseLocal(string? text, DateTimeZone zone)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var local = LocalDateTimePattern.ExtendedIso.Parse(text);
        if (local.Success)
        {
            return local.Value;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return Instant.FromDateTimeOffset(withOffset).InZone(zone).LocalDateTime;
        }

        return null;
    }

    /// <summary>Parses a query-string instant such as <c>startDateTime=2024-01-01T00:00:00Z</c>; no offset means UTC.</summary>
    public static Instant? ParseQueryInstant(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // A '+' of an offset arrives as a space when the client did not escape it.
        text = text.Trim().Replace(' ', '+');
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? Instant.FromDateTimeOffset(value)
            : null;
    }

    public static Instant ToInstant(LocalDateTime local, DateTimeZone zone) => local.InZoneLeniently(zone).ToInstant();
}
