using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>How to render events for one request: the zone of <c>Prefer: outlook.timezone</c> and the <c>$expand</c>ed properties.</summary>
internal sealed record RenderOptions(DateTimeZone Zone, string ZoneLabel, ExtendedPropertySelection? ExtendedProperties)
{
    public static RenderOptions Utc { get; } = new(DateTimeZone.Utc, "UTC", null);

    public static RenderOptions Everything { get; } = new(DateTimeZone.Utc, "UTC", ExtendedPropertySelection.All);
}
