using NodaTime;
using NodaTime.TimeZones;

namespace OutlookCalendarSync.Model;

/// <summary>Time zone look-ups shared by the model: IANA ids through NodaTime's TZDB, Windows ids through CLDR.</summary>
internal static class TimeZones
{
    /// <summary>
    /// Maps a local time into a zone as the model does everywhere: a time skipped by a daylight-saving change moves to the end
    /// of the gap, an ambiguous one takes the earlier instant.
    /// </summary>
    public static readonly ZoneLocalMappingResolver Lenient =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    public static DateTimeZone Resolve(string? timeZoneId, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            throw new ArgumentException("A time zone id is required, such as 'Europe/Berlin' (IANA) or 'W. Europe Standard Time' (Windows).", parameterName);
        }

        DateTimeZone? zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId);
        if (zone is null && TzdbDateTimeZoneSource.Default.WindowsToTzdbIds.TryGetValue(timeZoneId, out string? ianaId))
        {
            zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(ianaId);
        }

        return zone ?? throw new ArgumentException(
            $"'{timeZoneId}' is not a known time zone: use an IANA id such as 'Europe/Berlin' or a Windows id such as 'W. Europe Standard Time'.",
            parameterName);
    }
}
