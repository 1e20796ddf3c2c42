using NodaTime;
using NodaTime.TimeZones;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// The time zones an iCalendar file names in its TZID parameters, each resolved to a zone of the time zone database (TZDB) where one
/// keeps the same times.
/// </summary>
/// <remarks>
/// <para>A TZID is resolved, in this order:</para>
/// <list type="number">
/// <item>an IANA id (<c>Europe/Berlin</c>) or a Windows id (<c>W. Europe Standard Time</c>, through the CLDR mapping) is that zone;</item>
/// <item>
/// a TZID the file defines in a VTIMEZONE (Outlook writes its display names, such as
/// <c>(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna</c>, or <c>Customized Time Zone</c>) is the first TZDB zone whose
/// offsets agree with the definition's rules in the years the file uses it: first the zones of the cities the name lists, then,
/// for a definition without daylight saving time, the fixed <c>Etc/GMT</c> zone of its offset, then the zone CLDR gives each
/// Windows zone, then every other TZDB zone;
/// </item>
/// <item>a VTIMEZONE no TZDB zone agrees with keeps its own rules: the times are converted with them (<see cref="Choice.Rules"/>);</item>
/// <item>a TZID that is not defined but names cities, such as a display name, is the zone of its first city the TZDB knows;</item>
/// <item>anything else is unknown, and the events using it are left out with the reason (<see cref="Choice.Problem"/>).</item>
/// </list>
/// </remarks>
internal sealed class FileTimeZones
{
    private readonly IReadOnlyDictionary<string, DefinedTimeZone> _defined;
    private readonly IReadOnlyDictionary<string, string> _definitionProblems;
    private readonly IReadOnlyDictionary<string, SortedSet<int>> _years;
    private readonly Dictionary<string, Choice> _resolved = new(StringComparer.Ordinal);

    /// <summary>Creates the resolver for one file.</summary>
    /// <param name="defined">The file's VTIMEZONEs that could be read, by TZID.</param>
    /// <param name="definitionProblems">Why each VTIMEZONE that could not be read cannot, by TZID.</param>
    /// <param name="years">The years of the file's times in each TZID: the years whose offsets must agree.</param>
    public FileTimeZones(
        IReadOnlyDictionary<string, DefinedTimeZone> defined, IReadOnlyDictionary<string, string> definitionProblems, IReadOnlyDictionary<string, SortedSet<int>> years)
    {
        _defined = defined;
        _definitionProblems = definitionProblems;
        _years = years;
    }

    /// <summary>Resolves a TZID (see the remarks of <see cref="FileTimeZones"/>).</summary>
    /// <param name="tzid">The TZID as the file writes it.</param>
    /// <returns>The zone, the definition's rules, or the reason the TZID is unknown.</returns>
    public Choice Resolve(string tzid)
    {
        if (!_resolved.TryGetValue(tzid, out Choice? choice))
        {
            choice = Choose(tzid.Trim());
            _resolved[tzid] = choice;
        }

        return choice;
    }

    /// <summary>An IANA or Windows id as the TZDB id it stands for; null for anything else.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The TZDB id, or null.</returns>
    public static string? KnownZoneId(string id)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone)
        {
            return zone.Id;
        }

        return TzdbDateTimeZoneSource.Default.WindowsToTzdbIds.TryGetValue(id, out string? ianaId)
            && DateTimeZoneProviders.Tzdb.GetZoneOrNull(ianaId) is { } mapped
            ? mapped.Id
            : null;
    }

    private Choice Choose(string tzid)
    {
        if (KnownZoneId(tzid) is { } known)
        {
            return new Choice(known, null, null);
        }

        IReadOnlyList<string> cityZones = CityZones(tzid);
        if (_defined.TryGetValue(tzid, out DefinedTimeZone? defined))
        {
            int[] years = _years.TryGetValue(tzid, out SortedSet<int>? used) && used.Count > 0 ? used.ToArray() : [2000];
            IEnumerable<string> windowsZones = TzdbDateTimeZoneSource.Default.WindowsMapping.PrimaryMapping
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => pair.Value);
            // A zone without daylight saving time is its offset: Etc/GMT-9 rather than whichever country keeps +09:00 today.
            string[] fixedZone = defined.FixedOffset is { Seconds: var seconds } && seconds % 3600 == 0
                ? [seconds == 0 ? "UTC" : $"Etc/GMT{(seconds > 0 ? '-' : '+')}{Math.Abs(seconds / 3600)}"]
                : [];
            string? agreeing = cityZones.Concat(fixedZone).Concat(windowsZones).Concat(DateTimeZoneProviders.Tzdb.Ids)
                .FirstOrDefault(id => DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone && defined.AgreesWith(zone, years));
            return agreeing is not null ? new Choice(agreeing, null, null) : new Choice(null, defined, null);
        }

        if (_definitionProblems.TryGetValue(tzid, out string? problem))
        {
            return new Choice(null, null, $"its time zone '{tzid}' is defined in the file (VTIMEZONE), but {problem}: define it with yearly rules by month and day, or use an IANA id such as Europe/Berlin.");
        }

        return cityZones.Count > 0
            ? new Choice(cityZones[0], null, null)
            : new Choice(null, null, $"its time zone '{tzid}' is not known: it is neither an IANA nor a Windows time zone id, and the file defines no VTIMEZONE with that TZID. Add the VTIMEZONE to the file, or use an IANA id such as Europe/Berlin.");
    }

    /// <summary>The TZDB zones named after the cities in a TZID such as <c>(UTC+01:00) Amsterdam, Berlin, Bern, Rome</c>.</summary>
    private static IReadOnlyList<string> CityZones(string tzid)
    {
        string names = tzid.StartsWith('(') && tzid.IndexOf(')', StringComparison.Ordinal) is var close and > 0 ? tzid[(close + 1)..] : tzid;
        var zones = new List<string>();
        foreach (string name in names.Split([',', '&', '(', ')'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string city = "/" + name.Replace(' ', '_');
            zones.AddRange(DateTimeZoneProviders.Tzdb.Ids.Where(id => id.EndsWith(city, StringComparison.OrdinalIgnoreCase) && !zones.Contains(id)));
        }

        return zones;
    }

    /// <summary>What a TZID stands for: exactly one of the three is set.</summary>
    /// <param name="ZoneId">The TZDB zone that keeps the file's times.</param>
    /// <param name="Rules">The file's own definition, when no TZDB zone agrees with it: times are converted with its rules.</param>
    /// <param name="Problem">Why the TZID cannot be used: the reason its events are left out.</param>
    internal sealed record Choice(string? ZoneId, DefinedTimeZone? Rules, string? Problem);
}
