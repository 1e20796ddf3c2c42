using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OutlookCalendarSync.Diagnostics;

/// <summary>The names of the library's trace source and meter, for OpenTelemetry and <c>dotnet-counters</c>.</summary>
public static class SyncTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>: <c>OutlookCalendarSync</c>.</summary>
    public const string Name = "OutlookCalendarSync";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(SyncTelemetry).Assembly.GetName().Version?.ToString());
}
